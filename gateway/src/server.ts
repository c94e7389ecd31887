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
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { buildSchema } from 'graphql';
import { createAuthenticator, type AuthConfig } from './auth.js';
import { createHttpEdge } from './http.js';
import { DEFAULT_LIMITS, limitsProtection, type RequestLimits } from './limits.js';
import { networkRegistry } from './network-registry.js';
import { PartnerRouter } from './partners/router.js';
import {
  anonymousWriteLimit,
  memoryHitCounter,
  redisHitCounter,
  type AnonymousWriteLimit,
} from './rate-limit.js';
import { PartnerRegistry, type PartnerEntry, type RegistrySource } from './registry.js';
import { subgraphSources } from './subgraph-sources.js';
import { viewerHeadersSignedWith } from './viewer-headers.js';
import { partnerRequestNeedsViewer } from './viewer-need.js';

const NOT_READY = { status: 'not ready' } as const;

export interface GatewayContext extends Record<string, unknown> {
  viewer: Viewer;
  /** The client's address, as the edge sees it (behind trusted proxies, the forwarded one). */
  clientAddress: string;
  requestId: string;
}

export interface GatewayOptions {
  /** The composed supergraph to serve. */
  supergraphSdl: string;
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
  partnerTimeoutMs?: number;
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
  auth?: AuthConfig | null;
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
  /** How long the requests in flight have to finish once the gateway stops (10 s). */
  stopGraceMs?: number;
  log?: (message: string) => void;
}

/**
 * The network graph's one endpoint: Apollo Server over Apollo Gateway, with the partner
 * router behind the partners' subgraph. Builds everything from its arguments; `start()`
 * listens.
 */
export async function createGateway(options: GatewayOptions) {
  const log = options.log ?? ((message: string) => console.error(message));
  const production = options.production ?? false;
  const timeoutMs = options.partnerTimeoutMs ?? 2_000;
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
          timeoutMs,
        })
      : (options.registry ?? null);
  const registry = new PartnerRegistry(options.partners ?? [], source, log, {
    timeoutMs,
    ...(options.partnerContractSdl ? { contractSdl: options.partnerContractSdl } : {}),
  });

  const router = new PartnerRouter({
    registry,
    schema: buildSchema(options.supergraphSdl, { assumeValidSDL: true }),
    timeoutMs,
    ...(options.maxPartnerResponseBytes
      ? { maxResponseBytes: options.maxPartnerResponseBytes }
      : {}),
    // A partner learns who asks only when its answer depends on it.
    headersFor: async (partner, context, request) =>
      partnerRequestNeedsViewer(request.query)
        ? viewerHeaders(`partner:${partner}`, context, request)
        : {},
    log,
  });

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: subgraphSources({
      partnerSubgraph: options.partnerSubgraph,
      partnerRouter: router,
      subgraphUrls: options.subgraphUrls ?? {},
      timeoutMs,
      viewerHeaders,
      inflightDeduplication: options.inflightDeduplication !== false,
      routedTo: (name, url) => routingUrls.set(name, url),
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
    allowBatchedHttpRequests: false,
    introspection: options.introspection ?? !production,
    includeStacktraceInErrorResponses: !production,
    csrfPrevention: true,
    formatError: maskErrors(production, log),
    // Apollo's own signal handler would stop the server and end the process before the
    // programs that run a gateway have closed the rest (their databases): they own the signals.
    stopOnTerminationSignals: false,
    plugins: [
      ...protection.plugins,
      ...(hitCounter && options.anonymousWriteLimit
        ? [anonymousWriteLimit<GatewayContext>(hitCounter, options.anonymousWriteLimit, log)]
        : []),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
    ],
  });

  const authenticate = options.auth
    ? await createAuthenticator(options.auth)
    : async () => ANONYMOUS;
  const context = async (request: FastifyRequest): Promise<GatewayContext> => ({
    viewer: await authenticate(request.raw),
    requestId: randomUUID(),
    clientAddress: request.ip,
  });

  const app = await createHttpEdge({
    maxBodyBytes: options.maxBodyBytes ?? 1_000_000,
    headersTimeoutMs: options.headersTimeoutMs ?? 5_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    maxConnections: options.maxConnections ?? 1_000,
    corsOrigins: options.corsOrigins ?? [],
    trustProxy: options.trustProxy,
    log,
  });
  let started = false;
  let stopping = false;
  app.get('/health', async () => ({ status: 'ok' }));
  // Ready: the supergraph loaded, the registry read, a partner to route to, and not stopping.
  // Load balancers see ready or not; partner URLs and health are for coordinators.
  app.get('/ready', async (request, reply) => {
    let viewer: Viewer;
    try {
      viewer = await authenticate(request.raw);
    } catch (error) {
      const message = error instanceof Error ? error.message : 'Not authenticated';
      return reply.code(401).send({ error: { code: 'UNAUTHENTICATED', message } });
    }
    const readiness = started && !stopping ? registry.publicReadiness() : NOT_READY;
    return reply
      .code(readiness.status === 'ready' ? 200 : 503)
      .send(viewer.kind === 'coordinator' ? registry.detailedReport() : readiness);
  });
  if (options.routes) await app.register(options.routes);

  let url: string | null = null;
  return {
    apollo,
    registry,
    router,
    app,
    /** Loads the supergraph, reads the registry, listens; answers the base URL. */
    async start(
      listenOn: { host: string; port: number; pollMs?: number } = { host: '127.0.0.1', port: 0 },
    ) {
      await apollo.start();
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
    },
    get url() {
      return url;
    },
  };
}

export type Gateway = Awaited<ReturnType<typeof createGateway>>;
