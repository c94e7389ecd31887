import {
  createNetworkDb,
  createScratchDatabase,
  createSpaceDb,
  PGlite,
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
  openSpace(counter: StatementCounter, instances: number): Promise<OpenDb<SpaceDb>>;
  openNetwork(counter: StatementCounter, instances: number): Promise<OpenDb<NetworkDb>>;
}

/**
 * PGlite keeps 128 MB of shared buffers by default, about 140 MB of memory per database; the
 * bench runs up to 64 at once, with a few megabytes of data each.
 */
const PGLITE_CONF = ['shared_buffers=16MB'];

/** Connections the bench may hold on a shared server, over all its databases. */
const CONNECTION_BUDGET = 40;

const counting = (counter: StatementCounter) => ({
  logger: { logQuery: () => void counter.statements++ },
});

export async function openDatabases(serverUrl: string | null): Promise<Databases> {
  return serverUrl ? serverDatabases(serverUrl) : pgliteDatabases();
}

async function pgliteDatabases(): Promise<Databases> {
  const load = async (dump: Blob) =>
    PGlite.create({ loadDataDir: dump, postgresqlconf: PGLITE_CONF });
  // initdb takes seconds: it runs once, and each subgraph's template is that cluster migrated.
  const cluster = await PGlite.create();
  const version = (await cluster.query<{ v: string }>("select current_setting('server_version') v"))
    .rows[0]!.v;
  const empty = await cluster.dumpDataDir('none');
  await cluster.close();
  const templates = new Map<string, Promise<Blob>>();
  const template = (kind: string, migrate: (pglite: PGlite) => Promise<void>) => {
    let dump = templates.get(kind);
    if (!dump) {
      dump = (async () => {
        const pglite = await load(empty);
        await migrate(pglite);
        const tarball = await pglite.dumpDataDir('none');
        await pglite.close();
        return tarball;
      })();
      templates.set(kind, dump);
    }
    return dump;
  };
  return {
    engine: `PGlite (PostgreSQL ${version} in WebAssembly, in memory, shared_buffers 16MB)`,
    async openSpace(counter) {
      const dump = await template('space', async (pglite) => {
        await (await createSpaceDb({}, { pglite })).migrate();
      });
      return createSpaceDb({}, { pglite: await load(dump), ...counting(counter) });
    },
    async openNetwork(counter) {
      const dump = await template('network', async (pglite) => {
        await (await createNetworkDb({}, { pglite })).migrate();
      });
      return createNetworkDb({}, { pglite: await load(dump), ...counting(counter) });
    },
  };
}

async function serverDatabases(serverUrl: string): Promise<Databases> {
  const open = async <Db>(
    prefix: string,
    instances: number,
    create: (
      url: string,
      poolSize: number,
    ) => Promise<{ db: Db; migrate(): Promise<void>; close(): Promise<void> }>,
  ): Promise<OpenDb<Db>> => {
    const scratch = await createScratchDatabase(serverUrl, prefix);
    try {
      const handle = await create(
        scratch.url,
        Math.max(1, Math.floor(CONNECTION_BUDGET / instances)),
      );
      await handle.migrate();
      return {
        db: handle.db,
        close: async () => {
          await handle.close();
          await scratch.drop();
        },
      };
    } catch (error) {
      await scratch.drop();
      throw error;
    }
  };
  const probe = await open('bench_probe', 1, (url, poolSize) => createNetworkDb({ url, poolSize }));
  const rows = (await probe.db.execute<{ v: string }>(
    "select current_setting('server_version') v",
  )) as unknown as { v: string }[];
  await probe.close();
  const where = new URL(serverUrl);
  return {
    engine: `PostgreSQL ${rows[0]?.v ?? '?'} at ${where.hostname}:${where.port || 5432} (one scratch database per subgraph instance)`,
    openSpace: (counter, instances) =>
      open('bench_space', instances, (url, poolSize) =>
        createSpaceDb({ url, poolSize }, counting(counter)),
      ),
    openNetwork: (counter, instances) =>
      open('bench_network', instances, (url, poolSize) =>
        createNetworkDb({ url, poolSize }, counting(counter)),
      ),
  };
}
