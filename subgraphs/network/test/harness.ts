import { ANONYMOUS, type Viewer } from '@tiers-lieux/schema';
import { SEEDED_PEOPLE } from '@tiers-lieux/schema/seed-people';
import {
  executeWith,
  openTestDatabase,
  personViewer,
  snapshotTables,
  testViewers,
  type Engine,
  type GraphQLResult,
} from '@tiers-lieux/subgraph-shell/testing';
import type { BookingSaga } from '../src/booking-saga.js';
import { createContext } from '../src/context.js';
import { networkDatabase, type Db } from '../src/db/client.js';
import { partnerChecker } from '../src/partner-check.js';
import { personId } from '../src/ids.js';
import { seededPersonOfMember } from '../src/seed/network.js';
import { createServer } from '../src/server.js';

export type { Engine, GraphQLResult } from '@tiers-lieux/subgraph-shell/testing';

const TABLES = [
  'partners',
  'persons',
  'person_identities',
  'role_grants',
  'invitations',
  'partner_checks',
  'pass_products',
  'pass_product_spaces',
  'passes',
  'ledger_entries',
  'pass_bookings',
  'person_message_preferences',
];

/**
 * The network subgraph over a fresh database: PGlite loaded from the migrated template, or a
 * scratch database on the real server. Operations run through Apollo Server with the
 * subgraph's own context factory, so loaders and viewer rules are the production ones.
 */
export async function createHarness(
  options: {
    engine?: Engine;
    poolSize?: number;
    partnerCheckTimeoutMs?: number;
    /** The booking saga the requests run, over the harness's database. */
    saga?: (db: Db) => BookingSaga;
  } = {},
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
  const saga = options.saga?.(db);
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
      createContext({ db, viewer: opts.viewer ?? ANONYMOUS, now: opts.now, checkPartner, saga }),
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

/** The seeded person with these roles, or a stand-in for a partner the seed does not know. */
function seeded(
  roles: 'coordinator' | 'manages' | 'staffs',
  partner: string | null,
  standIn: Viewer,
): Viewer {
  const person = SEEDED_PEOPLE.find((p) =>
    roles === 'coordinator' ? p.coordinator : partner !== null && p[roles]?.includes(partner),
  );
  if (!person) return standIn;
  return personViewer(person.uuid, {
    coordinator: person.coordinator === true,
    manages: person.manages ?? [],
    staffs: person.staffs ?? [],
  });
}

/**
 * The viewers the tests act as: the seeded people with their roles (the gateway signs the roles
 * it resolved), so that what they write names people the seed creates.
 */
export const viewers = {
  ...testViewers,
  coordinator: seeded('coordinator', null, testViewers.coordinator),
  manager: (partner: string) => seeded('manages', partner, testViewers.manager(partner)),
  staff: (partner: string) => seeded('staffs', partner, testViewers.staff(partner)),
  /** The person who is this member, with no role. */
  member: (memberId: string): Viewer => {
    const uuid = seededPersonOfMember(memberId);
    return personViewer(uuid ?? '00000000-0000-4000-8000-00000000d000');
  },
  person: (uuid: string, roles: Parameters<typeof personViewer>[1] = {}) =>
    personViewer(uuid, roles),
};

/** The first error's code, or null. */
export function errorCode(result: GraphQLResult): unknown {
  return result.errors?.[0]?.extensions?.code ?? null;
}
