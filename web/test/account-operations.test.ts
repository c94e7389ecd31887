import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startSeededNetwork } from '@tiers-lieux/gateway/testing';
import { MY_DATA, MY_SPACE } from '../src/graphql/account-operations.js';
import { MY_PASSES, MY_UPCOMING_REGISTRATIONS } from '../src/graphql/my-operations.js';

describe('the operations of a signed-in person, as the gateway takes them', () => {
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  beforeAll(async () => {
    net = await startSeededNetwork();
  });
  afterAll(() => net?.stop());

  it.each([
    ['MySpace', MY_SPACE],
    ['MyData', MY_DATA],
    ['MyPasses', MY_PASSES],
    ['MyUpcomingRegistrations', MY_UPCOMING_REGISTRATIONS],
  ])('%s is valid, within the limits, and answers no person to a visitor', async (_name, query) => {
    const answer = await post(net.gateway.graphqlUrl, query);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.me).toBeNull();
  });
});
