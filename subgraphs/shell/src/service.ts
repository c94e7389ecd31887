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
import type { HTTPGraphQLRequest } from '@apollo/server';
import type { StandaloneServerContextFunctionArgument } from '@apollo/server/standalone';
import { ANONYMOUS, maskErrors, viewerBindingPlugin, type Viewer } from '@tiers-lieux/schema';
import type { GraphQLSchema } from 'graphql';
import { ConfigError, type ServiceConfig } from './config.js';
import type { CreateDbOptions, DatabaseConfig, DbHandle } from './db.js';
import {
  listenSubgraph,
  requestRecordPlugin,
  type Readiness,
  type RequestRecord,
  type SubgraphListener,
} from './listener.js';
import { scrubPersonalData, silentLogger, type Logger } from './logs.js';
import { outboxMetricsOf, subgraphMetricsOf, type Registry } from './metrics.js';
import { statementObserver } from './statements.js';
import { startTelemetry, type Telemetry, type TelemetryConfig } from './telemetry.js';
import type { Tracer } from './tracing.js';
import {
  createOutboxDispatcher,
  type CrashPoint,
  type DispatcherOptions,
  type OutboxDispatcher,
} from './outbox/dispatcher.js';
import type { OutboxDb } from './outbox/enqueue.js';
import { smtpTransport } from './outbox/transport.js';

/** What a subgraph's `createServer` takes besides its database. */
export interface ServerSettings {
  production?: boolean | undefined;
  /**
   * The service's log: one line per request, and masked errors in production under the id the
   * client gets. Silent when absent.
   */
  logger?: Logger | undefined;
  /** The service's metrics registry (requests, database); none collected when absent. */
  metrics?: Registry | null | undefined;
  /** The service's tracer (a span per request and per SQL statement); none when absent. */
  tracer?: Tracer | null | undefined;
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
  /** Called once a mutation's answer is ready (its transactions committed): wakes the outbox. */
  afterMutation?: (() => void) | undefined;
}

/** An Apollo Server for a subgraph, and the context function its HTTP listener takes. */
export interface SubgraphServer<Context extends BaseContext> {
  server: ApolloServer<Context>;
  context: ContextFunction<[StandaloneServerContextFunctionArgument], Context>;
  /**
   * Starts the server and serves it over HTTP with the network's request handling (request
   * id, trace context, request log line and metrics) and `/health`, `/ready` (what `readiness`
   * says; ready when not given); `startStandaloneServer(server, { context })` serves it without
   * them.
   */
  listen(options: ListenOptions, readiness?: () => Promise<Readiness>): Promise<SubgraphListener>;
}

export function createSubgraphServer<Context extends BaseContext & { viewer: Viewer }>(
  options: SubgraphServerOptions<Context>,
): SubgraphServer<Context> {
  const production = options.production ?? false;
  const logger = options.logger ?? silentLogger();
  const records = new WeakMap<HTTPGraphQLRequest, RequestRecord>();
  const server = new ApolloServer<Context>({
    schema: options.schema,
    includeStacktraceInErrorResponses: !production,
    introspection: true,
    formatError: maskErrors(production, (message) => logger.error(scrubPersonalData(message))),
    plugins: [
      requestRecordPlugin(records),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      viewerBindingPlugin<Context>({
        publicKey: options.viewerPublicKey,
        audience: options.viewerAudience,
        contextFor: options.context,
      }),
      ...(options.plugins ?? []),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ operation }) {
              if (operation?.operation === 'mutation') options.afterMutation?.();
            },
          };
        },
      },
    ],
    // Apollo's own handler would stop the server, then re-raise the signal and end the process
    // before the database is closed: `onShutdown` owns the signals.
    stopOnTerminationSignals: false,
  });
  // The viewer is known once the body is: the binding plugin checks the header against the
  // request it came with and rebuilds the context for that viewer when the request starts.
  const context: SubgraphServer<Context>['context'] = async () => options.context(ANONYMOUS);
  const telemetry = {
    logger,
    metrics: options.metrics ? subgraphMetricsOf(options.metrics) : null,
    tracer: options.tracer ?? null,
  };
  return {
    server,
    context,
    listen: (listen, readiness) =>
      listenSubgraph(server, {
        listen,
        context: () => context({} as never),
        records,
        telemetry,
        ...(readiness ? { readiness } : {}),
      }),
  };
}

/** What a service's `createDb` is told so that its statements are counted and traced. */
export function databaseTelemetry(telemetry: Partial<Telemetry>): CreateDbOptions {
  return {
    statements: statementObserver({
      metrics: telemetry.metrics ? subgraphMetricsOf(telemetry.metrics) : null,
      tracer: telemetry.tracer ?? null,
    }),
  };
}

export interface ServiceParts<Schema extends Record<string, unknown>, Context extends BaseContext> {
  /** The service's database, opened; its migrations are applied before anything else. */
  database: DbHandle<Schema>;
  /** Apply the pending migrations first (true); false when they ran as their own step. */
  migrate?: boolean | undefined;
  /** Fills an empty database with the service's demo data. */
  seed?: ((db: DbHandle<Schema>['db']) => Promise<unknown>) | undefined;
  /** The outbox's dispatcher: started once the service listens, stopped before the database closes. */
  dispatcher?: ((db: DbHandle<Schema>['db']) => OutboxDispatcher) | undefined;
  /** Other periodic work, started once the service listens, stopped before the database closes. */
  background?: ((db: DbHandle<Schema>['db']) => BackgroundWork) | undefined;
  createServer(
    db: DbHandle<Schema>['db'],
    outbox: OutboxDispatcher | null,
  ): SubgraphServer<Context>;
  listen: ListenOptions;
}

