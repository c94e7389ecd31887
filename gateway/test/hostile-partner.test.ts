import { encodeCursor } from '@tiers-lieux/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HostilePartner,
  startGateway,
  startPartner,
  type Behaviour,
  type HostileSpace,
  type RunningPartner,
} from '../src/testing/index.js';

const DIRECTORY = /* GraphQL */ `
  query Directory($first: Int) {
    spaces(first: $first) {
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
          website
          description
          status
        }
      }
    }
  }
`;

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const evilSpace = (n: number, fields: Partial<HostileSpace> = {}): HostileSpace => ({
  id: `evil:space:${uuid(n)}`,
  partnerSlug: 'evil',
  name: `Evil ${n}`,
  ...fields,
});

describe('a hostile partner, on a real network with an honest one', () => {
  let cantine: RunningPartner;
  let cantineSpaceId: string;
  const evil = new HostilePartner('evil');
  let gateway: Awaited<ReturnType<typeof startGateway>>;

  beforeAll(async () => {
    cantine = await startPartner('cantine');
    cantineSpaceId = (
      await cantine.seed.space({ name: 'La Cantine', website: 'https://lacantine.example' })
    ).publicId;
    await evil.start();
    gateway = await startGateway({
      partners: [
        { slug: 'cantine', url: cantine.url, status: 'ACTIVE' },
        { slug: 'evil', url: evil.url, status: 'ACTIVE' },
      ],
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await evil.close();
    await cantine?.close();
  });

  async function directory(behaviour: Behaviour, first = 10) {
    evil.behaviour = behaviour;
    const response = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: DIRECTORY, variables: { first } }),
    });
    const text = await response.text();
    const answer = JSON.parse(text) as {
      data: { spaces: { totalCount: number; edges: { cursor: string; node: any }[] } } | null;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
    return { status: response.status, text, answer, edges: answer.data?.spaces.edges ?? [] };
  }

  const badResponse = (dropped: number) =>
    expect.objectContaining({
      path: ['spaces'],
      extensions: expect.objectContaining({
        code: 'PARTNER_BAD_RESPONSE',
        partner: 'evil',
        dropped,
      }),
    });

  it('serves an honest hostile partner like any other', async () => {
    const { answer } = await directory({ kind: 'spaces', spaces: [evilSpace(1)] });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.spaces.edges.map((e) => e.node.name)).toEqual(['Evil 1', 'La Cantine']);
  });

  describe('ownership', () => {
    it("drops an item that takes another partner's real id, and names the partner", async () => {
      const { answer, edges } = await directory({
        kind: 'spaces',
        spaces: [
          {
            id: cantineSpaceId,
            partnerSlug: 'cantine',
            name: 'La Cantine',
            description: 'Fermée, payez par virement',
          },
          evilSpace(1),
        ],
      });
      expect(edges.map((e) => [e.node.id, e.node.description])).toEqual([
        [`evil:space:${uuid(1)}`, null],
        [cantineSpaceId, null],
      ]);
      expect(answer.errors).toEqual([badResponse(1)]);
    });

    it('drops an item whose partner field names another partner, and a second item of one id', async () => {
      const { answer, edges } = await directory({
        kind: 'spaces',
        spaces: [
          evilSpace(1, { partnerSlug: 'cantine' }),
          evilSpace(2),
          evilSpace(2, { name: 'Evil 2' }),
          { id: `cantine:space:${uuid(3)}`, partnerSlug: 'evil', name: 'Spoof' },
        ],
      });
      expect(edges.map((e) => e.node.name)).toEqual(['Evil 2', 'La Cantine']);
      expect(answer.errors).toEqual([badResponse(3)]);
    });
  });

  describe('containment', () => {
    const cases: [string, Behaviour, number][] = [
      ['null for a non-null name', { kind: 'spaces', spaces: [evilSpace(1, { name: null })] }, 1],
      ['a number for a name', { kind: 'spaces', spaces: [evilSpace(1, { name: 42 })] }, 1],
      [
        'an unknown enum value',
        { kind: 'spaces', spaces: [evilSpace(1, { status: 'HACKED' })] },
        1,
      ],
      ['a malformed cursor', { kind: 'spaces', spaces: [evilSpace(1, { cursor: '%%%' })] }, 1],
      [
        'a name longer than the contract’s 200 characters',
        { kind: 'spaces', spaces: [evilSpace(1, { name: 'x'.repeat(201) })] },
        1,
      ],
    ];
    for (const [what, behaviour, dropped] of cases) {
      it(`drops an item with ${what} and serves the others`, async () => {
        const { answer, status } = await directory(behaviour);
        expect(status).toBe(200);
        expect(answer.data!.spaces.edges.map((e) => e.node.name)).toEqual(['La Cantine']);
        expect(answer.data!.spaces.totalCount).toBe(2);
        expect(answer.errors).toEqual([badResponse(dropped)]);
      });
    }

    for (const totalCount of ['12', -5, 1.5, { n: 1 }]) {
      it(`drops the whole page of a partner that counts ${JSON.stringify(totalCount)}`, async () => {
        const { answer } = await directory({ kind: 'spaces', spaces: [evilSpace(1)], totalCount });
        expect(answer.data!.spaces).toMatchObject({
          totalCount: 1,
          edges: [{ node: { name: 'La Cantine' } }],
        });
        expect(answer.errors).toEqual([badResponse(0)]);
      });
    }

    it('shows a website only when it is an http(s) URL, nulled with the coded error otherwise', async () => {
      const { answer, edges } = await directory({
        kind: 'spaces',
        spaces: [
          evilSpace(1, { website: 'javascript:alert(document.cookie)' }),
          evilSpace(2, { website: 'https://evil.example/' }),
          evilSpace(3, { website: 'data:text/html,<script>alert(1)</script>' }),
        ],
      });
      expect(edges.map((e) => [e.node.name, e.node.website])).toEqual([
        ['Evil 1', null],
        ['Evil 2', 'https://evil.example/'],
        ['Evil 3', null],
        ['La Cantine', 'https://lacantine.example'],
      ]);
      expect(answer.errors).toEqual([badResponse(0)]);
      expect(answer.errors![0]!.message).toContain('2 value(s) nulled');
    });
  });

  describe('fair ranking', () => {
    it('refuses a cursor that ranks an item ahead of its name', async () => {
      const { answer, edges } = await directory(
        {
          kind: 'spaces',
          spaces: [evilSpace(1, { name: 'Zénith', cursor: encodeCursor(['', uuid(1)]) })],
        },
        1,
      );
      expect(edges.map((e) => e.node.name)).toEqual(['La Cantine']);
      expect(answer.errors).toEqual([badResponse(1)]);
    });

    it('gives the cursors of the keys it checked, not the ones a partner wrote', async () => {
      const honest = encodeCursor(['evil 1', uuid(1)]);
      const padded = `${honest}!!`;
      const { edges } = await directory({
        kind: 'spaces',
        spaces: [evilSpace(1, { cursor: padded })],
      });
      expect(edges[0]!.cursor).toBe(honest);
    });

    it('keeps at most first + 1 items of a page', async () => {
      const spaces = Array.from({ length: 50 }, (_, i) => evilSpace(i + 1, { name: `E${i}` }));
      const { answer, edges } = await directory({ kind: 'spaces', spaces }, 2);
      expect(edges.map((e) => e.node.name)).toEqual(['E0', 'E1']);
      expect(answer.errors).toEqual([badResponse(47)]);
    });

    for (const [what, spaces] of [
      ['100,000 items', Array.from({ length: 100_000 }, (_, i) => evilSpace(i + 1))],
      ['a 10 MB name', [evilSpace(1, { name: 'x'.repeat(10_000_000) })]],
    ] as const) {
      it(`serves the others, and /health fast, while a partner sends ${what}`, async () => {
        await directory({ kind: 'spaces', spaces: [] });
        const body = evil.render({ kind: 'spaces', spaces: [...spaces] });
        const pending = directory({ kind: 'raw', body }, 2);
        const started = Date.now();
        const health = await fetch(`${gateway.url}/health`);
        expect(health.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(1_000);
        const { answer, edges, text } = await pending;
        expect(edges.map((e) => e.node.name)).toEqual(['La Cantine']);
        expect(text.length).toBeLessThan(10_000);
        expect(answer.errors).toEqual([
          expect.objectContaining({
            extensions: expect.objectContaining({ code: 'PARTNER_BAD_RESPONSE', partner: 'evil' }),
          }),
        ]);
      });
    }
  });

  describe('transport', () => {
    it('follows no redirect, even to a real partner', async () => {
      const { answer, edges } = await directory({
        kind: 'raw',
        status: 307,
        headers: { location: cantine.url },
      });
      expect(edges.map((e) => e.node.name)).toEqual(['La Cantine']);
      expect(answer.errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'PARTNER_BAD_RESPONSE', partner: 'evil' }),
        }),
      ]);
    });

    it("relays neither a partner's message nor its HTTP status; keeps a public code", async () => {
      const { status, text, answer } = await directory({
        kind: 'spaces',
        spaces: [evilSpace(1)],
        errors: [
          {
            message: 'Session expired, log in at https://evil.example',
            path: ['spaces'],
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          },
          { message: 'SQL error at db-7.internal', extensions: { code: 'DATABASE_DOWN' } },
        ],
      });
      expect(status).toBe(200);
      expect(text).not.toContain('evil.example');
      expect(text).not.toContain('db-7.internal');
      expect(answer.data!.spaces.edges).toHaveLength(2);
      expect(answer.errors!.map((e) => e.extensions)).toEqual([
        expect.objectContaining({ code: 'UNAUTHENTICATED', partner: 'evil' }),
        expect.objectContaining({ code: 'PARTNER_ERROR', partner: 'evil' }),
      ]);
      expect(answer.errors!.every((e) => !('http' in e.extensions!))).toBe(true);
    });

    it('does not let a partner speak for another', async () => {
      const { answer } = await directory({
        kind: 'spaces',
        spaces: [],
        errors: [
          {
            message: 'Partner "cantine" is unavailable',
            extensions: { code: 'PARTNER_UNAVAILABLE', partner: 'cantine' },
          },
        ],
      });
      expect(answer.data!.spaces.edges.map((e) => e.node.name)).toEqual(['La Cantine']);
      expect(answer.errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'PARTNER_ERROR', partner: 'evil' }),
        }),
      ]);
      expect(answer.errors![0]!.message).not.toContain('cantine');
    });
  });
});
