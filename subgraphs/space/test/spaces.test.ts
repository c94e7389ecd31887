import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_SPACE_IDS } from '../src/seed/partners.js';
import { seedPartner } from '../src/seed/index.js';
import { createHarness, type Harness } from './harness.js';

const DIRECTORY = /* GraphQL */ `
  query Directory($filter: SpaceFilter, $orderBy: SpaceOrder, $first: Int, $after: String) {
    spaces(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          name
          distanceKm
          address {
            commune
          }
        }
      }
    }
  }
`;

function names(result: Awaited<ReturnType<Harness['execute']>>): string[] {
  return result.data!.spaces.edges.map((e: { node: { name: string } }) => e.node.name);
}

describe('Query.spaces on the seeded Baronnies partner', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ partner: 'baronnies' });
    await seedPartner(h.db, 'baronnies', new Date());
  });
  afterAll(() => h.close());

  it('finds Les Tuves by "tuves", ignoring case and accents', async () => {
    for (const text of ['tuves', 'TUVÉS', 'buis les']) {
      expect(names(await h.execute(DIRECTORY, { filter: { text } }))).toEqual(['Les Tuves']);
    }
  });

  it('shows La Serre in Serres with the hours and the card of the article', async () => {
    const result = await h.execute(
      /* GraphQL */ `
        query ($id: ID!) {
          space(id: $id) {
            id
            partnerSlug
            name
            status
            kinds
            openingHours
            accessNotes
            openedOn
            address {
              postalCode
              commune
              inseeCode
              department
            }
            offers {
              kind
              label
              price {
                amountCents
                currency
              }
              entries
              entryMinutes
            }
          }
        }
      `,
      { id: `baronnies:space:${SEED_SPACE_IDS.serresLaSerre}` },
    );
    expect(result).toEqual({
      data: {
        space: {
          id: `baronnies:space:${SEED_SPACE_IDS.serresLaSerre}`,
          partnerSlug: 'baronnies',
          name: 'La Serre',
          status: 'OPEN',
          kinds: ['COWORKING', 'TIERS_LIEU'],
          openingHours: 'Mo,Tu 09:00-17:00; Th 14:00-17:00',
          accessNotes: 'Dans la Maison de Services Au Public (MSAP) du Serrois',
          openedOn: '2016-07-01',
          address: { postalCode: '05700', commune: 'Serres', inseeCode: '05166', department: '05' },
          offers: [
            {
              kind: 'MULTI_ENTRY_CARD',
              label: 'Carte d’abonnement 10 entrées (1 entrée = 3 heures)',
              price: { amountCents: 5000, currency: 'EUR' },
              entries: 10,
              entryMinutes: 180,
            },
          ],
        },
      },
    });
  });

  it('filters by opening time in Europe/Paris: Thursday 15:00 finds La Serre, Thursday 10:00 does not', async () => {
    const thursday3pm = '2026-11-26T15:00:00+01:00';
    const thursday10am = '2026-11-26T10:00:00+01:00';
    expect(
      names(await h.execute(DIRECTORY, { filter: { openAt: thursday3pm, departments: ['05'] } })),
    ).toEqual(['La Serre']);
    expect(
      names(await h.execute(DIRECTORY, { filter: { openAt: thursday10am, departments: ['05'] } })),
    ).toEqual([]);
    expect(names(await h.execute(DIRECTORY, { filter: { openAt: thursday10am } }))).toEqual([
      'Les Tuves',
    ]);
  });

  it('filters by department, commune (name or INSEE code), kind, amenity and audience', async () => {
    expect(names(await h.execute(DIRECTORY, { filter: { departments: ['26'] } }))).toEqual([
      'Les Tuves',
    ]);
    expect(names(await h.execute(DIRECTORY, { filter: { communes: ['serres'] } }))).toEqual([
      'La Serre',
    ]);
    expect(names(await h.execute(DIRECTORY, { filter: { communes: ['26063'] } }))).toEqual([
      'Les Tuves',
    ]);
    expect(names(await h.execute(DIRECTORY, { filter: { amenities: ['WIFI', 'FIBRE'] } }))).toEqual(
      ['Les Tuves'],
    );
    expect(names(await h.execute(DIRECTORY, { filter: { audiences: ['JOB_SEEKER'] } }))).toEqual([
      'La Serre',
    ]);
    expect(names(await h.execute(DIRECTORY, { filter: { kinds: ['FAB_LAB'] } }))).toEqual([]);
    expect(
      names(await h.execute(DIRECTORY, { filter: { statuses: ['OPEN'], kinds: ['TIERS_LIEU'] } })),
    ).toEqual(['La Serre', 'Les Tuves']);
  });

  it('orders by distance from a point when near is given, with distances in km', async () => {
    const gap = { lat: 44.5594, lon: 6.0786, radiusKm: 100 };
    const result = await h.execute(DIRECTORY, { filter: { near: gap } });
    const edges = result.data!.spaces.edges.map(
      (e: { node: { name: string; distanceKm: number } }) => [
        e.node.name,
        Math.round(e.node.distanceKm),
      ],
    );
    expect(edges).toEqual([
      ['La Serre', 32],
      ['Les Tuves', 71],
    ]);
    expect(
      names(await h.execute(DIRECTORY, { filter: { near: { ...gap, radiusKm: 50 } } })),
    ).toEqual(['La Serre']);
  });

  it('rejects bad arguments with BAD_USER_INPUT', async () => {
    const cases = [
      { first: 0 },
      { first: 201 },
      { after: 'not-a-cursor' },
      { orderBy: 'DISTANCE' },
      { filter: { near: { lat: 91, lon: 0, radiusKm: 1 } } },
      { filter: { near: { lat: 44, lon: 5, radiusKm: 0 } } },
      { filter: { openAt: '2026-11-26 15:00' } },
    ];
    for (const variables of cases) {
      const result = await h.execute(DIRECTORY, variables);
      expect(result.data ?? null, JSON.stringify(variables)).toBeNull();
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe(
        'BAD_USER_INPUT',
      );
    }
  });

  it('answers null for an id of another partner, and BAD_USER_INPUT for a malformed id', async () => {
    const other = await h.execute(
      `{ space(id: "cantine:space:${SEED_SPACE_IDS.toulouseLaCantine}") { name } }`,
    );
    expect(other).toEqual({ data: { space: null } });
    const malformed = await h.execute(`{ space(id: "La Serre") { name } }`);
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('Query.spaces pagination', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ partner: 'laserre' });
    // Names chosen so that folding matters: É sorts as e, case is ignored.
    await h.seed.spaces(
      [
        'Zèbre',
        'abeille',
        'Étoile',
        'Eole',
        'Bastide',
        'cabane',
        'Dune',
        'forge',
        'Grange',
        'Hangar',
        'île',
      ].map((name) => ({ name })),
    );
  });
  afterAll(() => h.close());

  async function pageThrough(variables: Record<string, unknown>, between?: () => Promise<void>) {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let guard = 0; guard < 50; guard++) {
      const result = await h.execute(DIRECTORY, { ...variables, first: 3, after });
      const spaces = result.data!.spaces;
      total = spaces.totalCount;
      seen.push(...names(result));
      if (!spaces.pageInfo.hasNextPage) break;
      after = spaces.pageInfo.endCursor;
      await between?.();
    }
    return { seen, total };
  }

  it('pages through every space exactly once, by folded name', async () => {
    const { seen, total } = await pageThrough({});
    expect(seen).toEqual([
      'abeille',
      'Bastide',
      'cabane',
      'Dune',
      'Eole',
      'Étoile',
      'forge',
      'Grange',
      'Hangar',
      'île',
      'Zèbre',
    ]);
    expect(total).toBe(11);
  });

  it('never repeats nor skips a space when spaces are added between pages', async () => {
    const added: string[] = [];
    const { seen } = await pageThrough({ filter: { text: 'a' } }, async () => {
      const name = `Aaa ${added.length}`;
      added.push(name);
      await h.seed.space({ name });
    });
    expect(new Set(seen).size).toBe(seen.length);
    for (const name of ['abeille', 'Bastide', 'cabane', 'Grange', 'Hangar'])
      expect(seen).toContain(name);
    expect(seen.filter((n) => n.startsWith('Aaa'))).toEqual([]);
  });

  it('pages the same way with an openAt filter, evaluated outside SQL', async () => {
    const mondayNoon = '2026-11-23T12:00:00+01:00';
    const { seen, total } = await pageThrough({
      filter: { openAt: mondayNoon, statuses: ['OPEN'] },
    });
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await pageThrough({ filter: { statuses: ['OPEN'] } });
    expect(seen).toEqual(all.seen);
    const sundayNoon = '2026-11-22T12:00:00+01:00';
    expect(await pageThrough({ filter: { openAt: sundayNoon } })).toEqual({ seen: [], total: 0 });
  });
});

describe('Query.spaces openAt and the status of a space', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ partner: 'baronnies' });
  });
  afterAll(() => h.close());

  it('finds only open spaces, as Space.isOpenAt says, whatever the hours of the others', async () => {
    const hours = 'Mo-Su 00:00-24:00';
    await h.seed.space({ name: 'Ouvert', status: 'OPEN', openingHours: hours });
    await h.seed.space({ name: 'En projet', status: 'PROJECT', openingHours: hours });
    await h.seed.space({ name: 'Fermé', status: 'CLOSED', openingHours: hours });
    const at = '2026-11-26T15:00:00+01:00';
    const answer = await h.execute(
      /* GraphQL */ `
        query ($at: DateTime!) {
          spaces(filter: { openAt: $at }) {
            totalCount
            edges {
              node {
                name
                isOpenAt(at: $at)
              }
            }
          }
        }
      `,
      { at },
    );
    expect(answer.data!.spaces).toEqual({
      totalCount: 1,
      edges: [{ node: { name: 'Ouvert', isOpenAt: true } }],
    });
  });
});
