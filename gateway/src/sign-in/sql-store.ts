import { rowsOf, type Db } from '@tiers-lieux/subgraph-shell';
import { sql } from 'drizzle-orm';
import type { SessionStore, StoredEntry } from './store.js';

type AnyDb = Db<Record<string, unknown>>;

/**
 * The gateway's one table. It lives in the network's database but belongs to the gateway, not
 * to the network subgraph's schema: the store creates it itself (idempotent, under an advisory
 * lock so that replicas starting together do not race), and no subgraph migration knows it.
 */
const CREATE_TABLE = sql`
  create table if not exists gateway_sessions (
    key_hash text primary key,
    kind text not null,
    data jsonb not null,
    idle_expires_at timestamptz not null,
    expires_at timestamptz not null
  )`;

const SWEEP_EVERY_MS = 60_000;

interface Row {
  kind: string;
  data: unknown;
  idle_expires_at: number;
  expires_at: number;
}

const at = (ms: number) => new Date(ms).toISOString();

function entryOf(row: Row | undefined): StoredEntry | null {
  if (!row) return null;
  return {
    kind: row.kind,
    data: typeof row.data === 'string' ? JSON.parse(row.data) : row.data,
    idleExpiresAt: Number(row.idle_expires_at),
    expiresAt: Number(row.expires_at),
  };
}

const RETURNED = sql`kind, data,
  (extract(epoch from idle_expires_at) * 1000)::float8 as idle_expires_at,
  (extract(epoch from expires_at) * 1000)::float8 as expires_at`;

/**
 * Sessions in PostgreSQL: the network's database (a drizzle handle, as the embedded network
 * has it) or any database given by URL (`SESSION_DATABASE_URL`). Dead rows are swept at most
 * once a minute per replica, when a session is saved.
 */
export function sqlSessionStore(
  db: AnyDb,
  options: { onClose?: () => Promise<void> } = {},
): SessionStore {
  let ready: Promise<void> | null = null;
  let lastSweep = 0;
  const ensureTable = () =>
    (ready ??= db
      .transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext('gateway_sessions'))`);
        await tx.execute(CREATE_TABLE);
      })
      .catch((error: unknown) => {
        ready = null;
        throw error;
      }));

  return {
    async save(key, entry) {
      await ensureTable();
      await db.execute(sql`
        insert into gateway_sessions (key_hash, kind, data, idle_expires_at, expires_at)
        values (${key}, ${entry.kind}, ${JSON.stringify(entry.data)}::jsonb,
                ${at(entry.idleExpiresAt)}::timestamptz, ${at(entry.expiresAt)}::timestamptz)
        on conflict (key_hash) do update set kind = excluded.kind, data = excluded.data,
          idle_expires_at = excluded.idle_expires_at, expires_at = excluded.expires_at`);
      const now = Date.now();
      if (now - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = now;
        await db.execute(sql`
          delete from gateway_sessions
          where idle_expires_at <= ${at(now)}::timestamptz or expires_at <= ${at(now)}::timestamptz`);
      }
    },
    async find(key, now, touchUntil) {
      await ensureTable();
      const alive = sql`key_hash = ${key} and idle_expires_at > ${at(now)}::timestamptz
        and expires_at > ${at(now)}::timestamptz`;
      const rows =
        touchUntil === undefined
          ? await db.execute(sql`select ${RETURNED} from gateway_sessions where ${alive}`)
          : await db.execute(sql`
              update gateway_sessions
              set idle_expires_at = greatest(idle_expires_at,
                least(${at(touchUntil)}::timestamptz, expires_at))
              where ${alive} returning ${RETURNED}`);
      return entryOf(rowsOf<Row>(rows)[0]);
    },
    async take(key, now) {
      await ensureTable();
      const rows = await db.execute(sql`
        delete from gateway_sessions where key_hash = ${key} returning ${RETURNED}`);
      const entry = entryOf(rowsOf<Row>(rows)[0]);
      return entry && entry.idleExpiresAt > now && entry.expiresAt > now ? entry : null;
    },
    async remove(key) {
      await ensureTable();
      await db.execute(sql`delete from gateway_sessions where key_hash = ${key}`);
    },
    async close() {
      await options.onClose?.();
    },
  };
}

/** The store on a PostgreSQL server of its own URL; the pool closes with the store. */
export async function sqlSessionStoreAt(url: string): Promise<SessionStore> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max: 5, onnotice: () => {} });
  return sqlSessionStore(drizzle({ client }) as unknown as AnyDb, {
    onClose: () => client.end({ timeout: 5 }),
  });
}
