import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeOrThrow } from '@tiers-lieux/schema/compose';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNetworkRepresentation, partnersNamedIn } from '../src/partners/owners.js';
import { post, startGateway } from '../src/testing/index.js';

/**
 * A person is the network's; each partner holds part of what is theirs. Here a network-like
 * subgraph owns `Person`, and three partners serve a contract that adds the person's
 * registrations and visits at that partner: the router asks every partner for the person and
 * merges the parts.
 */
const NETWORK_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Person @key(fields: "id") {
    id: ID!
    name: String!
  }
  type Query {
    person(id: ID!): Person
  }
`;
const PARTNER_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  scalar DateTime
  type Person @key(fields: "id") {
    id: ID!
    registrations: [Registration!]!
    visits: [Visit!]!
  }
  type Registration {
    id: ID!
    event: Event!
  }
  type Event {
    id: ID!
    startsAt: DateTime!
  }
  type Visit {
    id: ID!
    checkedInAt: DateTime!
  }
  type Query {
    partnerName: String
  }
`;

const INES = 'network:person:0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a12';
const LUCAS = 'network:person:0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a11';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Record {
  person: string;
  kind: 'registration' | 'visit';
  at: string;
}

async function serve(typeDefs: string, resolvers: object) {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return { url, stop: () => server.stop() };
}

/** A partner whose records of people are `records`, each with an id naming the partner. */
function partnerServer(slug: string, records: Record[]) {
  const own = (kind: string, n: number) => `${slug}:${kind}:${uuid(n)}`;
  const of = (person: string, kind: Record['kind']) =>
    records.flatMap((r, n) => (r.person === person && r.kind === kind ? [{ ...r, n }] : []));
  return serve(PARTNER_SDL, {
    Person: {
      __resolveReference: ({ id }: { id: string }) => ({ id }),
      registrations: ({ id }: { id: string }) =>
        of(id, 'registration').map((r) => ({
          id: own('registration', r.n),
          event: { id: own('event', r.n), startsAt: r.at },
        })),
      visits: ({ id }: { id: string }) =>
        of(id, 'visit').map((r) => ({ id: own('visit', r.n), checkedInAt: r.at })),
    },
  });
}

const PERSON = /* GraphQL */ `
  query ($id: ID!) {
    person(id: $id) {
      name
      registrations {
        id
        event {
          startsAt
        }
      }
      visits {
        id
        checkedInAt
      }
    }
  }
`;

describe('a person from the network, whose records several partners hold', () => {
  const stops: (() => Promise<void>)[] = [];
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let withDown: Awaited<ReturnType<typeof startGateway>>;

  beforeAll(async () => {
    const network = await serve(NETWORK_SDL, {
      Query: {
        person: (_: unknown, { id }: { id: string }) => ({ id, name: `Person ${id.slice(-2)}` }),
      },
      Person: {
        __resolveReference: ({ id }: { id: string }) => ({ id, name: `Person ${id.slice(-2)}` }),
      },
    });
    const cantine = await partnerServer('cantine', [
      { person: INES, kind: 'registration', at: '2026-12-03T18:00:00.000Z' },
      { person: INES, kind: 'visit', at: '2026-11-20T08:00:00.000Z' },
      { person: LUCAS, kind: 'visit', at: '2026-11-02T08:00:00.000Z' },
    ]);
    const laserre = await partnerServer('laserre', [
      { person: INES, kind: 'registration', at: '2026-12-01T09:00:00.000Z' },
      { person: INES, kind: 'registration', at: '2026-12-10T09:00:00.000Z' },
      { person: INES, kind: 'visit', at: '2026-11-25T08:00:00.000Z' },
    ]);
    const locomotive = await partnerServer('locomotive', []);
    await locomotive.stop();
    stops.push(network.stop, cantine.stop, laserre.stop);
    const supergraphSdl = composeOrThrow([
      { name: 'network', url: network.url, sdl: NETWORK_SDL },
      { name: 'space', url: 'http://127.0.0.1:1/', sdl: PARTNER_SDL },
    ]);
    const partners = [
      { slug: 'cantine', url: cantine.url, status: 'ACTIVE' as const },
      { slug: 'laserre', url: laserre.url, status: 'ACTIVE' as const },
    ];
    gateway = await startGateway({ supergraphSdl, partnerContractSdl: PARTNER_SDL, partners });
    withDown = await startGateway({
      supergraphSdl,
      partnerContractSdl: PARTNER_SDL,
      partners: [...partners, { slug: 'locomotive', url: locomotive.url, status: 'ACTIVE' }],
    });
    stops.unshift(
      () => gateway.stop(),
      () => withDown.stop(),
    );
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it('asks every partner and merges their parts: registrations by event start, visits latest first', async () => {
    expect(await post(gateway.graphqlUrl, PERSON, { id: INES })).toEqual({
      data: {
        person: {
          name: 'Person 12',
          registrations: [
            {
              id: `laserre:registration:${uuid(0)}`,
              event: { startsAt: '2026-12-01T09:00:00.000Z' },
            },
            {
              id: `cantine:registration:${uuid(0)}`,
              event: { startsAt: '2026-12-03T18:00:00.000Z' },
            },
            {
              id: `laserre:registration:${uuid(1)}`,
              event: { startsAt: '2026-12-10T09:00:00.000Z' },
            },
          ],
          visits: [
            { id: `laserre:visit:${uuid(2)}`, checkedInAt: '2026-11-25T08:00:00.000Z' },
            { id: `cantine:visit:${uuid(1)}`, checkedInAt: '2026-11-20T08:00:00.000Z' },
          ],
        },
      },
    });
    expect(await post(gateway.graphqlUrl, PERSON, { id: LUCAS })).toEqual({
      data: {
        person: {
          name: 'Person 11',
          registrations: [],
          visits: [{ id: `cantine:visit:${uuid(2)}`, checkedInAt: '2026-11-02T08:00:00.000Z' }],
        },
      },
    });
  });

  it('keeps the parts of the partners that answer when one is down, and names the one that is not', async () => {
    const answer = await post(withDown.graphqlUrl, PERSON, { id: INES });
    expect(answer.data?.person.registrations).toHaveLength(3);
    expect(answer.data?.person.visits).toHaveLength(2);
    expect(answer.errors).toEqual([
      expect.objectContaining({
        path: ['person'],
        extensions: expect.objectContaining({ code: 'PARTNER_UNAVAILABLE', partner: 'locomotive' }),
      }),
    ]);
  });
});

describe('what names a partner', () => {
  const space = `cantine:space:${uuid(7)}`;

  it("routes a write that names a person and a space to the space's partner", () => {
    expect([...partnersNamedIn({ input: { personId: INES, spaceId: space } })]).toEqual([
      'cantine',
    ]);
    expect([...partnersNamedIn({ input: { personId: INES, partner: INES } })]).toEqual([]);
    expect([...partnersNamedIn({ id: `network:space:${uuid(1)}` })]).toEqual([]);
  });

  it('sends a person to every partner, and nothing that names a partner', () => {
    expect(isNetworkRepresentation({ __typename: 'Person', id: INES })).toBe(true);
    expect(isNetworkRepresentation({ __typename: 'Space', id: space })).toBe(false);
    expect(isNetworkRepresentation({ __typename: 'Person', id: 'network:person:x' })).toBe(false);
  });
});
