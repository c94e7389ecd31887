import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ANONYMOUS, maskErrors, type Viewer } from '@tiers-lieux/schema';
import {
  scrubPersonalData,
  silentLogger,
  type Logger,
  type Registry,
  type Tracer,
} from '@tiers-lieux/subgraph-shell';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { createAuthenticator, firstIdentity, type AuthConfig, type Authenticate } from './auth.js';
import { createHttpEdge } from './http.js';
import { DEFAULT_LIMITS, limitsProtection, type RequestLimits } from './limits.js';
import { networkRegistry } from './network-registry.js';
import { cachedPeople, networkPeople, type PeopleDirectory } from './people.js';
import { PartnerRouter } from './partners/router.js';
import {
  anonymousWriteLimit,
  memoryHitCounter,
  redisHitCounter,
  type AnonymousWriteLimit,
} from './rate-limit.js';
import { PartnerRegistry, type PartnerEntry, type RegistrySource } from './registry.js';
import { subgraphSources } from './subgraph-sources.js';
import { GatewayTelemetry, type RequestTelemetry } from './telemetry.js';
import { registersOneself } from './self-registration.js';
import { supergraphSchema } from './supergraph-schema.js';
import { viewerHeadersSignedWith } from './viewer-headers.js';
import { partnerRequestNeedsViewer } from './viewer-need.js';
import {
  createSignIn,
  redisSessionStore,
  sqlSessionStore,
  sqlSessionStoreAt,
  type SignInOptions,
} from './sign-in/index.js';
import type { Db } from '@tiers-lieux/subgraph-shell';

const NOT_READY = { status: 'not ready' } as const;

export interface GatewayContext extends Record<string, unknown> {
  viewer: Viewer;
  /**
   * The signed-in person's email, when their identity provider verified it: told to a partner
   * only with the registration of the person as themselves for one of its events.
   */
  verifiedEmail?: string | undefined;
  /** The client's address, as the edge sees it (behind trusted proxies, the forwarded one). */
  clientAddress: string;
  requestId: string;
  /** The request's log line, metrics and span in the making (telemetry.ts). */
  telemetry?: RequestTelemetry | undefined;
}

