import { composeOrThrow, networkSubgraphs } from '@tiers-lieux/schema/compose';
import { PASS } from '@tiers-lieux/web/operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultyProxy,
  post,
  startGateway,
  startPartner,
  tokens,
  type RunningPartner,
} from '../src/testing/index.js';

/**
 * A network subgraph that does not answer within the time budget: its fetch is aborted by
 * `AbortSignal.timeout`, whose reason is a DOMException (`message` a getter on its prototype).
 * The gateway answers a coded error, never an internal one (nor "Cannot set property message
 * of … which has only a getter", which a plugin assigning `error.message` gave).
 */
describe('when the network subgraph does not answer in time', () => {
  const network = new FaultyProxy('http://127.0.0.1:1/');
  let partner: RunningPartner;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  /** A gateway before the hanging network subgraph and one partner, with a 300 ms budget. */
  const gatewayBefore = (options: Partial<Parameters<typeof startGateway>[0]>) =>
    startGateway({
      supergraphSdl: composeOrThrow(networkSubgraphs()),
      subgraphUrls: { network: network.url },
      partners: [{ slug: partner.slug, url: partner.url, status: 'ACTIVE' }],
      partnerTimeoutMs: 300,
      ...options,
    });

  beforeAll(async () => {
    partner = await startPartner('baronnies');
    await network.start();
    network.mode = 'hang';
    // Sign-ins are resolved by the (hanging) network subgraph.
    gateway = await gatewayBefore({ people: undefined });
  });
  afterAll(async () => {
    await gateway?.stop();
    await network.close();
    await partner?.close();
  });

  it('answers the pass lookup with SUBGRAPH_TIMEOUT naming the network', async () => {
    const before = network.requests;
    const answer = await post(gateway.graphqlUrl, PASS, { code: 'TL-0000-0000' });
    expect(network.requests).toBeGreaterThan(before);
    expect(answer.data?.pass ?? null).toBeNull();
    expect(answer.errors).toEqual([
      expect.objectContaining({
        message: 'The network subgraph did not answer within 300 ms',
        extensions: expect.objectContaining({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'network' }),
      }),
    ]);
  });

  it('answers the same in production, unmasked', async () => {
    const production = await gatewayBefore({ production: true });
    try {
      const answer = await post(production.graphqlUrl, PASS, { code: 'TL-0000-0000' });
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_TIMEOUT']);
    } finally {
      await production.stop();
    }
  });

  it("waits the network's own budget when it has one, not the partners'", async () => {
    const patient = await gatewayBefore({ networkTimeoutMs: 700 });
    try {
      const answer = await post(patient.graphqlUrl, PASS, { code: 'TL-0000-0000' });
      expect(answer.errors?.map((e) => e.message)).toEqual([
        'The network subgraph did not answer within 700 ms',
      ]);
    } finally {
      await patient.stop();
    }
  });

  it('fails a signed-in request with SIGN_IN_UNAVAILABLE', async () => {
    const answer = await post(
      gateway.graphqlUrl,
      PASS,
      { code: 'TL-0000-0000' },
      await tokens.coordinator(),
    );
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['SIGN_IN_UNAVAILABLE']);
  });

  it('still hides field suggestions from validation errors', async () => {
    const answer = await post(gateway.graphqlUrl, '{ spacez { totalCount } }');
    expect(answer.errors).toEqual([
      expect.objectContaining({
        message: 'Cannot query field "spacez" on type "Query".',
        extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }),
      }),
    ]);
  });
});
