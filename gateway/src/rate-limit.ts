import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';

/**
 * Counts hits per key in fixed windows. The count is shared by every gateway replica that
 * uses the same store: in memory it is this process's alone, in Redis it is the network's.
 */
export interface HitCounter {
  /** Counts one hit on `key`; answers the hits of the current window and when it ends. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
  close(): Promise<void>;
}

/** The in-memory counter: right for one gateway process. */
export function memoryHitCounter(now: () => number = Date.now): HitCounter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let lastSweep = now();
  return {
    async hit(key, windowMs) {
      const at = now();
      // Expired windows are dropped at most once per window, so the map holds only the
      // addresses seen recently, whatever the traffic.
      if (at - lastSweep > windowMs) {
        for (const [k, w] of windows) if (w.resetAt <= at) windows.delete(k);
        lastSweep = at;
      }
      let window = windows.get(key);
      if (!window || window.resetAt <= at) {
        window = { count: 0, resetAt: at + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return { ...window };
    },
    async close() {
      windows.clear();
    },
  };
}

/** The Redis counter: one count shared by every gateway replica (INCR + PEXPIRE NX, atomic). */
export function redisHitCounter(url: string, prefix = 'tiers-lieux:'): HitCounter {
  const redis = new Redis(url, {
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  // ioredis reports a lost connection as an 'error' event; without a listener Node would
  // throw it. The hits themselves fail, and the limiter decides what that means.
  redis.on('error', () => {});
  // Hits are not queued while Redis is away (they fail at once); only the first connection,
  // or a reconnection under way, is waited for, briefly.
  const connected = () =>
    redis.status === 'ready'
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          const ready = () => (clearTimeout(timer), resolve());
          const timer = setTimeout(() => {
            redis.off('ready', ready);
            reject(new Error('redis not connected'));
          }, 1_000);
          redis.once('ready', ready);
        });
  return {
    async hit(key, windowMs) {
      await connected();
      const redisKey = prefix + key;
      const answers = await redis
        .multi()
        .incr(redisKey)
        .pexpire(redisKey, windowMs, 'NX')
        .pttl(redisKey)
        .exec();
      if (!answers) throw new Error('redis transaction discarded');
      const [countAnswer, , ttlAnswer] = answers;
      if (countAnswer?.[0] || ttlAnswer?.[0]) throw countAnswer?.[0] ?? ttlAnswer?.[0];
      const ttl = Number(ttlAnswer?.[1]);
      return {
        count: Number(countAnswer?.[1]),
        resetAt: Date.now() + (ttl > 0 ? ttl : windowMs),
      };
    },
    async close() {
      redis.disconnect();
    },
  };
}

export interface AnonymousWriteLimit {
  /** Mutations an anonymous client address may send per window. */
  max: number;
  windowMs: number;
}

/** Twenty guest registrations from one address in ten minutes: a family, not a script. */
export const DEFAULT_ANONYMOUS_WRITE_LIMIT: AnonymousWriteLimit = { max: 20, windowMs: 600_000 };

interface LimitedContext {
  viewer: { kind: string };
  clientAddress?: string;
}

/**
 * Anonymous writes (guest registrations, today) are limited per client address: someone
 * without an account cannot fill an event's seats or flood a partner. Signed-in viewers are
 * not counted here; their writes are theirs to answer for. When the counter cannot be reached
 * (Redis down) the write goes through and the failure is logged: an outage of the counter
 * must not close registrations for everyone.
 */
export function anonymousWriteLimit<Context extends LimitedContext>(
  counter: HitCounter,
  limit: AnonymousWriteLimit,
  log: (message: string) => void,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'mutation' || contextValue.viewer.kind !== 'anonymous')
            return;
          let window;
          try {
            window = await counter.hit(
              `anonymous-write:${contextValue.clientAddress ?? 'unknown'}`,
              limit.windowMs,
            );
          } catch (error) {
            log(`rate limit: counter unavailable (${(error as Error).message}); write allowed`);
            return;
          }
          if (window.count <= limit.max) return;
          const retryAfter = Math.max(1, Math.ceil((window.resetAt - Date.now()) / 1000));
          throw new GraphQLError(
            `Too many anonymous writes from this address; try again in ${retryAfter} s.`,
            {
              extensions: {
                code: 'RATE_LIMITED',
                retryAfterSeconds: retryAfter,
                http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
              },
            },
          );
        },
      };
    },
  };
}
