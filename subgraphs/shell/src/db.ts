import type { PGlite } from '@electric-sql/pglite';
import { sql, type Logger } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { cachedTemplateFile, deriveCluster, dumpNewCluster, openPglite } from './pglite.js';
import { observedClient, type StatementObserver } from './statements.js';

type Tables = Record<string, unknown>;

/** A service's database, whichever engine serves it: data functions only ever see this type. */
export type Db<Schema extends Tables> = PgDatabase<PgQueryResultHKT, Schema>;

/** A transaction of `Db`: helpers that run inside one take `Db | Tx`. */
export type Tx<Schema extends Tables> = Parameters<Parameters<Db<Schema>['transaction']>[0]>[0];

export interface DatabaseConfig {
  /** postgres:// URL of a PostgreSQL server; PGlite when absent. */
  url?: string | undefined;
  /** Folder of the embedded PGlite database; in memory when absent. */
  pgliteDir?: string | undefined;
  /** Connections in the postgres.js pool. */
  poolSize?: number | undefined;
}

export interface DbHandle<Schema extends Tables> {
  db: Db<Schema>;
  /** Which engine serves the database, for the boot log. */
  mode: 'postgres' | 'pglite-dir' | 'pglite-memory';
  /** Applies the committed drizzle-kit migrations that are not applied yet. */
  migrate(): Promise<void>;
  /** Whether the database answers and holds every committed migration (throws when it does not answer). */
  migrationsApplied(): Promise<boolean>;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  logger?: Logger | undefined;
  /** Told of every statement (metrics, SQL spans): `statementObserver(telemetry)`. */
  statements?: StatementObserver | null | undefined;
  /** A PGlite instance to use instead of opening one. */
  pglite?: PGlite | undefined;
  /**
   * The cluster a new PGlite database is copied from (`dumpNewCluster`), instead of running
   * initdb; a folder that already holds a database is reopened as it is.
   */
  pgliteTemplate?: (() => Promise<Blob>) | undefined;
  /** postgresql.conf lines of the PGlite database, such as `SMALL_PGLITE_SETTINGS`. */
  pgliteSettings?: string[] | undefined;
}

export interface DatabaseDefinition<Schema extends Tables> {
  /** The service's name: it keys the migration lock and the template file. */
  name: string;
  /** The drizzle tables. */
  schema: Schema;
  /** drizzle-kit's output folder, applied in order at start. */
  migrationsFolder: string;
}

export interface Database<Schema extends Tables> extends DatabaseDefinition<Schema> {
  /** Opens the database: postgres.js when `config.url` is set, PGlite otherwise. */
  createDb(config: DatabaseConfig, options?: CreateDbOptions): Promise<DbHandle<Schema>>;
  /**
   * A tarball of a new PGlite cluster with every migration applied, kept in the temp folder
   * under a name that changes with the migrations and PGlite's version: made once (initdb
   * takes seconds), then each test database, and each new embedded database, is a copy
   * (`createDb`'s `pgliteTemplate`). Made from `template`'s cluster when given (one initdb
   * for several services), else from a new one.
   */
  migratedTemplateFile(template?: () => Promise<Blob>): Promise<string>;
}

/** One service's database: its tables, its migrations, and how to open it on either engine. */
export function defineDatabase<Schema extends Tables>(
  definition: DatabaseDefinition<Schema>,
): Database<Schema> {
  const { schema, migrationsFolder } = definition;
  let latestMigration: number | undefined;
  /** drizzle's migrators record each applied migration with its folder's timestamp. */
  async function migrationsApplied(db: Db<Schema>): Promise<boolean> {
    latestMigration ??= Math.max(
      0,
      ...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis),
    );
    const [table] = rowsOf<{ name: string | null }>(
      await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as name`),
    );
    if (!table?.name) return latestMigration === 0;
    const [applied] = rowsOf<{ latest: string | number | null }>(
      await db.execute(sql`select max(created_at) as latest from drizzle.__drizzle_migrations`),
    );
    return Number(applied?.latest ?? 0) >= latestMigration;
  }

  async function createDb(
    config: DatabaseConfig,
    options: CreateDbOptions = {},
  ): Promise<DbHandle<Schema>> {
    const { logger, statements } = options;
    const observed = <C extends object>(client: C) =>
      statements ? observedClient(client, statements) : client;
    if (config.url) {
      const url = config.url;
      const poolSize = config.poolSize ?? 10;
      const client = postgres(url, { max: poolSize, onnotice: () => {} });
      statements?.poolSize?.(poolSize);
      const db = drizzlePostgres({ client: observed(client), schema, logger });
      return {
        db,
        mode: 'postgres',
        migrate: () => migrateServer(url, definition),
        migrationsApplied: () => migrationsApplied(db),
        close: () => client.end({ timeout: 5 }),
      };
    }
    const client =
      options.pglite ??
      (await openPglite({
        dataDir: config.pgliteDir,
        template: options.pgliteTemplate,
        settings: options.pgliteSettings,
      }));
    statements?.poolSize?.(1);
    const db = drizzlePglite({ client: observed(client), schema, logger });
    return {
      db,
      mode: config.pgliteDir ? 'pglite-dir' : 'pglite-memory',
      migrate: () => migratePglite(db, { migrationsFolder }),
      migrationsApplied: () => migrationsApplied(db),
      close: async () => {
        if (!client.closed) await client.close();
      },
    };
  }

  const migrateCluster = (pglite: PGlite) =>
    migratePglite(drizzlePglite({ client: pglite }), { migrationsFolder });
  return {
    ...definition,
    createDb,
    migratedTemplateFile: (template) =>
      cachedTemplateFile(definition.name, migrationsFolder, () =>
        template ? deriveCluster(template, migrateCluster) : dumpNewCluster(migrateCluster),
      ),
  };
}

/**
 * Several instances may start against one server at once: the migration runs on its own
 * connection under a session advisory lock, so only one applies each step.
 */
async function migrateServer(url: string, { name, migrationsFolder }: DatabaseDefinition<Tables>) {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const db = drizzlePostgres({ client });
    await db.execute(sql`select pg_advisory_lock(hashtext(${`${name}-subgraph-migrations`}))`);
    await migratePostgres(db, { migrationsFolder });
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** The rows of `db.execute`: postgres.js answers an array of rows, PGlite an object holding them. */
export function rowsOf<Row>(result: unknown): Row[] {
  return Array.isArray(result) ? result : (result as { rows: Row[] }).rows;
}
