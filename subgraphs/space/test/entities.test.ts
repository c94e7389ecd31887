import { randomUUID } from 'node:crypto';
import { readSdl } from '@tiers-lieux/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, viewers, type Harness } from './harness.js';

const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Space {
        id
        name
        address {
          commune
        }
      }
      ... on Event {
        id
        title
        space {
          name
        }
      }
      ... on Member {
        id
        displayName
        email
      }
    }
  }
`;

describe('federation entities of the partner subgraph', () => {
  let h: Harness;
  let spaces: Awaited<ReturnType<Harness['seed']['space']>>[];
  beforeAll(async () => {
    h = await createHarness({ partner: 'laserre' });
    spaces = await h.seed.spaces([
      {
        name: 'La Serre',
        commune: 'Toulouse',
        inseeCode: '31555',
        department: '31',
        postalCode: '31300',
      },
      {
        name: 'Espace de coworking de Tournefeuille',
        commune: 'Tournefeuille',
        inseeCode: '31557',
        department: '31',
        postalCode: '31170',
      },
    ]);
  });
  afterAll(() => h.close());

  it('resolves Space references in one batch, in order, with null for unknown ones', async () => {
    const [serre, tournefeuille] = spaces;
    const representations = [
      { __typename: 'Space', id: tournefeuille!.publicId },
      { __typename: 'Space', id: `laserre:space:${randomUUID()}` },
      { __typename: 'Space', id: serre!.publicId },
      { __typename: 'Space', id: `cantine:space:${serre!.id}` },
    ];
    h.resetStatements();
    const result = await h.execute(ENTITIES, { representations });
    expect(result).toEqual({
      data: {
        _entities: [
          {
            id: tournefeuille!.publicId,
            name: 'Espace de coworking de Tournefeuille',
            address: { commune: 'Tournefeuille' },
          },
          null,
          { id: serre!.publicId, name: 'La Serre', address: { commune: 'Toulouse' } },
          null,
        ],
      },
    });
    expect(h.statements()).toBe(1);
  });

  it('resolves Event references with their space, batched', async () => {
    const events = [
      await h.seed.event(spaces[0]!.id, { title: 'Réunion d’information' }),
      await h.seed.event(spaces[0]!.id, { title: 'Repas partagé' }),
    ];
    h.resetStatements();
    const result = await h.execute(ENTITIES, {
      representations: events.reverse().map((e) => ({ __typename: 'Event', id: e.publicId })),
    });
    expect(result).toEqual({
      data: {
        _entities: [
          { id: events[0]!.publicId, title: 'Repas partagé', space: { name: 'La Serre' } },
          { id: events[1]!.publicId, title: 'Réunion d’information', space: { name: 'La Serre' } },
        ],
      },
    });
    expect(h.statements()).toBe(2);
  });

  it('resolves Member references by what the viewer may see', async () => {
    const listed = await h.seed.member({
      displayName: 'Anne-Marie Fontaine',
      email: 'amf@example.org',
      isInDirectory: true,
    });
    const unlisted = await h.seed.member({ displayName: 'Julien Morel', email: 'jm@example.org' });
    const representations = [listed, unlisted].map((m) => ({
      __typename: 'Member',
      id: m.publicId,
    }));
    expect(await h.execute(ENTITIES, { representations })).toEqual({
      data: {
        _entities: [{ id: listed.publicId, displayName: 'Anne-Marie Fontaine', email: null }, null],
      },
    });
    expect(
      await h.execute(ENTITIES, { representations }, { viewer: viewers.manager('laserre') }),
    ).toEqual({
      data: {
        _entities: [
          { id: listed.publicId, displayName: 'Anne-Marie Fontaine', email: 'amf@example.org' },
          { id: unlisted.publicId, displayName: 'Julien Morel', email: 'jm@example.org' },
        ],
      },
    });
  });

  it('serves its contract as _service.sdl', async () => {
    const result = await h.execute(`{ _service { sdl } }`);
    const sdl: string = result.data!._service.sdl;
    expect(sdl).toMatch(/type Space\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Event\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Member\s+@key\(fields: "id"\)/);
    expect(readSdl('space')).toContain('spaces(');
  });
});