export interface GatewayOptions {
  /** The composed supergraph to serve. */
  supergraphSdl: string;
  /**
   * Whether the gateway validates the supergraph when it loads it (about 0.3 s of CPU): by
   * default as Apollo does, except in production. Off where the supergraph is the committed one,
   * which `pnpm compose` validated and CI keeps current.
   */
  validateSupergraph?: boolean;
  /** The subgraph every partner serves; its fetches go through the partner router. */
  partnerSubgraph: string;
  /**
   * The SDL every partner must serve, checked at each registry poll (see registry.ts): the
   * partner contract, `schema/space.graphql`, unless given.
   */
  partnerContractSdl?: string;
  /** Partners known from configuration. */
  partners?: PartnerEntry[];
  /**
   * Where the registry is polled: `network` reads the network subgraph's `partners`, a
   * function reads anything else; null polls nothing.
   */
  registry?: 'network' | RegistrySource | null;
  registryPollMs?: number;
  /** Time budget of one partner request (2 s by default). */
  partnerTimeoutMs?: number;
  /**
   * Time budget of one request to the other subgraphs (the network's part of a query, the
   * registry poll, the people lookup); the partners' when absent.
   */
  networkTimeoutMs?: number;
  /** Largest answer read from a partner, in bytes (16 MB by default). */
  maxPartnerResponseBytes?: number;
  /** Routing URLs that replace the supergraph's, by subgraph name. */
  subgraphUrls?: Record<string, string>;
  /**
   * Share one subgraph fetch between identical queries of the same viewer that are in flight
   * at the same time (see inflight.ts); on unless false.
   */
  inflightDeduplication?: boolean;
  /** The key (PEM, ES256) the viewer header is signed with; subgraphs hold its public half. */
  viewerSigningKey?: string | undefined;
  /** How long a viewer header is valid, in seconds (10 by default): each is used once. */
  viewerLifetimeSeconds?: number | undefined;
  /** How bearer tokens are verified; none are accepted when null or unset. */
  auth?: AuthConfig | null;
  /**
   * Sign-in with an OpenID Connect provider (`sign-in/`): the `/auth/*` routes, server-side
   * sessions behind an HttpOnly cookie, and the provider's JWT access tokens as bearer tokens.
   * Sessions live in Redis when `redisUrl` is set, else in `sessionDatabase`.
   */
  signIn?: (SignInOptions & { clock?: () => number }) | null;
  /**
   * Where sessions live without Redis: a database handle (the embedded network passes the
   * network's) or a PostgreSQL URL (`SESSION_DATABASE_URL`), whose pool the gateway closes.
   */
  sessionDatabase?: Db<Record<string, unknown>> | string | undefined;
  /**
   * More ways to sign in (a session cookie), tried after the bearer token: each gives the
   * request's identity or null.
   */
  authenticators?: Authenticate[];
  /**
   * Turns a signed-in identity into the request's viewer; by default the network subgraph's
   * `signIn`, each identity's answer kept `peopleCacheSeconds`.
   */
  people?: PeopleDirectory;
  /** How long the default people directory keeps an identity's viewer, in seconds (5 by default). */
  peopleCacheSeconds?: number;
  introspection?: boolean;
  production?: boolean;
  maxBodyBytes?: number;
  /** Time a client has to send its request headers (5 s by default). */
  headersTimeoutMs?: number;
  /** Time a client has to send its whole request, body included (30 s by default). */
  requestTimeoutMs?: number;
  /** Connections open at once (1000 by default). */
  maxConnections?: number;
  /** Origins of third-party web frontends allowed to call from a browser (CORS). */
  corsOrigins?: readonly string[];
  /** Proxies whose X-Forwarded-For names the client (Fastify's `trustProxy`). */
  trustProxy?: boolean | number | string[] | undefined;
  /** Where the replicas share their counts (the anonymous-write limit); in memory when unset. */
  redisUrl?: string | undefined;
  /** What this network's keys in that Redis start with, when several networks share it. */
  redisKeyPrefix?: string | undefined;
  /** Mutations an anonymous client address may send per window; none counted when null or unset. */
  anonymousWriteLimit?: AnonymousWriteLimit | null;
  limits?: Partial<RequestLimits>;
  /**
   * More HTTP routes, as a Fastify plugin: the programs that run a gateway mount the public
   * site there (`@tiers-lieux/web/server`); the gateway itself serves only `/graphql`,
   * `/health` and `/ready`.
   */
  routes?: FastifyPluginAsync;
  /**
   * The gateway's log: one JSON line per GraphQL request, registry changes, unexpected errors
   * (masked ones under their id in production). Silent when absent.
   */
  logger?: Logger;
  /** The registry the gateway's metrics go to (served by the program on its metrics port); none when absent. */
  metrics?: Registry | null;
  /** The gateway's tracer: a span per request and per subgraph fetch; none when absent. */
  tracer?: Tracer | null;
  /** How long the requests in flight have to finish once the gateway stops (10 s). */
  stopGraceMs?: number;
}

/**
 * The network graph's one endpoint: Apollo Server over Apollo Gateway, with the partner
 * router behind the partners' subgraph. Builds everything from its arguments; `start()`
 * listens.
 */
