import { ANONYMOUS, type Viewer } from '@tiers-lieux/schema';
import {
  executeWith,
  openTestDatabase,
  snapshotTables,
  testViewers,
  type Engine,
  type GraphQLResult,
} from '@tiers-lieux/subgraph-shell/testing';
import { createContext } from '../src/context.js';
import { networkDatabase } from '../src/db/client.js';
import { partnerChecker } from '../src/partner-check.js';
import { createServer } from '../src/server.js';

export type { Engine, GraphQLResult } from '@tiers-lieux/subgraph-shell/testing';

const TABLES = [
  'partners',
  'partner_checks',
  'pass_products',
  'pass_product_spaces',
  'passes',
  'ledger_entries',
];

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
  const database = await openTestDatabase(networkDatabase, {
    engine,
    logger,
    poolSize: options.poolSize,
  });
  const { db } = database;
  const checkPartner = partnerChecker(options.partnerCheckTimeoutMs);
  const { server } = createServer({ db });
  await server.start();

  async function execute(
    query: string,
    variables?: Record<string, unknown>,
    opts: { viewer?: Viewer; now?: Date } = {},
  ) {
    return executeWith(
      server,
      { query, variables },
      createContext({ db, viewer: opts.viewer ?? ANONYMOUS, now: opts.now, checkPartner }),
    );
  }

  return {
    engine,
    db,
    execute,
    /** SQL statements sent since the last reset. */
    statements: () => [...statements],
    resetStatements: () => void statements.splice(0),
    /** Every row of every table, to prove that a rejected input changed nothing. */
    snapshot: () => snapshotTables(db, TABLES, '1, 2'),
    async close() {
      await server.stop();
      await database.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

export const viewers = {
  ...testViewers,
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