export interface RunningService<Schema extends Record<string, unknown>> {
  url: string;
  db: DbHandle<Schema>['db'];
  mode: DbHandle<Schema>['mode'];
  outbox: OutboxDispatcher | null;
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

/** Periodic work of a service besides requests (the network's saga recovery). */
export interface BackgroundWork {
  /** Waits for the round in progress, if any, and runs no more. */
  stop(): Promise<void>;
}

/**
 * Runs `work` now and then every `intervalMs`, one round at a time; a failed round is reported
 * to `onError` and the next runs as planned.
 */
export function everyInterval(
  work: () => Promise<unknown>,
  intervalMs: number,
  onError: (error: unknown) => void,
): BackgroundWork {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let round: Promise<void> = Promise.resolve();
  const run = () => {
    round = work()
      .then(
        () => {},
        (error: unknown) => onError(error),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(run, intervalMs);
      });
  };
  run();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await round;
    },
  };
}

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
    const dispatcher = parts.dispatcher?.(database.db) ?? null;
    const listener = await parts
      .createServer(database.db, dispatcher)
      .listen(parts.listen, readiness);
    dispatcher?.start();
    const background = parts.background?.(database.db) ?? null;
    started = { listener, dispatcher, background };
  } catch (error) {
    await database.close();
    throw error;
  }
  const { listener, dispatcher, background } = started;
  return {
    url: listener.url,
    db: database.db,
    mode: database.mode,
    outbox: dispatcher,
    readiness,
    stop: () =>
      (stopping ??= listener
        .stop()
        .finally(() => background?.stop())
        .finally(() => dispatcher?.stop())
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
  createDb(config: DatabaseConfig, options?: CreateDbOptions): Promise<DbHandle<Schema>>;
  seed(db: DbHandle<Schema>['db'], config: Config): Promise<unknown>;
  /** The server, given the service's telemetry to spread into its settings and its outbox. */
  createServer(
    db: DbHandle<Schema>['db'],
    config: Config,
    telemetry: Telemetry,
    outbox: OutboxDispatcher | null,
  ): SubgraphServer<Context>;
  /** Periodic work of its own, started once the service listens (the network's saga recovery). */
  background?(db: DbHandle<Schema>['db'], config: Config, telemetry: Telemetry): BackgroundWork;
  /** Periodic work of the service run by its outbox dispatcher (expired holds, reminders). */
  outboxChores?(db: DbHandle<Schema>['db'], config: Config): () => Promise<unknown>;
  /** How the boot line names the service (`network subgraph`). */
  describe(config: Config): string;
  /** The service's name in logs, metrics and traces (`network`, `partner:cantine`). */
  serviceName(config: Config): string;
}

/**
 * A subgraph's `main.ts`: configuration from the environment (every problem printed, exit 1),
 * its telemetry started (JSON log on stdout, metrics port, trace export, as configured), the
 * database opened and migrated (unless `MIGRATE=false`), seeded when `SEED=true`, served,
 * and stopped gracefully on SIGTERM or SIGINT. With the argument `migrate`
 * (`node dist/main.js migrate`) it applies the migrations and exits instead.
 */
export async function runService<
  Config extends ServiceConfig & { telemetry: TelemetryConfig },
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
  const telemetry = await startTelemetry(config.telemetry, program.serviceName(config));
  const service = await startService({
    database: await program.createDb(config.database, databaseTelemetry(telemetry)),
    migrate: config.migrate,
    seed: config.seed ? (db) => program.seed(db, config) : undefined,
    // Only a service whose database has the outbox (it declares its chores) runs a dispatcher.
    dispatcher: program.outboxChores
      ? (db) =>
          mailDispatcher(db, config.mail, {
            chores: program.outboxChores!(db, config),
            log: (message) => telemetry.logger.error(message),
            metrics: telemetry.metrics,
          })
      : undefined,
    createServer: (db, outbox) => program.createServer(db, config, telemetry, outbox),
    background: program.background ? (db) => program.background!(db, config, telemetry) : undefined,
    listen: config.http,
  });
  const mail = !program.outboxChores
    ? ''
    : `; mail: ${config.mail.smtpUrl ? 'SMTP' : 'kept in the outbox, no SMTP_URL'}`;
  telemetry.logger.info(
    { url: service.url, database: service.mode, metrics: telemetry.metricsUrl },
    `${program.describe(config)} at ${service.url} (database: ${service.mode}${mail})`,
  );
  onShutdown(() => service.stop().finally(() => telemetry.stop()));
}

/** How a service sends its mail: `config.mail` of `serviceConfig`. */
export interface MailConfig {
  smtpUrl?: string | undefined;
  from: string;
  intervalMs: number;
  crash?: CrashPoint | null | undefined;
}

/**
 * The service's outbox dispatcher over SMTP (none configured: mails wait, chores run); with a
 * registry, the outbox's metrics go to it (`outboxMetricsOf`: backlog and counters).
 */
export function mailDispatcher(
  db: OutboxDb,
  mail: MailConfig,
  {
    metrics,
    ...options
  }: Pick<DispatcherOptions, 'chores' | 'log' | 'backoff' | 'leaseMs'> & {
    metrics?: Registry | null | undefined;
  } = {},
): OutboxDispatcher {
  return createOutboxDispatcher({
    db,
    transport: mail.smtpUrl ? smtpTransport(mail.smtpUrl) : null,
    from: mail.from,
    intervalMs: mail.intervalMs,
    crash: mail.crash,
    metrics: metrics ? outboxMetricsOf(metrics, db) : null,
    ...options,
  });
}