export async function createGateway(options: GatewayOptions) {
  const logger = options.logger ?? silentLogger();
  const logError = (message: string) => logger.error(scrubPersonalData(message));
  const production = options.production ?? false;
  const timeoutMs = options.partnerTimeoutMs ?? 2_000;
  const networkTimeoutMs = options.networkTimeoutMs ?? timeoutMs;
  const viewerHeaders = viewerHeadersSignedWith(
    options.viewerSigningKey ?? null,
    options.viewerLifetimeSeconds,
  );
  const routingUrls = new Map<string, string>();

  const source =
    options.registry === 'network'
      ? networkRegistry({
          url: () => options.subgraphUrls?.network ?? routingUrls.get('network'),
          viewerHeaders,
          timeoutMs: networkTimeoutMs,
        })
      : (options.registry ?? null);
  const registry = new PartnerRegistry(options.partners ?? [], source, (m) => logger.warn(m), {
    timeoutMs,
    ...(options.partnerContractSdl ? { contractSdl: options.partnerContractSdl } : {}),
  });
  const telemetry = new GatewayTelemetry({
    logger,
    metrics: options.metrics,
    tracer: options.tracer,
    partners: registry,
    trustProxy: options.trustProxy,
  });

  const router = new PartnerRouter({
    registry,
    schema: supergraphSchema(options.supergraphSdl).schema,
    timeoutMs,
    ...(options.maxPartnerResponseBytes
      ? { maxResponseBytes: options.maxPartnerResponseBytes }
      : {}),
    // A partner learns who asks only when its answer depends on it.
    headersFor: async (partner, context, request) =>
      partnerRequestNeedsViewer(request.query)
        ? viewerHeaders(
            `partner:${partner}`,
            context,
            request,
            typeof context.verifiedEmail === 'string' && registersOneself(request)
              ? context.verifiedEmail
              : undefined,
          )
        : {},
    log: logError,
    observer: telemetry,
  });

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    ...(options.validateSupergraph !== undefined
      ? { validateSupergraph: options.validateSupergraph }
      : {}),
    buildService: subgraphSources({
      partnerSubgraph: options.partnerSubgraph,
      partnerRouter: router,
      subgraphUrls: options.subgraphUrls ?? {},
      timeoutMs: networkTimeoutMs,
      viewerHeaders,
      inflightDeduplication: options.inflightDeduplication !== false,
      observer: telemetry,
      routedTo: (name, url) => routingUrls.set(name, url),
      log: logError,
    }),
  });

  const protection = limitsProtection({ ...DEFAULT_LIMITS, ...options.limits });
  const hitCounter = options.anonymousWriteLimit
    ? options.redisUrl
      ? redisHitCounter(options.redisUrl, options.redisKeyPrefix)
      : memoryHitCounter()
    : null;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: protection.validationRules,
    parseOptions: protection.parseOptions,
    hideSchemaDetailsFromClientErrors: protection.hideSchemaDetailsFromClientErrors,
    allowBatchedHttpRequests: false,
    introspection: options.introspection ?? !production,
    includeStacktraceInErrorResponses: !production,
    csrfPrevention: true,
    formatError: maskErrors(production, logError),
    // Apollo's own signal handler would stop the server and end the process before the
    // programs that run a gateway have closed the rest (their databases): they own the signals.
    stopOnTerminationSignals: false,
    plugins: [
      telemetry.plugin(),
      ...protection.plugins,
      ...(hitCounter && options.anonymousWriteLimit
        ? [
            anonymousWriteLimit<GatewayContext>(hitCounter, options.anonymousWriteLimit, (m) =>
              logger.warn(m),
            ),
          ]
        : []),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
    ],
  });

  let url: string | null = null;
  const signIn = options.signIn
    ? createSignIn({
        ...options.signIn,
        store: options.redisUrl
          ? redisSessionStore(options.redisUrl, options.redisKeyPrefix)
          : typeof options.sessionDatabase === 'string'
            ? await sqlSessionStoreAt(options.sessionDatabase)
            : options.sessionDatabase
              ? sqlSessionStore(options.sessionDatabase)
              : missingSessionStore(),
        defaultRedirectUrl: () => {
          if (!url) throw new Error('The gateway is not listening yet');
          return `${url}/auth/callback`;
        },
        ...(options.signIn.clock ? { now: options.signIn.clock } : {}),
        log: logError,
      })
    : null;
  const identify = firstIdentity(
    ...(options.auth ? [await createAuthenticator(options.auth)] : []),
    ...(options.authenticators ?? []),
  );
  const people =
    options.people ??
    cachedPeople(
      networkPeople({
        url: () => options.subgraphUrls?.network ?? routingUrls.get('network'),
        viewerHeaders,
        timeoutMs: networkTimeoutMs,
        log: logError,
      }),
      { seconds: options.peopleCacheSeconds ?? 5 },
    );
  /**
   * The request's viewer: anonymous without credentials, else the person the network knows.
   * A bearer token or session of the sign-in provider is an identity; any other bearer token
   * goes to the development or configured verifier (`auth`), and none is silently anonymous.
   */
  const viewerOf = async (
    request: FastifyRequest,
  ): Promise<{ viewer: Viewer; verifiedEmail?: string | undefined }> => {
    const identity =
      (signIn ? await signIn.identityOf(request) : null) ?? (await identify(request.raw));
    if (identity) {
      const viewer = await people.viewerFor(identity, telemetry.of(request)?.requestId);
      return {
        viewer,
        verifiedEmail:
          viewer.kind === 'person' && identity.emailVerified && identity.email
            ? identity.email
            : undefined,
      };
    }
    if (signIn && !options.auth && request.headers.authorization)
      throw new GraphQLError("The bearer token was not issued by the network's provider", {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      });
    return { viewer: ANONYMOUS };
  };
  const context = async (request: FastifyRequest): Promise<GatewayContext> => {
    const record = telemetry.of(request);
    const { viewer, verifiedEmail } = await viewerOf(request);
    if (record) record.viewer = viewer.kind;
    return {
      viewer,
      verifiedEmail,
      requestId: record?.requestId ?? randomUUID(),
      clientAddress: request.ip,
      telemetry: record,
    };
  };

  const app = await createHttpEdge({
    maxBodyBytes: options.maxBodyBytes ?? 1_000_000,
    headersTimeoutMs: options.headersTimeoutMs ?? 5_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    maxConnections: options.maxConnections ?? 1_000,
    corsOrigins: options.corsOrigins ?? [],
    trustProxy: options.trustProxy,
    log: logError,
  });
  telemetry.instrument(app, '/graphql');
  let started = false;
  let stopping = false;
  app.get('/health', async () => ({ status: 'ok' }));
  // Ready: the supergraph loaded, the registry read, a partner to route to, and not stopping.
  // Load balancers see ready or not; partner URLs and health are for coordinators.
  app.get('/ready', async (request, reply) => {
    let viewer: Viewer;
    try {
      ({ viewer } = await viewerOf(request));
    } catch (error) {
      const extensions = error instanceof GraphQLError ? error.extensions : {};
      const code = typeof extensions.code === 'string' ? extensions.code : 'UNAUTHENTICATED';
      const status = (extensions.http as { status?: number } | undefined)?.status ?? 401;
      const message = error instanceof Error ? error.message : 'Not authenticated';
      return reply.code(status).send({ error: { code, message } });
    }
    const readiness = started && !stopping ? registry.publicReadiness() : NOT_READY;
    const coordinator = viewer.kind === 'person' && viewer.coordinator;
    return reply
      .code(readiness.status === 'ready' ? 200 : 503)
      .send(coordinator ? registry.detailedReport() : readiness);
  });
  if (signIn) await app.register(signIn.routes);
  if (options.routes) await app.register(options.routes);

  let loading: Promise<void> | null = null;
  /**
   * Loads the supergraph and plans with it (a second of CPU), which needs no partner: a program
   * that starts its partners alongside calls it first. Once, however often called.
   */
  const load = () => (loading ??= apollo.start());
  return {
    apollo,
    registry,
    router,
    app,
    signIn,
    people,
    /** Where the gateway's metrics are, for the program to serve on its metrics port. */
    metrics: options.metrics ?? null,
    load,
    /** Loads the supergraph, reads the registry, listens; answers the base URL. */
    async start(
      listenOn: { host: string; port: number; pollMs?: number } = { host: '127.0.0.1', port: 0 },
    ) {
      await load();
      app.route({
        // Apollo answers the methods it does not serve with a 405.
        method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        url: '/graphql',
        handler: fastifyApolloHandler(apollo, { context }),
      });
      await registry.start(listenOn.pollMs ?? options.registryPollMs ?? 10_000);
      started = true;
      await app.listen({ host: listenOn.host, port: listenOn.port });
      const { port } = app.server.address() as AddressInfo;
      const host = listenOn.host.includes(':') ? `[${listenOn.host}]` : listenOn.host;
      url = `http://${host}:${port}`;
      return url;
    },
    /**
     * Stops accepting connections and lets the requests in flight finish (those still running
     * after `stopGraceMs` are cut), then stops polling and closes the shared counters.
     */
    async stop() {
      stopping = true;
      const cut = setTimeout(() => app.server.closeAllConnections(), options.stopGraceMs ?? 10_000);
      try {
        await app.close();
      } finally {
        clearTimeout(cut);
      }
      registry.stop();
      await apollo.stop();
      await hitCounter?.close();
      await signIn?.close();
    },
    get url() {
      return url;
    },
  };
}

function missingSessionStore(): never {
  throw new Error(
    'Sign-in keeps its sessions in Redis (redisUrl) or a database (sessionDatabase): give one',
  );
}

export type Gateway = Awaited<ReturnType<typeof createGateway>>;
