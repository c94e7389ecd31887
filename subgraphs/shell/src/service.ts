import type { ListenOptions } from 'node:net';
import {
  ApolloServer,
  type ApolloServerPlugin,
  type BaseContext,
  type ContextFunction,
} from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import {
  startStandaloneServer,
  type StandaloneServerContextFunctionArgument,
} from '@apollo/server/standalone';
import { ANONYMOUS, maskErrors, viewerBindingPlugin, type Viewer } from '@tiers-lieux/schema';
import type { GraphQLSchema } from 'graphql';
import { ConfigError, type ServiceConfig } from './config.js';
import type { DatabaseConfig, DbHandle } from './db.js';

/** What a subgraph's `createServer` takes besides its database. */
export interface ServerSettings {
  production?: boolean | undefined;
  /** Where masked errors are logged in production, under the id the client gets. */
  log?: ((message: string) => void) | undefined;
  /** The gateway's public key; without it every request is an anonymous visitor's. */
  viewerPublicKey?: string | undefined;
}

export interface SubgraphServerOptions<Context extends BaseContext> extends ServerSettings {
  /** `buildSubgraphSchema({ typeDefs, resolvers })` of the service. */
  schema: GraphQLSchema;
  /** The name the gateway signs this service's viewer header for. */
  viewerAudience: string;
  /** The request's context, from the viewer its signed header names. */
  context: (viewer: Viewer) => Context;
  /** The service's own Apollo Server plugins, after the shell's. */
  plugins?: ApolloServerPlugin<Context>[] | undefined;
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
      ...(options.plugins ?? []),
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
  /** Fills an empty database with the service's demo data. */
  seed?: ((db: DbHandle<Schema>['db']) => Promise<unknown>) | undefined;
  createServer(db: DbHandle<Schema>['db']): SubgraphServer<Context>;
  listen: ListenOptions;
}

export interface RunningService<Schema extends Record<string, unknown>> {
  url: string;
  db: DbHandle<Schema>['db'];
  mode: DbHandle<Schema>['mode'];
  /**
   * Stops accepting connections, lets the requests in flight finish (Apollo's drain closes
   * idle connections at once and the others after 10 s at most), then closes the database.
   * Calling it again waits for the same stop.
   */
  stop(): Promise<void>;
}

/** Migrates, seeds when asked, and serves the subgraph over HTTP. */
export async function startService<
  Schema extends Record<string, unknown>,
  Context extends BaseContext,
>(parts: ServiceParts<Schema, Context>): Promise<RunningService<Schema>> {
  const { database } = parts;
  let started;
  try {
    await database.migrate();
    await parts.seed?.(database.db);
    const { server, context } = parts.createServer(database.db);
    const { url } = await startStandaloneServer(server, { listen: parts.listen, context });
    started = { server, url };
  } catch (error) {
    await database.close();
    throw error;
  }
  const { server, url } = started;
  let stopping: Promise<void> | null = null;
  return {
    url,
    db: database.db,
    mode: database.mode,
    stop: () => (stopping ??= server.stop().finally(() => database.close())),
  };
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
 * the database opened and migrated, seeded when `SEED=true`, served, and stopped gracefully
 * on SIGTERM or SIGINT.
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
  const service = await startService({
    database: await program.createDb(config.database),
    seed: config.seed ? (db) => program.seed(db, config) : undefined,
    createServer: (db) => program.createServer(db, config),
    listen: config.http,
  });
  console.log(`${program.describe(config)} at ${service.url} (database: ${service.mode})`);
  onShutdown(service.stop);
}
