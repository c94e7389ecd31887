import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayOptions } from '../src/server.js';
import {
  post,
  startGateway,
  startPartner,
  tokens,
  type Answer,
  type RunningPartner,
} from '../src/testing/index.js';
import { memoryHitCounter, redisHitCounter, type HitCounter } from '../src/rate-limit.js';

/**
 * The Redis server the shared counter is proven on, from `TEST_REDIS_URL`; under CI it is
 * required, so the Redis suite never silently skips.
 */
function testRedisUrl(): string | null {
  const url = process.env.TEST_REDIS_URL?.trim();
  if (url) return url;
  if (process.env.CI === 'true') throw new Error('TEST_REDIS_URL must be set under CI');
  return null;
}

const redisUrl = testRedisUrl();
const counters: [string, () => HitCounter][] = [['memory', () => memoryHitCounter()]];
if (redisUrl) counters.push(['redis', () => redisHitCounter(redisUrl, `test:${randomUUID()}:`)]);

describe.each(counters)('the %s hit counter', (_name, make) => {
  const counter = make();
  afterAll(() => counter.close());

  it('counts hits per key within a window, and starts again after it', async () => {
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await counter.hit('a', 300)).count);
    expect(seen).toEqual([1, 2, 3]);
    expect((await counter.hit('b', 300)).count).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await counter.hit('a', 300)).count).toBe(1);
  });

  it('counts hits made at the same time exactly', async () => {
    const counts = await Promise.all(Array.from({ length: 50 }, () => counter.hit('c', 5_000)));
    expect(counts.map((c) => c.count).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });
});

describe.runIf(redisUrl)('the Redis hit counter', () => {
  it('is one count for two gateway replicas', async () => {
    const prefix = `test:${randomUUID()}:`;
    const [one, two] = [redisHitCounter(redisUrl!, prefix), redisHitCounter(redisUrl!, prefix)];
    try {
      await one.hit('shared', 5_000);
      await two.hit('shared', 5_000);
      expect((await one.hit('shared', 5_000)).count).toBe(3);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('fails its hits, without crashing the process, when Redis cannot be reached', async () => {
    const counter = redisHitCounter('redis://127.0.0.1:1', 'test:');
    try {
      await expect(counter.hit('x', 1_000)).rejects.toThrow();
    } finally {
      await counter.close();
    }
  });
});

describe('anonymous writes through the gateway', () => {
  const partners: RunningPartner[] = [];
  const gateways: Awaited<ReturnType<typeof startGateway>>[] = [];
  const limit = { max: 3, windowMs: 60_000 };
  const register = /* GraphQL */ `
    mutation ($input: RegisterForEventInput!) {
      registerForEvent(input: $input) {
        error {
          code
        }
      }
    }
  `;
  const guest = (i: number) => ({
    input: {
      eventId: `cantine:event:${randomUUID()}`,
      guest: { name: `Invité ${i}`, email: `invite${i}@example.org` },
    },
  });

  beforeAll(async () => {
    partners.push(await startPartner('cantine'));
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await Promise.all(partners.map((p) => p.close()));
  });

  async function gatewayWith(options: Partial<GatewayOptions>) {
    const gateway = await startGateway({
      partners: [{ slug: 'cantine', url: partners[0]!.url, status: 'ACTIVE' }],
      anonymousWriteLimit: limit,
      ...options,
    });
    gateways.push(gateway);
    return gateway;
  }

  async function send(url: string, headers: Record<string, string> = {}, i = 0) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: register, variables: guest(i) }),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Answer,
    };
  }

  it('refuses the writes of one address past the limit with 429, and counts neither queries nor signed-in writes', async () => {
    const gateway = await gatewayWith({});
    for (let i = 0; i < 5; i++) {
      expect(
        (await post(gateway.graphqlUrl, '{ spaces(first: 1) { totalCount } }')).errors,
      ).toBeUndefined();
    }
    const manager = { authorization: `Bearer ${await tokens.manager('cantine')}` };
    for (let i = 0; i < 5; i++)
      expect((await send(gateway.graphqlUrl, manager, i)).status).toBe(200);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await send(gateway.graphqlUrl, {}, i));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[0]!.body.data?.registerForEvent.error.code).toBe('UNKNOWN_EVENT');
    expect(answers[3]!.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(answers[3]!.retryAfter)).toBeGreaterThan(0);
  });

  it('counts each mutation of a request, so aliases buy nothing', async () => {
    const gateway = await gatewayWith({});
    const aliased = `mutation ($input: RegisterForEventInput!) { ${[1, 2, 3, 4]
      .map((i) => `r${i}: registerForEvent(input: $input) { error { code } }`)
      .join(' ')} }`;
    const response = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: aliased, variables: guest(0) }),
    });
    expect(response.status).toBe(429);
    expect(((await response.json()) as Answer).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('does not count the token-protected writes of the mail links, and still limits every other anonymous write', async () => {
    const gateway = await gatewayWith({});
    const link = (i: number) => ({
      input: { registrationId: `cantine:registration:${randomUUID()}`, token: `forged-${i}` },
    });
    for (let i = 0; i < 6; i++) {
      const response = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: /* GraphQL */ `
            mutation ($input: RegistrationLinkInput!, $unsubscribe: UnsubscribeInput!) {
              confirmGuestRegistration(input: $input) {
                error {
                  code
                }
              }
              cancelGuestRegistration(input: $input) {
                error {
                  code
                }
              }
              unsubscribe(input: $unsubscribe) {
                error {
                  code
                }
              }
            }
          `,
          variables: { ...link(i), unsubscribe: { partner: 'cantine', token: `forged-${i}` } },
        }),
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as Answer;
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.confirmGuestRegistration.error.code).toBeTruthy();
    }
    // A registration sent alongside a token-protected write still counts.
    const mixed = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: /* GraphQL */ `
          mutation ($input: RegisterForEventInput!, $link: RegistrationLinkInput!) {
            registerForEvent(input: $input) {
              error {
                code
              }
            }
            confirmGuestRegistration(input: $link) {
              error {
                code
              }
            }
          }
        `,
        variables: { ...guest(0), link: link(0).input },
      }),
    });
    expect(mixed.status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(gateway.graphqlUrl, {}, i)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('keeps counting in the process while Redis cannot be reached', async () => {
    const gateway = await gatewayWith({ redisUrl: 'redis://127.0.0.1:1' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(gateway.graphqlUrl, {}, i)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it.runIf(redisUrl)('shares one count between two gateway replicas through Redis', async () => {
    const shared = { redisUrl: redisUrl!, redisKeyPrefix: `test:${randomUUID()}:` };
    const [one, two] = [await gatewayWith(shared), await gatewayWith(shared)];
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await send((i % 2 ? two : one).graphqlUrl, {}, i)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
