import type { ListenOptions } from 'node:net';
import { ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { StandaloneServerContextFunctionArgument } from '@apollo/server/standalone';
import { ANONYMOUS, maskErrors, viewerBindingPlugin, type Viewer } from '@tiers-lieux/schema';
import type { GraphQLSchema } from 'graphql';
import { ConfigError, type ServiceConfig } from './config.js';
import type { DatabaseConfig, DbHandle } from './db.js';
import { serveSubgraph, type Readiness } from './http.js';

/** What a subgraph's `createServer` takes besides its database. */
export interface ServerSettings {
  production?: boolean | undefined;
  /** Where masked errors are logged in production, under the id the client gets. */
  log?: ((message: string) => void) | undefined;
  /** The gateway's public key; without it every request is an anonymous visitor's. */
  viewerPublicKey?: string | undefined;
}

export interface SubgraphServerOptions<Context> extends ServerSettings {
  /** `buildSubgraphSchema({ typeDefs, resolvers })` of the service. */
  schema: GraphQLSchema;
  /** The name the gateway signs this service's viewer header for. */
  viewerAudience: string;
  /** The request's context, from the viewer its signed header names. */
  context: (viewer: Viewer) => Context;
}

/** An Apollo Server for a subgraph, and the context function its HTTP listener takes. */
export interface SubgraphServer<Context extends BaseContext> {
  server: ApolloServer<Context>;
  context: ContextFunction<[StandaloneServerContextFunctionArgument], Context>;
}

export function createSubgraphServer<Context extends BaseContext & { viewer: Viewer }>(
  options: SubgraphServerOptions<Context>,
): SubgraphServer<Context> {
  const production = options.production ?? false;
  const log = options.log ?? ((message: string) => console.error(message));
  const server = new ApolloServer<Context>({
    schema: options.schema,
    includeStacktraceInErrorResponses: !production,
    introspection: true,
    formatError: maskErrors(production, log),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      viewerBindingPlugin<Context>({
        publicKey: options.viewerPublicKey,
        audience: options.viewerAudience,
        contextFor: options.context,
      }),
    ],
    // Apollo's own handler would stop the server, then re-raise the signal and end the process
    // before the database is closed: `onShutdown` owns the signals.
    stopOnTerminationSignals: false,
  });
  // The viewer is known once the body is: the binding plugin checks the header against the
  // request it came with and rebuilds the context for that viewer when the request starts.
  const context: SubgraphServer<Context>['context'] = async () => options.context(ANONYMOUS);
  return { server, context };
}

export interface ServiceParts<Schema extends Record<string, unknown>, Context extends BaseContext> {
  /** The service's database, opened; its migrations are applied before anything else. */
  database: DbHandle<Schema>;
  /** Apply the pending migrations first (true); false when they ran as their own step. */
  migrate?: boolean | undefined;
  /** Fills an empty database with the service's demo data. */
  seed?: ((db: DbHandle<Schema>['db']) => Promise<unknown>) | undefined;
  createServer(db: DbHandle<Schema>['db']): SubgraphServer<Context>;
  listen: ListenOptions;
}

export interface RunningService<Schema extends Record<string, unknown>> {
  url: string;
  db: DbHandle<Schema>['db'];
  mode: DbHandle<Schema>['mode'];
  /** What `/ready` answers. */
  readiness(): Promise<Readiness>;
  /**
   * Stops accepting connections (`/ready` says so from the first moment), lets the requests in
   * flight finish (idle connections are closed at once, busy ones after their answer, whatever
   * is left after 10 s), then closes the database. Calling it again waits for the same stop.
   */
  stop(): Promise<void>;
}

/** How long `/ready` waits for the database before calling it unreachable. */
const READINESS_TIMEOUT_MS = 2_000;

/** Migrates, seeds when asked, and serves the subgraph over HTTP. */
export async function startService<
  Schema extends Record<string, unknown>,
  Context extends BaseContext,
>(parts: ServiceParts<Schema, Context>): Promise<RunningService<Schema>> {
  const { database } = parts;
  let stopping: Promise<void> | null = null;
  const readiness = async (): Promise<Readiness> => {
    if (stopping) return { status: 'not ready', reason: 'stopping' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), READINESS_TIMEOUT_MS);
    });
    try {
      const applied = await Promise.race([database.migrationsApplied(), timeout]);
      return applied ? { status: 'ready' } : { status: 'not ready', reason: 'migrations pending' };
    } catch {
      return { status: 'not ready', reason: 'database unreachable' };
    } finally {
      clearTimeout(timer);
    }
  };
  let started;
  try {
    if (parts.migrate !== false) await database.migrate();
    await parts.seed?.(database.db);
    const { server, context } = parts.createServer(database.db);
    await server.start();
    try {
      const http = await serveSubgraph({ server, context, listen: parts.listen, readiness });
      started = { server, http };
    } catch (error) {
      await server.stop();
      throw error;
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  const { server, http } = started;
  return {
    url: http.url,
    db: database.db,
    mode: database.mode,
    readiness,
    stop: () =>
      (stopping ??= http
        .close()
        .then(() => server.stop())
        .finally(() => database.close())),
  };
}

/** Applies the service's pending migrations and closes its database: a step before a rollout. */
export async function migrateOnly<Schema extends Record<string, unknown>>(
  database: DbHandle<Schema>,
): Promise<void> {
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
}

/**
 * Runs `stop` on the first SIGTERM or SIGINT, then exits: 0 when it stopped cleanly, 1 when
 * it failed. A second signal during the stop ends the process at once (Node's default).
 */
export function onShutdown(stop: () => Promise<unknown>): void {
  const shutdown = () => {
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

export interface ServiceProgram<
  Config extends ServiceConfig,
  Schema extends Record<string, unknown>,
  Context extends BaseContext,
> {
  loadConfig(): Config;
  createDb(config: DatabaseConfig): Promise<DbHandle<Schema>>;
  seed(db: DbHandle<Schema>['db'], config: Config): Promise<unknown>;
  createServer(db: DbHandle<Schema>['db'], config: Config): SubgraphServer<Context>;
  /** How the boot line names the service (`network subgraph`). */
  describe(config: Config): string;
}

/**
 * A subgraph's `main.ts`: configuration from the environment (every problem printed, exit 1),
 * the database opened and migrated (unless `MIGRATE=false`), seeded when `SEED=true`, served,
 * and stopped gracefully on SIGTERM or SIGINT. With the argument `migrate`
 * (`node dist/main.js migrate`) it applies the migrations and exits instead.
 */
export async function runService<
  Config extends ServiceConfig,
  Schema extends Record<string, unknown>,
  Context extends BaseContext,
>(program: ServiceProgram<Config, Schema, Context>): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  let config: Config;
  try {
    config = program.loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  if (process.argv[2] === 'migrate') {
    const database = await program.createDb(config.database);
    await migrateOnly(database);
    console.log(`${program.describe(config)}: migrations applied (database: ${database.mode})`);
    return;
  }
  const service = await startService({
    database: await program.createDb(config.database),
    migrate: config.migrate,
    seed: config.seed ? (db) => program.seed(db, config) : undefined,
    createServer: (db) => program.createServer(db, config),
    listen: config.http,
  });
  console.log(`${program.describe(config)} at ${service.url} (database: ${service.mode})`);
  onShutdown(service.stop);
}
