import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InflightDeduplication } from '../src/inflight.js';
import {
  FaultyProxy,
  post,
  startGateway,
  startPartner,
  tokens,
  type RunningPartner,
} from '../src/testing/index.js';

type Options = GraphQLDataSourceProcessOptions<Record<string, unknown>>;

/** A data source that answers only when told to, and counts what it was asked. */
class ControlledSource implements GraphQLDataSource<Record<string, unknown>> {
  calls: Options[] = [];
  private pending: ((response: GatewayGraphQLResponse | Error) => void)[] = [];

  process(options: Options): Promise<GatewayGraphQLResponse> {
    this.calls.push(options);
    return new Promise((resolve, reject) =>
      this.pending.push((r) => (r instanceof Error ? reject(r) : resolve(r))),
    );
  }

  answerAll(response: () => GatewayGraphQLResponse | Error) {
    for (const answer of this.pending.splice(0)) answer(response());
  }
}

function fetchOf(
  query: string,
  viewer: unknown,
  incoming: 'query' | 'mutation' = 'query',
  variables: Record<string, unknown> = { first: 2 },
): Options {
  const document = parse(query);
  return {
    kind: 'incoming operation',
    request: { query, variables },
    document,
    incomingRequestContext: {
      operation: { kind: 'OperationDefinition', operation: incoming } as OperationDefinitionNode,
    },
    context: { viewer },
  } as unknown as Options;
}

const QUERY = 'query Directory__space__0($first: Int) { spaces(first: $first) { totalCount } }';
const anonymous = { kind: 'anonymous' };
const answer = () => ({ data: { spaces: { totalCount: 3, edges: [{ node: { id: 'a' } }] } } });

describe('in-flight deduplication of subgraph fetches', () => {
  const make = () => {
    const source = new ControlledSource();
    return { source, shared: new InflightDeduplication(source, (c) => JSON.stringify(c.viewer)) };
  };

  it('sends identical queries of one viewer in flight together once, and gives each its own copy', async () => {
    const { source, shared } = make();
    const answers = Promise.all([1, 2, 3].map(() => shared.process(fetchOf(QUERY, anonymous))));
    expect(source.calls).toHaveLength(1);
    source.answerAll(answer);
    const [a, b, c] = await answers;
    expect(a).toEqual(answer());
    expect(b).toEqual(answer());
    expect(c).toEqual(answer());
    (a!.data as { spaces: { totalCount: number } }).spaces.totalCount = 99;
    expect(b).toEqual(answer());
    expect(c).toEqual(answer());
  });

  it('does not share between viewers, variables or documents', async () => {
    const { source, shared } = make();
    const answers = Promise.all([
      shared.process(fetchOf(QUERY, anonymous)),
      shared.process(
        fetchOf(QUERY, {
          kind: 'person',
          personId: 'network:person:0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a03',
          coordinator: false,
          manages: ['cantine'],
          staffs: [],
        }),
      ),
      shared.process(fetchOf(QUERY, anonymous, 'query', { first: 3 })),
      shared.process(
        fetchOf(QUERY.replace('totalCount', 'totalCount pageInfo { hasNextPage }'), anonymous),
      ),
    ]);
    expect(source.calls).toHaveLength(4);
    source.answerAll(answer);
    await answers;
  });

  it('never shares mutations, nor the fetches of a mutation', async () => {
    const { source, shared } = make();
    const mutation = 'mutation M($first: Int) { redeem(first: $first) { id } }';
    const answers = Promise.all([
      shared.process(fetchOf(mutation, anonymous, 'mutation')),
      shared.process(fetchOf(mutation, anonymous, 'mutation')),
      shared.process(fetchOf(QUERY, anonymous, 'mutation')),
      shared.process(fetchOf(QUERY, anonymous, 'mutation')),
    ]);
    expect(source.calls).toHaveLength(4);
    source.answerAll(answer);
    await answers;
  });

  it('keeps nothing once answered: the next identical query is sent again', async () => {
    const { source, shared } = make();
    const first = shared.process(fetchOf(QUERY, anonymous));
    source.answerAll(answer);
    await first;
    const second = shared.process(fetchOf(QUERY, anonymous));
    expect(source.calls).toHaveLength(2);
    source.answerAll(answer);
    expect(await second).toEqual(answer());
  });

  it('gives a failure to every request that waited for it, and tries again afterwards', async () => {
    const { source, shared } = make();
    const failed = Promise.allSettled([1, 2].map(() => shared.process(fetchOf(QUERY, anonymous))));
    source.answerAll(() => new Error('subgraph down'));
    expect((await failed).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const retry = shared.process(fetchOf(QUERY, anonymous));
    expect(source.calls).toHaveLength(2);
    source.answerAll(answer);
    expect(await retry).toEqual(answer());
  });

  it('passes health checks and schema loading through', async () => {
    const { source, shared } = make();
    const check = {
      kind: 'health check',
      request: { query: QUERY },
      context: {},
    } as unknown as Options;
    const answers = Promise.all([shared.process(check), shared.process(check)]);
    expect(source.calls).toHaveLength(2);
    source.answerAll(answer);
    await answers;
  });
});

describe('in-flight deduplication through the gateway', () => {
  let partner: RunningPartner;
  let proxy: FaultyProxy;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  const MEMBERS = '{ members(first: 50) { totalCount edges { node { displayName email } } } }';

  beforeAll(async () => {
    partner = await startPartner('cantine');
    await partner.seed.member({
      displayName: 'Inès Benali',
      email: 'ines@example.org',
      isInDirectory: true,
    });
    await partner.seed.member({ displayName: 'Hors annuaire', email: 'cache@example.org' });
    proxy = new FaultyProxy(partner.url);
    gateway = await startGateway({
      partners: [{ slug: 'cantine', url: await proxy.start(), status: 'ACTIVE' }],
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
    await partner?.close();
  });

  it('sends the partner fewer requests than the gateway gets when they are identical', async () => {
    proxy.requests = 0;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post(gateway.graphqlUrl, MEMBERS)),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]!.data!.members.totalCount).toBe(1);
    expect(proxy.requests).toBeLessThan(10);
  });

  it('answers concurrent identical requests of different viewers each with their own data', async () => {
    const manager = await tokens.manager('cantine');
    const asked = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? manager : undefined));
    const answers = await Promise.all(
      asked.map((token) => post(gateway.graphqlUrl, MEMBERS, {}, token)),
    );
    answers.forEach((a, i) => {
      const managerAnswer = asked[i] !== undefined;
      expect(a.errors).toBeUndefined();
      expect(a.data!.members.totalCount).toBe(managerAnswer ? 2 : 1);
      expect(
        a.data!.members.edges.map((e: { node: { email: string | null } }) => e.node.email),
      ).toEqual(managerAnswer ? ['cache@example.org', 'ines@example.org'] : [null]);
    });
  });
});
