import { foldText } from '@tiers-lieux/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultyProxy,
  post,
  startGateway,
  startPartner,
  tokens,
  type RunningPartner,
} from '../src/testing/index.js';

const DIRECTORY = /* GraphQL */ `
  query Directory($filter: SpaceFilter, $first: Int, $after: String) {
    spaces(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          name
          partnerSlug
          distanceKm
        }
      }
    }
  }
`;

type Edge = {
  cursor: string;
  node: { id: string; name: string; partnerSlug: string; distanceKm: number | null };
};

describe('the partner router, through the gateway, over three real partners', () => {
  const partners: RunningPartner[] = [];
  const proxies = new Map<string, FaultyProxy>();
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  // Very different sizes, and names that interleave across partners.
  const names: Record<string, string[]> = {
    baronnies: ['La Serre', 'Les Tuves'],
    cantine: ['La Cantine'],
    laserre: [
      'Atelier',
      'Bastide',
      'Étable',
      'Forge',
      'Grange',
      'Hangar',
      'Îlot',
      'Kiosque',
      'Zénith',
    ],
  };
  const events: Record<string, string[]> = {};

  beforeAll(async () => {
    for (const slug of Object.keys(names)) {
      const partner = await startPartner(slug);
      partners.push(partner);
      const proxy = new FaultyProxy(partner.url);
      await proxy.start();
      proxies.set(slug, proxy);
      events[slug] = [];
      let day = 1;
      for (const name of names[slug]!) {
        const space = await partner.seed.space({ name, lat: 44 + day / 100, lon: 5 + day / 100 });
        const startsAt = new Date(Date.UTC(2030, 0, day, 8 + partners.length));
        await partner.seed.event(space.id, { title: `${name} — atelier`, startsAt });
        events[slug]!.push(`${name} — atelier`);
        day += 2;
      }
    }
    gateway = await startGateway({
      partners: [...proxies].map(([slug, proxy]) => ({ slug, url: proxy.url, status: 'ACTIVE' })),
      partnerTimeoutMs: 500,
      maxPartnerResponseBytes: 4 * 1024 * 1024,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    for (const proxy of proxies.values()) await proxy.close().catch(() => {});
    for (const partner of partners) await partner.close();
  });

  async function pageThrough(variables: Record<string, unknown>, first = 3) {
    const seen: Edge[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let guard = 0; guard < 20; guard++) {
      const answer = await post(gateway.graphqlUrl, DIRECTORY, { ...variables, first, after });
      expect(answer.errors).toBeUndefined();
      const spaces = answer.data!.spaces;
      totalCount = spaces.totalCount;
      seen.push(...spaces.edges);
      if (!spaces.pageInfo.hasNextPage) break;
      after = spaces.pageInfo.endCursor;
    }
    return { seen, totalCount };
  }

  it('pages through the whole network with first: 3, every space exactly once, in name order', async () => {
    const { seen, totalCount } = await pageThrough({});
    const all = Object.values(names).flat();
    expect(totalCount).toBe(all.length);
    expect(seen.map((e) => e.node.name)).toEqual(
      [...all].sort((a, b) => (foldText(a) < foldText(b) ? -1 : 1)),
    );
    expect(new Set(seen.map((e) => e.node.id)).size).toBe(all.length);
  });

  it('returns what the partners answer one by one, merged by hand', async () => {
    const direct: Edge[] = [];
    for (const partner of partners) {
      const answer = await post(partner.url, DIRECTORY, { first: 50 });
      direct.push(...answer.data!.spaces.edges);
    }
    direct.sort((a, b) => (foldText(a.node.name) < foldText(b.node.name) ? -1 : 1));
    const through = await post(gateway.graphqlUrl, DIRECTORY, { first: 50 });
    expect(through.data!.spaces.edges).toEqual(direct);
    expect(through.data!.spaces.totalCount).toBe(direct.length);
  });

  it('returns the calendar the partners answer one by one, merged by hand in start order', async () => {
    const CALENDAR = /* GraphQL */ `
      query ($first: Int) {
        events(first: $first, filter: { from: "2029-12-31T00:00:00+01:00" }) {
          edges {
            node {
              id
              title
              startsAt
              space {
                name
              }
            }
          }
        }
      }
    `;
    type EventEdge = { node: { id: string; startsAt: string } };
    const direct: EventEdge[] = [];
    for (const partner of partners) {
      direct.push(...(await post(partner.url, CALENDAR, { first: 50 })).data!.events.edges);
    }
    const uuid = (id: string) => id.split(':')[2]!;
    direct.sort(
      (a, b) =>
        Date.parse(a.node.startsAt) - Date.parse(b.node.startsAt) ||
        (uuid(a.node.id) < uuid(b.node.id) ? -1 : 1),
    );
    const through = await post(gateway.graphqlUrl, CALENDAR, { first: 50 });
    expect(through.data!.events.edges).toEqual(direct);
  });

  it('orders by distance across partners and pages through without repeats', async () => {
    const near = { lat: 44, lon: 5, radiusKm: 500 };
    const { seen } = await pageThrough({ filter: { near } }, 4);
    const distances = seen.map((e) => e.node.distanceKm!);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(seen).toHaveLength(12);
    expect(new Set(seen.map((e) => e.node.id)).size).toBe(12);
  });

  it('merges the network calendar in start order', async () => {
    const answer = await post(
      gateway.graphqlUrl,
      /* GraphQL */ `
        query {
          events(first: 50, filter: { from: "2029-12-31T00:00:00+01:00" }) {
            totalCount
            edges {
              node {
                title
                startsAt
              }
            }
          }
        }
      `,
    );
    const starts = answer.data!.events.edges.map((e: { node: { startsAt: string } }) =>
      Date.parse(e.node.startsAt),
    );
    expect(answer.data!.events.totalCount).toBe(12);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('merges only what the client asked: no routing field leaks into the answer', async () => {
    const answer = await post(gateway.graphqlUrl, `{ spaces(first: 2) { totalCount } }`);
    expect(answer).toEqual({ data: { spaces: { totalCount: 12 } } });
    const aliased = await post(
      gateway.graphqlUrl,
      `{ a: spaces(first: 1) { n: totalCount p: pageInfo { more: hasNextPage } e: edges { node { name } } } }`,
    );
    expect(aliased).toEqual({
      data: { a: { n: 12, p: { more: true }, e: [{ node: { name: 'Atelier' } }] } },
    });
  });

  it('carries several root fields in one fetch, each merged by its own rule', async () => {
    const [serre] = (await post(partners[0]!.url, `{ spaces(first: 1) { edges { node { id } } } }`))
      .data!.spaces.edges;
    const answer = await post(
      gateway.graphqlUrl,
      `query ($id: ID!) { space(id: $id) { name } spaces(first: 1) { totalCount } events(first: 1) { totalCount } }`,
      { id: serre.node.id },
    );
    expect(answer).toEqual({
      data: { space: { name: 'La Serre' }, spaces: { totalCount: 12 }, events: { totalCount: 12 } },
    });
  });

  it('sends a lookup by id to the owning partner only', async () => {
    const [tuves] = (
      await post(
        partners[0]!.url,
        `{ spaces(filter: { text: "tuves" }) { edges { node { id } } } }`,
      )
    ).data!.spaces.edges;
    const before = Object.fromEntries([...proxies].map(([slug, p]) => [slug, p.requests]));
    const answer = await post(
      gateway.graphqlUrl,
      `query ($id: ID!) { space(id: $id) { name partnerSlug } }`,
      { id: tuves.node.id },
    );
    expect(answer).toEqual({ data: { space: { name: 'Les Tuves', partnerSlug: 'baronnies' } } });
    const after = Object.fromEntries(
      [...proxies].map(([slug, p]) => [slug, p.requests - before[slug]!]),
    );
    expect(after).toEqual({ baronnies: 1, cantine: 0, laserre: 0 });
  });

  it("asks only the partners a calendar filter's spaces name, and no other", async () => {
    const [tuves] = (
      await post(
        partners[0]!.url,
        `{ spaces(filter: { text: "tuves" }) { edges { node { id } } } }`,
      )
    ).data!.spaces.edges;
    const before = Object.fromEntries([...proxies].map(([slug, p]) => [slug, p.requests]));
    const answer = await post(
      gateway.graphqlUrl,
      `query ($ids: [ID!]) { events(filter: { spaceIds: $ids }) { totalCount } }`,
      { ids: [tuves.node.id] },
    );
    expect(answer.errors).toBeUndefined();
    const after = Object.fromEntries(
      [...proxies].map(([slug, p]) => [slug, p.requests - before[slug]!]),
    );
    expect(after).toEqual({ baronnies: 1, cantine: 0, laserre: 0 });
  });

  it('answers a clear error for an id naming an unknown partner or no partner', async () => {
    const unknown = await post(
      gateway.graphqlUrl,
      `{ space(id: "nowhere:space:6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31") { name } }`,
    );
    expect(unknown).toMatchObject({
      data: { space: null },
      errors: [{ path: ['space'], extensions: { code: 'UNKNOWN_PARTNER', partner: 'nowhere' } }],
    });
    const malformed = await post(gateway.graphqlUrl, `{ space(id: "La Serre") { name } }`);
    expect(malformed).toMatchObject({
      data: { space: null },
      errors: [{ extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });

  it('routes a mutation to the partner its input names, never broadcast', async () => {
    const before = Object.fromEntries([...proxies].map(([slug, p]) => [slug, p.requests]));
    const input = {
      partner: 'cantine',
      name: 'La Cantine — annexe',
      kinds: ['COWORKING'],
      address: { postalCode: '31000', commune: 'Toulouse', inseeCode: '31555', department: '31' },
      location: { lat: 43.6, lon: 1.44 },
    };
    const mutation = `mutation ($input: CreateSpaceInput!) { createSpace(input: $input) { space { id partnerSlug } error { code } } }`;
    const answer = await post(
      gateway.graphqlUrl,
      mutation,
      { input },
      await tokens.manager('cantine'),
    );
    expect(answer.data!.createSpace.space.partnerSlug).toBe('cantine');
    const after = Object.fromEntries(
      [...proxies].map(([slug, p]) => [slug, p.requests - before[slug]!]),
    );
    expect(after).toEqual({ baronnies: 0, cantine: 1, laserre: 0 });

    const forbidden = await post(
      gateway.graphqlUrl,
      mutation,
      { input },
      await tokens.manager('laserre'),
    );
    expect(forbidden.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      partner: 'cantine',
    });
  });

  it('refuses a mutation whose ids name two partners', async () => {
    const answer = await post(
      gateway.graphqlUrl,
      `mutation { registerForEvent(input: { eventId: "cantine:event:6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31", memberId: "laserre:member:6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31" }) { error { code } } }`,
      {},
      await tokens.coordinator(),
    );
    expect(answer).toMatchObject({
      data: null,
      errors: [{ extensions: { code: 'BAD_USER_INPUT' } }],
    });
    expect(answer.errors![0]!.message).toContain('names several partners (cantine, laserre)');
  });

  describe('when a partner fails', () => {
    const failures = [
      ['hang', 'PARTNER_TIMEOUT'],
      ['garbage', 'PARTNER_BAD_RESPONSE'],
      ['http500', 'PARTNER_BAD_RESPONSE'],
      ['not-graphql', 'PARTNER_BAD_RESPONSE'],
      ['wrong-shape', 'PARTNER_BAD_RESPONSE'],
      ['flood', 'PARTNER_BAD_RESPONSE'],
    ] as const;

    for (const [mode, code] of failures) {
      it(`keeps the others' data and names the partner when it ${mode === 'hang' ? 'hangs' : `answers ${mode}`}`, async () => {
        proxies.get('laserre')!.mode = mode;
        try {
          const started = Date.now();
          const answer = await post(gateway.graphqlUrl, DIRECTORY, { first: 50 });
          expect(Date.now() - started).toBeLessThan(5_000);
          expect(answer.data!.spaces.totalCount).toBe(
            names.baronnies!.length + names.cantine!.length + 1,
          );
          expect(
            answer.data!.spaces.edges.every((e: Edge) => e.node.partnerSlug !== 'laserre'),
          ).toBe(true);
          expect(answer.errors).toEqual([
            expect.objectContaining({
              path: ['spaces'],
              extensions: expect.objectContaining({ code, partner: 'laserre' }),
            }),
          ]);
        } finally {
          proxies.get('laserre')!.mode = 'pass';
        }
      });
    }

    it('keeps serving when a partner is down, with PARTNER_UNAVAILABLE', async () => {
      const down = new FaultyProxy('http://127.0.0.1:1/');
      await down.start();
      await down.close();
      const withDown = await startGateway({
        partners: [
          { slug: 'baronnies', url: partners[0]!.url, status: 'ACTIVE' },
          { slug: 'ghost', url: down.url, status: 'ACTIVE' },
        ],
      });
      try {
        const answer = await post(withDown.graphqlUrl, `{ spaces { totalCount } }`);
        expect(answer).toMatchObject({
          data: { spaces: { totalCount: 2 } },
          errors: [
            { path: ['spaces'], extensions: { code: 'PARTNER_UNAVAILABLE', partner: 'ghost' } },
          ],
        });
        const asCoordinator = { authorization: `Bearer ${await tokens.coordinator()}` };
        const ready = (await (
          await fetch(`${withDown.url}/ready`, { headers: asCoordinator })
        ).json()) as {
          partners: { slug: string; lastOutcome: string }[];
        };
        expect(ready.partners.map((p) => [p.slug, p.lastOutcome])).toEqual([
          ['baronnies', 'ok'],
          ['ghost', 'PARTNER_UNAVAILABLE'],
        ]);
      } finally {
        await withDown.stop();
      }
    });
  });

  it('reuses kept-alive connections to partners', async () => {
    const proxy = proxies.get('cantine')!;
    const before = proxy.connections;
    for (let i = 0; i < 20; i++) await post(gateway.graphqlUrl, `{ spaces { totalCount } }`);
    expect(proxy.connections - before).toBeLessThanOrEqual(2);
  });
});
