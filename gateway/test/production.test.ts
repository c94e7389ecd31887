import { recordingLogger } from '@tiers-lieux/subgraph-shell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultyProxy,
  post,
  startGateway,
  startPartner,
  type RunningPartner,
} from '../src/testing/index.js';

describe('the gateway in production mode', () => {
  let partner: RunningPartner;
  let proxy: FaultyProxy;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  const { logger, entries } = recordingLogger('gateway');
  beforeAll(async () => {
    partner = await startPartner('cantine');
    await partner.seed.space({ name: 'La Cantine' });
    proxy = new FaultyProxy(partner.url);
    await proxy.start();
    gateway = await startGateway({
      partners: [{ slug: 'cantine', url: proxy.url, status: 'ACTIVE' }],
      production: true,
      logger,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
    await partner?.close();
  });

  it('answers an unexpected error with a generic message and an error id that is in the log', async () => {
    proxy.mode = 'uncoded-error';
    try {
      const answer = await post(gateway.graphqlUrl, '{ spaces { totalCount } }');
      expect(answer.data).toBeNull();
      const [error] = answer.errors!;
      expect(error).toEqual({
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) },
      });
      expect(JSON.stringify(answer)).not.toContain('db-7.internal');
      const logged = entries().find((e) => String(e.msg).includes(`${error!.extensions!.errorId}`));
      expect(logged).toMatchObject({ level: 'error', service: 'gateway' });
      expect(logged!.msg).toContain('relation "spaces" does not exist at db-7.internal');
    } finally {
      proxy.mode = 'pass';
    }
  });

  it('keeps coded errors readable, without stack traces', async () => {
    const answer = await post(gateway.graphqlUrl, '{ spaces(first: 0) { totalCount } }');
    expect(answer.errors![0]).toEqual({
      message: 'first must be between 1 and 200',
      path: ['spaces'],
      extensions: { code: 'BAD_USER_INPUT', field: 'first', serviceName: 'space' },
    });
  });

  it('turns introspection off', async () => {
    const answer = await post(gateway.graphqlUrl, '{ __schema { types { name } } }');
    expect(answer.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.errors![0]!.message).toMatch(/introspection/i);
  });
});
