import { Redis } from 'ioredis';
import { isAlive, type SessionStore, type StoredEntry } from './store.js';

/** Sessions in Redis (`REDIS_URL`): each expires with its idle or absolute end, whichever is first. */
export function redisSessionStore(url: string, prefix = 'tiers-lieux:'): SessionStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  // A lost connection is reported per command; without a listener Node would throw the event.
  redis.on('error', () => {});
  const keyOf = (key: string) => `${prefix}session:${key}`;
  const endOf = (entry: StoredEntry) => Math.min(entry.idleExpiresAt, entry.expiresAt);
  const parse = (value: string | null) => (value ? (JSON.parse(value) as StoredEntry) : null);

  return {
    async save(key, entry) {
      await redis.set(keyOf(key), JSON.stringify(entry), 'PXAT', endOf(entry));
    },
    async find(key, now, touchUntil) {
      const entry = parse(await redis.get(keyOf(key)));
      if (!entry || !isAlive(entry, now)) return null;
      if (touchUntil !== undefined && touchUntil > entry.idleExpiresAt) {
        const touched = { ...entry, idleExpiresAt: Math.min(touchUntil, entry.expiresAt) };
        // XX: a session removed since it was read (a logout elsewhere) stays removed.
        await redis.set(keyOf(key), JSON.stringify(touched), 'PXAT', endOf(touched), 'XX');
        return touched;
      }
      return entry;
    },
    async take(key, now) {
      const entry = parse(await redis.getdel(keyOf(key)));
      return entry && isAlive(entry, now) ? entry : null;
    },
    async remove(key) {
      await redis.del(keyOf(key));
    },
    async close() {
      redis.disconnect();
    },
  };
}
