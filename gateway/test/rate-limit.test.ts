import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
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
