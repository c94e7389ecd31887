import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type Logger } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema.js';

/** The database, whichever engine serves it: data functions only ever see this type. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseConfig {
  /** postgres:// URL of a PostgreSQL server; PGlite when absent. */
  url?: string | undefined;
  /** Folder of the embedded PGlite database; in memory when absent. */
  pgliteDir?: string | undefined;
  /** Connections in the postgres.js pool. */
  poolSize?: number | undefined;
}

export interface DbHandle {
  db: Db;
  /** Which engine serves the database, for the boot log. */
  mode: 'postgres' | 'pglite-dir' | 'pglite-memory';
  /** Applies the committed drizzle-kit migrations that are not applied yet. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  logger?: Logger;
  /** A PGlite instance to use instead of opening one (tests load a migrated template). */
  pglite?: PGlite;
}

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export async function createDb(
  config: DatabaseConfig,
  options: CreateDbOptions = {},
): Promise<DbHandle> {
  const { logger } = options;
  if (config.url) {
    const url = config.url;
    const client = postgres(url, { max: config.poolSize ?? 10, onnotice: () => {} });
    return {
      db: drizzlePostgres({ client, schema, logger }),
      mode: 'postgres',
      migrate: () => migrateServer(url),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const client = options.pglite ?? (await PGlite.create(config.pgliteDir));
  const db = drizzlePglite({ client, schema, logger });
  return {
    db,
    mode: config.pgliteDir ? 'pglite-dir' : 'pglite-memory',
    migrate: () => migratePglite(db, { migrationsFolder }),
    close: () => client.close(),
  };
}

/**
 * Several instances may start against one server at once: the migration runs on its own
 * connection under a session advisory lock, so only one applies each step.
 */
async function migrateServer(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const db = drizzlePostgres({ client });
    await db.execute(sql`select pg_advisory_lock(hashtext('network-subgraph-migrations'))`);
    await migratePostgres(db, { migrationsFolder });
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** A transaction of `Db`: helpers that run inside one take `Db | Tx`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
