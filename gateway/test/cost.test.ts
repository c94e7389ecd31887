import { composeOrThrow, networkSubgraphs } from '@tiers-lieux/schema/compose';
import * as web from '@tiers-lieux/web/operations';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  Kind,
  parse,
  type OperationDefinitionNode,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBounds, operationCost } from '../src/cost.js';
import { DEFAULT_LIMITS } from '../src/limits.js';
import { startSeededNetwork } from '../src/testing/index.js';

const SUPERGRAPH = composeOrThrow(networkSubgraphs());
const SCHEMA = buildSchema(SUPERGRAPH, { assumeValidSDL: true });
const BOUNDS = listBounds(SUPERGRAPH);

function price(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return operationCost(SCHEMA, BOUNDS, document, operation, variables);
}

/** The attack of issue 12 on the paginated contract: 12 aliases of lists nested in lists. */
const ATTACK = `{ ${Array.from(
  { length: 12 },
  (_, i) =>
    `a${i}: passProducts { edges { node { validAt { acceptedPasses { validAt { events(first: 9) { id title startsAt space { name } } } } } } } }`,
).join(' ')} }`;

describe('the price of a query', () => {
  it('states a bound for every list field of the network graph', () => {
    const sizedByParent = new Set(
      [...BOUNDS.values()].flatMap((b) => b.sizedFields ?? []).map((f) => f),
    );
    const table: Record<string, string> = {};
    for (const type of Object.values(SCHEMA.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || type.name.startsWith('join__'))
        continue;
      for (const field of Object.values(type.getFields())) {
        const bound = BOUNDS.get(`${type.name}.${field.name}`);
        const list = isListType(getNullableType(field.type));
        if (!bound && !list) continue;
        const key = `${type.name}.${field.name}`;
        if (bound?.slicingArguments)
          table[key] =
            `${bound.slicingArguments.join(', ')}${bound.sizedFields ? ` × ${bound.sizedFields.join(', ')}` : ''}`;
        else if (bound?.assumedSize) table[key] = `at most ${bound.assumedSize}`;
        else if (sizedByParent.has(field.name) && getNamedType(field.type).name.endsWith('Edge'))
          table[key] = 'its connection’s first';
        else table[key] = 'UNBOUNDED';
      }
    }
    expect(table).toEqual({
      'Booking.bundle': 'at most 10',
      'Event.registrations': 'first',
      'EventConnection.edges': 'its connection’s first',
      'EventSeries.occurrences': 'first',
      'Member.directorySkills': 'at most 30',
      'Member.memberships': 'first',
      'Member.passes': 'first',
      'Member.registrations': 'first',
      'Member.skills': 'at most 30',
      'Member.visits': 'first',
      'MemberConnection.edges': 'its connection’s first',
      'Partner.outboxDeadLetters': 'first',
      'Partner.passProducts': 'first × edges',
      'Partner.spaces': 'first × edges',
      'PartnerCheck.missing': 'at most 500',
      'Pass.redemptions': 'first',
      'Pass.validAt': 'at most 100',
      'PassConnection.edges': 'its connection’s first',
      'PassProduct.validAt': 'at most 100',
      'PassProductConnection.edges': 'its connection’s first',
      'Person.bookings': 'first',
      'Person.eventMessagePreferences': 'at most 1',
      'Person.identities': 'at most 20',
      'Person.memberships': 'at most 1',
      'Person.passMessagePreferences': 'at most 2',
      'Person.passes': 'first',
      'Person.registrations': 'first',
      'Person.roles': 'at most 201',
      'Person.visits': 'first',
      'PersonConnection.edges': 'its connection’s first',
      'Query.directoryOptIns': 'at most 121',
      'Query.eventAttendance': 'first',
      'Query.events': 'first × edges',
      'Query.freeResources': 'first × edges',
      'Query.members': 'first × edges',
      'Query.networkOutboxDeadLetters': 'first',
      'Query.occupancyByHour': 'at most 168',
      'Query.partners': 'at most 100',
      'Query.passProducts': 'first × edges',
      'Query.passSales': 'first',
      'Query.passes': 'first × edges',
      'Query.people': 'first × edges',
      'Query.roleGrants': 'first × edges',
      'Query.spaces': 'first × edges',
      'Query.visitsByWeek': 'first',
      'Resource.freeSlots': 'at most 48',
      'ResourceConnection.edges': 'its connection’s first',
      'RoleGrantConnection.edges': 'its connection’s first',
      'Settlement.lines': 'first',
      'SignedInPerson.manages': 'at most 100',
      'SignedInPerson.staffs': 'at most 100',
      'Space.acceptedPasses': 'first',
      'Space.amenities': 'at most 13',
      'Space.audiences': 'at most 9',
      'Space.bookings': 'at most 500',
      'Space.events': 'first',
      'Space.kinds': 'at most 7',
      'Space.members': 'first',
      'Space.nextOpenings': 'count',
      'Space.offers': 'at most 50',
      'Space.presentVisits': 'at most 200',
      'Space.resources': 'at most 50',
      'Space.services': 'at most 6',
      'SpaceConnection.edges': 'its connection’s first',
    });
  });

  it('counts every value an answer can hold, lists at their bound', () => {
    const cases = {
      '{ partners { slug name } }': 100 * 3,
      '{ passProducts { totalCount } }': 1 + 20 + 1,
      '{ passProducts(first: 5) { edges { node { id validAt { id } } } } }':
        1 + 5 + 5 * (1 + 1 + 1 + 100 * 2),
      'query ($n: Int) { events(first: $n) { edges { cursor } } }': 1 + 50 + 50 * 2,
      '{ space(id: "x") { kinds events(first: 3) { id } members { id } } }': 1 + 7 + 3 * 2 + 50 * 2,
      '{ space(id: "x") { ...S ... on Space { id } } } fragment S on Space { id name }': 1 + 3,
      '{ __typename }': 1,
    };
    const prices = Object.fromEntries(
      Object.keys(cases).map((query) => [query, price(query, { n: 50 })]),
    );
    expect(prices).toEqual(cases);
  });

  it('prices every operation of the web page and the feeds under the limit', () => {
    // The page sizes they ask for: the directory shows 30 spaces, the rest read pages of 200.
    const prices = Object.fromEntries(
      Object.entries(web)
        .filter(([, text]) => typeof text === 'string')
        .map(([name, text]) => [
          name,
          price(text as string, { first: name === 'DIRECTORY' ? 30 : 200 }),
        ]),
    );
    for (const [name, cost] of Object.entries(prices))
      expect({ name, cost, under: cost <= DEFAULT_LIMITS.maxCost }).toEqual({
        name,
        cost,
        under: true,
      });
  });

  it('prices the attack of issue 12 far over the limit', () => {
    expect(price(ATTACK)).toBeGreaterThan(100 * DEFAULT_LIMITS.maxCost);
  });

  it('prices a negative page size as nothing, so it cannot cancel the price of the rest', () => {
    const negative = `n: space(id: "cantine:space:6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31") { acceptedPasses(first: -2147483648) { validAt { acceptedPasses(first: 100) { validAt { name } } } } }`;
    const attack = ATTACK.slice(1, -1);
    expect(price(`{ ${negative} ${attack} }`)).toBeGreaterThanOrEqual(price(ATTACK));
    expect(price(`{ ${negative} }`)).toBeGreaterThanOrEqual(0);
  });
});

