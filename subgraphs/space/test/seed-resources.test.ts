import { describe, expect, it } from 'vitest';
import { SEED_RESOURCE_IDS, seedPartner } from '../src/seed/index.js';
import { createHarness } from './harness.js';

const RESOURCE = /* GraphQL */ `
  query ($id: ID!) {
    resource(id: $id) {
      name
      kind
      acceptsPass
      space {
        name
      }
    }
  }
`;

describe('the seeded resources', () => {
  it.each([
    ['locomotive', SEED_RESOURCE_IDS.locomotiveRoom, 'MEETING_ROOM', 'La Locomotive'],
    ['locomotive', SEED_RESOURCE_IDS.locomotiveVisio, 'VISIO_KIT', 'La Locomotive'],
    ['cantine', SEED_RESOURCE_IDS.cantineDesk1, 'FLEXIBLE_DESK', 'La Cantine'],
    ['laserre', SEED_RESOURCE_IDS.laserreDesk, 'FLEXIBLE_DESK', 'La Serre'],
    ['baronnies', SEED_RESOURCE_IDS.tuvesDesk1, 'FLEXIBLE_DESK', 'Les Tuves'],
  ])('%s has %s, a %s at %s that takes passes', async (partner, uuid, kind, spaceName) => {
    const h = await createHarness({ partner });
    try {
      await seedPartner(h.db, partner, new Date());
      const answer = await h.execute(RESOURCE, { id: `${partner}:resource:${uuid}` });
      expect(answer.data!.resource).toMatchObject({
        kind,
        acceptsPass: true,
        space: { name: spaceName },
      });
    } finally {
      await h.close();
    }
  });
});
