import { createHash } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ANONYMOUS, type Viewer } from '@tiers-lieux/schema';
import { createScratchDatabase, testDatabaseUrl } from '@tiers-lieux/schema/testkit';
import { sql } from 'drizzle-orm';
import { createContext } from '../src/context.js';
import { createDb, migrationsFolder, type DbHandle } from '../src/db/client.js';
import { partnerChecker } from '../src/partner-check.js';
import { createServer } from '../src/server.js';

export type Engine = 'pglite' | 'postgres';

export interface GraphQLResult {
  data?: Record<string, any> | null;
  errors?: {
    message: string;
    path?: readonly (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
}

const TABLES = [
  'partners',
  'partner_checks',
  'pass_products',
  'pass_product_spaces',
  'passes',
  'ledger_entries',
];

/**
 * A migrated, empty PGlite database as a tarball in the temp folder, named after the
 * migrations: made once (about 4 s), then every suite loads it. The root vitest global setup
 * only builds the space subgraph's template.
 */
async function pgliteTemplate(): Promise<Blob> {
  const files = (await readdir(migrationsFolder, { recursive: true }))
    .filter((f) => f.endsWith('.sql') || f.endsWith('.json'))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(await readFile(join(migrationsFolder, file)));
  const path = join(tmpdir(), `network-template-${hash.digest('hex').slice(0, 16)}.tar`);
  try {
    return new Blob([await readFile(path)]);
  } catch {
    const pglite = await PGlite.create();
    const handle = await createDb({}, { pglite });
    await handle.migrate();
    const dump = await pglite.dumpDataDir('none');
    await handle.close();
    const partial = `${path}.${process.pid}.${Date.now()}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, path);
    return dump;
  }
}

/**
 * The network subgraph over a fresh database: PGlite loaded from the migrated template, or a
 * scratch database on the real server. Operations run through Apollo Server with the
 * subgraph's own context factory, so loaders and viewer rules are the production ones.
 */
export async function createHarness(
  options: { engine?: Engine; poolSize?: number; partnerCheckTimeoutMs?: number } = {},
) {
  const engine = options.engine ?? 'pglite';
  const statements: string[] = [];
  const logger = { logQuery: (query: string) => void statements.push(query) };
  let handle: DbHandle;
  let dropScratch = async () => {};
  if (engine === 'postgres') {
    const serverUrl = testDatabaseUrl();
    if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
    const scratch = await createScratchDatabase(serverUrl, 'network_test');
    dropScratch = scratch.drop;
    handle = await createDb({ url: scratch.url, poolSize: options.poolSize ?? 20 }, { logger });
    await handle.migrate();
  } else {
    const pglite = await PGlite.create({ loadDataDir: await pgliteTemplate() });
    handle = await createDb({}, { logger, pglite });
  }
  const { db } = handle;
  const checkPartner = partnerChecker(options.partnerCheckTimeoutMs);
  const { server } = createServer({ db, log: () => {} });
  await server.start();

  async function execute(
    query: string,
    variables?: Record<string, unknown>,
    opts: { viewer?: Viewer; now?: Date } = {},
  ): Promise<GraphQLResult> {
    const response = await server.executeOperation(
      { query, variables },
      {
        contextValue: createContext({
          db,
          viewer: opts.viewer ?? ANONYMOUS,
          now: opts.now,
          checkPartner,
        }),
      },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return JSON.parse(JSON.stringify(response.body.singleResult)) as GraphQLResult;
  }

  return {
    engine,
    db,
    execute,
    /** SQL statements sent since the last reset. */
    statements: () => [...statements],
    resetStatements: () => void statements.splice(0),
    /** Every row of every table, to prove that a rejected input changed nothing. */
    async snapshot(): Promise<Record<string, unknown[]>> {
      const result: Record<string, unknown[]> = {};
      for (const table of TABLES) {
        const rows: unknown = await db.execute(sql.raw(`select * from ${table} order by 1, 2`));
        // postgres.js answers an array of rows, PGlite an object holding them.
        const list = Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows;
        result[table] = JSON.parse(JSON.stringify(list));
      }
      return result;
    },
    async close() {
      await server.stop();
      await handle.close();
      await dropScratch();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

export const viewers = {
  anonymous: ANONYMOUS,
  coordinator: { kind: 'coordinator' } as Viewer,
  manager: (partner: string): Viewer => ({ kind: 'manager', partner }),
  member: (memberId: string): Viewer => ({
    kind: 'member',
    partner: memberId.split(':')[0]!,
    memberId,
  }),
};

/** The first error's code, or null. */
export function errorCode(result: GraphQLResult): unknown {
  return result.errors?.[0]?.extensions?.code ?? null;
}
