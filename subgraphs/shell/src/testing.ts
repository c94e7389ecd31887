import type { ApolloServer, BaseContext } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ANONYMOUS, type Viewer } from '@tiers-lieux/schema';
import { createScratchDatabase, testDatabaseUrl } from '@tiers-lieux/schema/testkit';
import { sql, type Logger } from 'drizzle-orm';
import { rowsOf, type Database, type Db } from './db.js';
import { createLogger, type Logger as ServiceLogger } from './logs.js';
import { readTemplate } from './pglite.js';
import type { SubgraphServer } from './service.js';
import type { StatementObserver } from './statements.js';

export {
  createCrashDatabase,
  crashDatabaseConfig,
  killsAmong,
  runCrashChild,
  type ChildEnding,
  type CrashDatabase,
} from './crash-testing.js';

export type Engine = 'pglite' | 'postgres';

export interface TestDatabase<Schema extends Record<string, unknown>> {
  db: Db<Schema>;
  /** Closes the database, and drops it from the server when it was a scratch one. */
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one suite: a copy of the migrated PGlite template, or a
 * scratch database on the real server (`TEST_DATABASE_URL`), dropped at close.
 */
export async function openTestDatabase<Schema extends Record<string, unknown>>(
  database: Database<Schema>,
  options: { engine: Engine; logger?: Logger; poolSize?: number },
): Promise<TestDatabase<Schema>> {
  const { logger } = options;
  if (options.engine === 'pglite') return openMigratedCopy(database, { logger });
  const serverUrl = testDatabaseUrl();
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  return openScratchDatabase(database, { serverUrl, poolSize: options.poolSize ?? 20, logger });
}

/** An in-memory PGlite database loaded from the migrated template. */
export async function openMigratedCopy<Schema extends Record<string, unknown>>(
  database: Database<Schema>,
  options: {
    logger?: Logger | undefined;
    settings?: string[];
    statements?: StatementObserver | undefined;
  } = {},
): Promise<TestDatabase<Schema>> {
  const templateFile = await database.migratedTemplateFile();
  return database.createDb(
    {},
    {
      logger: options.logger,
      statements: options.statements,
      pgliteTemplate: () => readTemplate(templateFile),
      pgliteSettings: options.settings,
    },
  );
}

/** A new database on a PostgreSQL server, migrated, and dropped when closed. */
export async function openScratchDatabase<Schema extends Record<string, unknown>>(
  database: Database<Schema>,
  options: {
    serverUrl: string;
    poolSize: number;
    logger?: Logger | undefined;
    prefix?: string;
    statements?: StatementObserver | undefined;
  },
): Promise<TestDatabase<Schema>> {
  const scratch = await createScratchDatabase(
    options.serverUrl,
    options.prefix ?? `${database.name}_test`,
  );
  try {
    const handle = await database.createDb(
      { url: scratch.url, poolSize: options.poolSize },
      { logger: options.logger, statements: options.statements },
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
}

/** Every row of each table, as JSON would carry it: to prove that a rejected input changed nothing. */
export async function snapshotTables(
  db: Db<Record<string, unknown>>,
  tables: readonly string[],
  orderBy = 'id',
): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = await db.execute(sql.raw(`select * from ${table} order by ${orderBy}`));
    result[table] = JSON.parse(JSON.stringify(rowsOf(rows)));
  }
  return result;
}

export interface GraphQLResult {
  data?: Record<string, any> | null;
  errors?: {
    message: string;
    path?: readonly (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
}

/** One operation through the server with a given context, answered as a client would read it. */
export async function executeWith<Context extends BaseContext>(
  server: ApolloServer<Context>,
  request: { query: string; variables?: Record<string, unknown> | undefined },
  contextValue: Context,
): Promise<GraphQLResult> {
  const response = await server.executeOperation(request, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return JSON.parse(JSON.stringify(response.body.singleResult)) as GraphQLResult;
}

/** Serves a subgraph on a free loopback port, where a gateway would reach it over HTTP. */
export async function serveOnLoopback<Context extends BaseContext>({
  server,
  context,
}: SubgraphServer<Context>): Promise<{ url: string; stop(): Promise<void> }> {
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context,
  });
  return { url, stop: () => server.stop() };
}

/** A signed-in person with the given roles, as the gateway signs them. */
export function personViewer(
  uuid: string,
  roles: { coordinator?: boolean; manages?: string[]; staffs?: string[] } = {},
): Viewer {
  return {
    kind: 'person',
    personId: `network:person:${uuid}`,
    coordinator: roles.coordinator ?? false,
    manages: roles.manages ?? [],
    staffs: roles.staffs ?? [],
  };
}

/** The viewers every subgraph's tests act as; each adds its own people. */
export const testViewers = {
  anonymous: ANONYMOUS,
  coordinator: personViewer('00000000-0000-4000-8000-00000000c001', { coordinator: true }),
  manager: (partner: string): Viewer =>
    personViewer('00000000-0000-4000-8000-00000000a001', { manages: [partner] }),
  staff: (partner: string): Viewer =>
    personViewer('00000000-0000-4000-8000-00000000b001', { staffs: [partner] }),
  gateway: { kind: 'gateway' } as Viewer,
};

/** A logger that keeps its JSON lines, for tests that read what a service logs. */
export function recordingLogger(service: string): {
  logger: ServiceLogger;
  /** Every line written, as written. */
  lines: string[];
  /** Every line, parsed. */
  entries(): Record<string, unknown>[];
} {
  const lines: string[] = [];
  const logger = createLogger({
    service,
    level: 'trace',
    destination: { write: (line: string) => void lines.push(line.trimEnd()) },
  });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line)) };
}
export * from './otlp-receiver.js';
