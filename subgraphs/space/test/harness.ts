import { ANONYMOUS, type Viewer } from '@tiers-lieux/schema';
import {
  executeWith,
  openTestDatabase,
  personViewer,
  snapshotTables,
  testViewers,
  type Engine,
} from '@tiers-lieux/subgraph-shell/testing';
import { createContext } from '../src/context.js';
import { spaceDatabase } from '../src/db/client.js';
import { createServer } from '../src/server.js';
import { Seeder } from './seed.js';

export type { Engine, GraphQLResult } from '@tiers-lieux/subgraph-shell/testing';

export interface ExecuteOptions {
  viewer?: Viewer;
  now?: Date;
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
  const database = await openTestDatabase(spaceDatabase, {
    engine,
    logger,
    poolSize: options.poolSize,
  });
  const { db } = database;
  const { server } = createServer({ db, partner });
  await server.start();

  async function execute(
    query: string,
    variables?: Record<string, unknown>,
    opts: ExecuteOptions = {},
  ) {
    return executeWith(
      server,
      { query, variables },
      createContext({ db, partner, viewer: opts.viewer ?? ANONYMOUS, now: opts.now }),
    );
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
    snapshot: () => snapshotTables(db, TABLES),
    async close() {
      await server.stop();
      await database.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

export const viewers = {
  ...testViewers,
  /** The person of the network with this uuid, with no role. */
  person: (uuid: string): Viewer => personViewer(uuid),
  /** The person a member record belongs to. */
  member: (member: { personId: string | null }): Viewer => {
    if (!member.personId) throw new Error('this member record is linked to no person');
    return personViewer(member.personId);
  },
};
