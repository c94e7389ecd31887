import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { ANONYMOUS, type Viewer } from '@tiers-lieux/schema';
import { createScratchDatabase, testDatabaseUrl } from '@tiers-lieux/schema/testkit';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { createContext } from '../src/context.js';
import { createDb, type DbHandle } from '../src/db/client.js';
import { createServer } from '../src/server.js';
import { Seeder } from './seed.js';

export type Engine = 'pglite' | 'postgres';

export interface ExecuteOptions {
  viewer?: Viewer;
  now?: Date;
}

export interface GraphQLResult {
  data?: Record<string, any> | null;
  errors?: {
    message: string;
    path?: readonly (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
}

const TABLES = ['spaces', 'offers', 'events', 'members', 'memberships', 'registrations', 'visits'];

/**
 * One partner's subgraph over a fresh database: PGlite loaded from the migrated template, or
 * a scratch database on the real server. Operations run through Apollo Server with the
 * subgraph's own context factory, so loaders and viewer rules are the production ones.
 */
export async function createHarness(
  options: { engine?: Engine; partner?: string; poolSize?: number } = {},
) {
  const partner = options.partner ?? 'baronnies';
  const engine = options.engine ?? 'pglite';
  let statements = 0;
  const logger = { logQuery: () => void statements++ };
  let handle: DbHandle;
  let dropScratch = async () => {};
  if (engine === 'postgres') {
    const serverUrl = testDatabaseUrl();
    if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
    const scratch = await createScratchDatabase(serverUrl, 'space_test');
    dropScratch = scratch.drop;
    handle = await createDb({ url: scratch.url, poolSize: options.poolSize ?? 20 }, { logger });
    await handle.migrate();
  } else {
    const template = await readFile(inject('spaceTemplate'));
    const pglite = await PGlite.create({ loadDataDir: new Blob([template]) });
    handle = await createDb({}, { logger, pglite });
  }
  const { db } = handle;
  const { server } = createServer({ db, partner, log: () => {} });
  await server.start();

  async function execute(
    query: string,
    variables?: Record<string, unknown>,
    opts: ExecuteOptions = {},
  ): Promise<GraphQLResult> {
    const response = await server.executeOperation(
      { query, variables },
      {
        contextValue: createContext({
          db,
          partner,
          viewer: opts.viewer ?? ANONYMOUS,
          now: opts.now,
        }),
      },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return JSON.parse(JSON.stringify(response.body.singleResult)) as GraphQLResult;
  }

  return {
    engine,
    partner,
    db,
    seed: new Seeder(db, partner),
    execute,
    /** Statements sent to the database since the last reset. */
    statements: () => statements,
    resetStatements: () => void (statements = 0),
    /** Every row of every table, to prove that a rejected input changed nothing. */
    async snapshot(): Promise<Record<string, unknown[]>> {
      const result: Record<string, unknown[]> = {};
      for (const table of TABLES) {
        const rows: unknown = await db.execute(sql.raw(`select * from ${table} order by id`));
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
  member: (partner: string, memberId: string): Viewer => ({ kind: 'member', partner, memberId }),
};
