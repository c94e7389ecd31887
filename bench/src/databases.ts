import {
  networkDatabase,
  openMigratedCopy,
  openScratchDatabase,
  rowsOf,
  SMALL_PGLITE_SETTINGS,
  spaceDatabase,
  type StatementObserver,
  type NetworkDb,
  type SpaceDb,
} from './workspace.js';

/** Counts the SQL statements the subgraphs send, through drizzle's logger. */
export interface StatementCounter {
  statements: number;
}

export interface OpenDb<Db> {
  db: Db;
  close(): Promise<void>;
}

/**
 * Where the generated databases live: one PGlite database per subgraph instance, loaded from
 * a migrated template, or one scratch database per instance on a real PostgreSQL server,
 * dropped at the end.
 */
export interface Databases {
  engine: string;
  /** `statements`: told of every statement (metrics, SQL spans), for a network with telemetry. */
  openSpace(
    counter: StatementCounter,
    instances: number,
    statements?: StatementObserver,
  ): Promise<OpenDb<SpaceDb>>;
  openNetwork(
    counter: StatementCounter,
    instances: number,
    statements?: StatementObserver,
  ): Promise<OpenDb<NetworkDb>>;
}

/** Connections the bench may hold on a shared server, over all its databases. */
const CONNECTION_BUDGET = 40;

const counting = (counter: StatementCounter) => ({
  logQuery: () => void counter.statements++,
});

export async function openDatabases(serverUrl: string | null): Promise<Databases> {
  return serverUrl ? serverDatabases(serverUrl) : pgliteDatabases();
}

async function serverVersion(open: Promise<OpenDb<NetworkDb>>): Promise<string> {
  const probe = await open;
  try {
    const rows = rowsOf<{ v: string }>(
      await probe.db.execute("select current_setting('server_version') v"),
    );
    return rows[0]?.v ?? '?';
  } finally {
    await probe.close();
  }
}

/** The bench runs up to 64 PGlite databases at once, with a few megabytes of data each. */
async function pgliteDatabases(): Promise<Databases> {
  const settings = SMALL_PGLITE_SETTINGS;
  const version = await serverVersion(openMigratedCopy(networkDatabase, { settings }));
  return {
    engine: `PGlite (PostgreSQL ${version} in WebAssembly, in memory, shared_buffers 16MB)`,
    openSpace: (counter, _instances, statements) =>
      openMigratedCopy(spaceDatabase, { logger: counting(counter), settings, statements }),
    openNetwork: (counter, _instances, statements) =>
      openMigratedCopy(networkDatabase, { logger: counting(counter), settings, statements }),
  };
}

async function serverDatabases(serverUrl: string): Promise<Databases> {
  const poolSize = (instances: number) => Math.max(1, Math.floor(CONNECTION_BUDGET / instances));
  const version = await serverVersion(
    openScratchDatabase(networkDatabase, { serverUrl, poolSize: 1, prefix: 'bench_probe' }),
  );
  const where = new URL(serverUrl);
  return {
    engine: `PostgreSQL ${version} at ${where.hostname}:${where.port || 5432} (one scratch database per subgraph instance)`,
    openSpace: (counter, instances, statements) =>
      openScratchDatabase(spaceDatabase, {
        serverUrl,
        poolSize: poolSize(instances),
        logger: counting(counter),
        prefix: 'bench_space',
        statements,
      }),
    openNetwork: (counter, instances, statements) =>
      openScratchDatabase(networkDatabase, {
        serverUrl,
        poolSize: poolSize(instances),
        logger: counting(counter),
        prefix: 'bench_network',
        statements,
      }),
  };
}
