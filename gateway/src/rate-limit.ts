import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { Redis } from 'ioredis';

/**
 * Counts hits per key in fixed windows. The count is shared by every gateway replica that
 * uses the same store: in memory it is this process's alone, in Redis it is the network's.
 */
export interface HitCounter {
  /** Counts `by` hits on `key`; answers the hits of the current window and when it ends. */
  hit(key: string, windowMs: number, by?: number): Promise<{ count: number; resetAt: number }>;
  close(): Promise<void>;
}

/** The in-memory counter: right for one gateway process. */
export function memoryHitCounter(now: () => number = Date.now): HitCounter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let lastSweep = now();
  return {
    async hit(key, windowMs, by = 1) {
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
      window.count += by;
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
          }, 250);
          redis.once('ready', ready);
        });
  return {
    async hit(key, windowMs, by = 1) {
      await connected();
      const redisKey = prefix + key;
      const answers = await redis
        .multi()
        .incrby(redisKey, by)
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
 * Mutations that act only with a token the network mailed (confirming or cancelling a guest's
 * registration, unsubscribing): they create nothing that was not already counted, and a guess
 * at the token is hopeless. They are not counted, since the web pages the mail links land on
 * send them over loopback, where every client would share 127.0.0.1's count.
 */
export const TOKEN_PROTECTED_WRITES: ReadonlySet<string> = new Set([
  'confirmGuestRegistration',
  'cancelGuestRegistration',
  'unsubscribe',
  'unsubscribeFromPassMessage',
]);

/**
 * The mutation fields an operation sends at its root, fragments included: each is a write,
 * except the token-protected ones.
 */
function rootFieldCount(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name !== '__typename' && !TOKEN_PROTECTED_WRITES.has(name)) count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += rootFieldCount(selection.selectionSet, fragments, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) count += rootFieldCount(fragment.selectionSet, fragments, seen);
    }
  }
  return count;
}

/**
 * Anonymous writes (guest registrations, today) are limited per client address: someone
 * without an account cannot fill an event's seats or flood a partner. Each mutation field
 * counts, so aliases in one request buy nothing; the token-protected ones do not
 * (`TOKEN_PROTECTED_WRITES`). Signed-in viewers are not counted here; their
 * writes are theirs to answer for. When the shared counter cannot be reached (Redis down) the
 * process counts on its own until it is back, and says so in the log.
 */
export function anonymousWriteLimit<Context extends LimitedContext>(
  counter: HitCounter,
  limit: AnonymousWriteLimit,
  log: (message: string) => void,
): ApolloServerPlugin<Context> {
  const fallback = memoryHitCounter();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          if (operation?.operation !== 'mutation' || contextValue.viewer.kind !== 'anonymous')
            return;
          const fragments = new Map(
            document.definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const writes = rootFieldCount(operation.selectionSet, fragments);
          if (writes === 0) return;
          const key = `anonymous-write:${contextValue.clientAddress ?? 'unknown'}`;
          let window;
          try {
            window = await counter.hit(key, limit.windowMs, writes);
          } catch (error) {
            log(
              `rate limit: shared counter unavailable (${(error as Error).message}); counting here`,
            );
            window = await fallback.hit(key, limit.windowMs, writes);
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