describe('the limits, through the gateway', () => {
  let network: Awaited<ReturnType<typeof startSeededNetwork>>;

  const send = async (url: string, query: string, variables?: Record<string, unknown>) => {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return {
      status: response.status,
      bytes: Buffer.byteLength(text),
      ms: performance.now() - started,
      body: JSON.parse(text) as {
        data?: unknown;
        errors?: { extensions?: Record<string, unknown> }[];
      },
    };
  };

  beforeAll(async () => {
    network = await startSeededNetwork({ limits: { maxResponseBytes: 2048 } });
  }, 120_000);
  afterAll(async () => {
    await network?.stop();
  });

  it('refuses the attack of issue 12 before asking any subgraph, in a small answer (once warm)', async () => {
    await send(network.gateway.graphqlUrl, ATTACK);
    const answer = await send(network.gateway.graphqlUrl, ATTACK);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(answer.body.errors?.[0]?.extensions?.maxCost).toBe(DEFAULT_LIMITS.maxCost);
    expect(answer.bytes).toBeLessThan(1_000_000);
    expect(answer.ms).toBeLessThan(100);
  });

  it('prices a page size given in a variable by its value', async () => {
    const query = 'query ($n: Int) { events(first: $n) { edges { node { id title } } } }';
    const refused = await send(network.gateway.graphqlUrl, query, { n: 10_000 });
    const served = await send(network.gateway.graphqlUrl, query, { n: 5 });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(served.status).toBe(200);
    expect(served.body.errors).toBeUndefined();
  });

  it('answers sliced lists at most `first` items and refuses a `first` over their maximum', async () => {
    const sliced = await send(
      network.gateway.graphqlUrl,
      '{ passProducts(first: 3) { edges { node { validAt { acceptedPasses(first: 1) { id } } } } } }',
    );
    const lists = (sliced.body.data as any).passProducts.edges.flatMap(
      (e: { node: { validAt: { acceptedPasses: unknown[] }[] } }) =>
        e.node.validAt.map((s) => s.acceptedPasses.length),
    );
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.every((n: number) => n === 1)).toBe(true);
    for (const query of [
      '{ passProducts(first: 101) { totalCount } }',
      '{ passProducts(first: 1) { edges { node { validAt { acceptedPasses(first: 101) { id } } } } } }',
    ]) {
      const refused = await send(network.gateway.graphqlUrl, query);
      expect(refused.body.errors?.map((e) => e.extensions?.code)).toContain('BAD_USER_INPUT');
    }
  });

  it('serves the passProducts connection page by page', async () => {
    const query = `query ($after: String) {
      passProducts(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } }
    }`;
    const names: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 10; page++) {
      const { body } = await send(network.gateway.graphqlUrl, query, { after });
      const connection = (body.data as any).passProducts;
      total = connection.totalCount;
      names.push(...connection.edges.map((e: { node: { name: string } }) => e.node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(1);
    expect(names).toHaveLength(total);
    expect(new Set(names).size).toBe(total);
  });

  it('replaces an answer over the byte cap (2048 bytes in this suite) with RESPONSE_TOO_LARGE', async () => {
    const query =
      '{ spaces(first: 50) { edges { node { id name description accessNotes openingHours } } } }';
    const big = await send(network.gateway.graphqlUrl, query);
    expect(big.body).toEqual({
      errors: [
        {
          message: expect.stringContaining('over the limit of 2048'),
          extensions: { code: 'RESPONSE_TOO_LARGE', bytes: expect.any(Number), maxBytes: 2048 },
        },
      ],
    });
    expect(big.body.errors?.[0]?.extensions?.bytes).toBeGreaterThan(2048);
    expect(big.bytes).toBeLessThan(2048);
    const fits = await send(network.gateway.graphqlUrl, '{ spaces(first: 1) { totalCount } }');
    expect(fits.body).toEqual({ data: { spaces: { totalCount: expect.any(Number) } } });
  });
});
