import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ANONYMOUS, maskErrors, signViewer, VIEWER_HEADER, type Viewer } from '@tiers-lieux/schema';
import { buildSchema } from 'graphql';
import { z } from 'zod';
import { createAuthenticator, type AuthConfig } from './auth.js';
import { createHttpServer, listen, type HttpRoute } from './http.js';
import { landingPage } from './landing.js';
import { InflightDeduplication } from './inflight.js';
import { DEFAULT_LIMITS, limitsProtection, type RequestLimits } from './limits.js';
import { PartnerRouter } from './partner-router.js';
import { PartnerRegistry, type PartnerEntry, type RegistrySource } from './registry.js';

export interface GatewayContext extends Record<string, unknown> {
  viewer: Viewer;
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
  auth?: AuthConfig | null;
  introspection?: boolean;
  production?: boolean;
  maxBodyBytes?: number;
  limits?: Partial<RequestLimits>;
  /**
   * More HTTP routes (the web page, calendar feeds, open data), tried before the built-in
   * ones: a route for `/` replaces the landing page.
   */
  routes?: HttpRoute[];
  log?: (message: string) => void;
}

const RegistryAnswer = z.object({
  data: z.object({
    partners: z.array(
      z.object({
        slug: z.string(),
        status: z.enum(['ACTIVE', 'SUSPENDED']),
        subgraphUrl: z.string().url().nullable(),
      }),
    ),
  }),
});

/**
 * The fetch of the subgraphs other than the partners': with a time budget, and answering a
 * GraphQL error response sent with HTTP 400 (a variable the subgraph refuses) as the GraphQL
 * response it is. RemoteGraphQLDataSource would turn any non-2xx into an internal error.
 */
function subgraphFetcher(timeoutMs: number) {
  return async (input: string, init: RequestInit): Promise<Response> => {
    const response = await fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    if (response.status !== 400) return response;
    const text = await response.text();
    try {
      const body = JSON.parse(text) as { errors?: unknown };
      if (Array.isArray(body.errors))
        return new Response(text, { status: 200, headers: response.headers });
    } catch {
      // not a GraphQL response: let the data source report the HTTP error
    }
    return new Response(text, { status: response.status, headers: response.headers });
  };
}

/**
 * The network graph's one endpoint: Apollo Server over Apollo Gateway, with the partner
 * router behind the partners' subgraph. Builds everything from its arguments; `start()`
 * listens.
 */
export async function createGateway(options: GatewayOptions) {
  const log = options.log ?? ((message: string) => console.error(message));
  const production = options.production ?? false;
  const viewerKey = options.viewerSigningKey ?? null;
  const routingUrls = new Map<string, string>();

  const viewerHeaders = async (
    audience: string,
    context: Record<string, unknown>,
  ): Promise<Record<string, string>> => {
    if (!viewerKey) return {};
    const viewer = (context.viewer as Viewer | undefined) ?? ANONYMOUS;
    const requestId = typeof context.requestId === 'string' ? context.requestId : undefined;
    return {
      [VIEWER_HEADER]: await signViewer(viewer, viewerKey, {
        audience,
        ...(requestId ? { requestId } : {}),
      }),
    };
  };

  const networkRegistry: RegistrySource = async () => {
    const url = options.subgraphUrls?.network ?? routingUrls.get('network');
    if (!url) throw new Error('the supergraph has no network subgraph to read the registry from');
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await viewerHeaders('network', { viewer: { kind: 'coordinator' } })),
      },
      body: JSON.stringify({ query: '{ partners { slug status subgraphUrl } }' }),
      signal: AbortSignal.timeout(options.partnerTimeoutMs ?? 2_000),
    });
    const answer = RegistryAnswer.safeParse(await response.json());
    if (!answer.success)
      throw new Error(
        `the network subgraph answered an unexpected registry (HTTP ${response.status})`,
      );
    return answer.data.data.partners.flatMap((p) =>
      p.subgraphUrl ? [{ slug: p.slug, url: p.subgraphUrl, status: p.status }] : [],
    );
  };
  const source = options.registry === 'network' ? networkRegistry : (options.registry ?? null);
  const registry = new PartnerRegistry(options.partners ?? [], source, log, {
    timeoutMs: options.partnerTimeoutMs ?? 2_000,
    ...(options.partnerContractSdl ? { contractSdl: options.partnerContractSdl } : {}),
  });

  const router = new PartnerRouter({
    registry,
    schema: buildSchema(options.supergraphSdl, { assumeValidSDL: true }),
    timeoutMs: options.partnerTimeoutMs ?? 2_000,
    ...(options.maxPartnerResponseBytes
      ? { maxResponseBytes: options.maxPartnerResponseBytes }
      : {}),
    headersFor: (partner, context) => viewerHeaders(`partner:${partner}`, context),
    log,
  });

  const shared = (source: GraphQLDataSource): GraphQLDataSource =>
    options.inflightDeduplication === false
      ? source
      : new InflightDeduplication(source, (context) => JSON.stringify(context.viewer ?? ANONYMOUS));
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }): GraphQLDataSource => {
      if (name === options.partnerSubgraph) return shared(router);
      const target = options.subgraphUrls?.[name] ?? url;
      if (target) routingUrls.set(name, target);
      return shared(
        new RemoteGraphQLDataSource<GatewayContext>({
          url: target,
          fetcher: subgraphFetcher(options.partnerTimeoutMs ?? 2_000) as never,
          willSendRequest: async ({ request, context }) => {
            for (const [key, value] of Object.entries(await viewerHeaders(name, context))) {
              request.http?.headers.set(key, value);
            }
          },
        }),
      );
    },
  });

  const protection = limitsProtection({ ...DEFAULT_LIMITS, ...options.limits });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: protection.validationRules,
    parseOptions: protection.parseOptions,
    allowBatchedHttpRequests: false,
    introspection: options.introspection ?? !production,
    includeStacktraceInErrorResponses: !production,
    csrfPrevention: true,
    formatError: maskErrors(production, log),
    plugins: [
      ...protection.plugins,
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
    ],
  });

  const authenticate = options.auth
    ? await createAuthenticator(options.auth)
    : async () => ANONYMOUS;
  const context = async (req: IncomingMessage): Promise<GatewayContext> => ({
    viewer: await authenticate(req),
    requestId: randomUUID(),
  });

  const httpServer = createHttpServer({
    apollo,
    context,
    graphqlPath: '/graphql',
    maxBodyBytes: options.maxBodyBytes ?? 1_000_000,
    log,
    routes: [
      ...(options.routes ?? []),
      {
        method: 'GET',
        path: '/health',
        handle: (_req, res) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ status: 'ok' }));
        },
      },
      {
        method: 'GET',
        path: '/ready',
        // Load balancers see ready or not; partner URLs and health are for coordinators.
        handle: async (req, res) => {
          res.setHeader('content-type', 'application/json');
          let viewer: Viewer;
          try {
            viewer = await authenticate(req);
          } catch (error) {
            res.statusCode = 401;
            const message = error instanceof Error ? error.message : 'Not authenticated';
            return void res.end(JSON.stringify({ error: { code: 'UNAUTHENTICATED', message } }));
          }
          const readiness = registry.publicReadiness();
          res.statusCode = readiness.status === 'ready' ? 200 : 503;
          res.end(
            JSON.stringify(viewer.kind === 'coordinator' ? registry.detailedReport() : readiness),
          );
        },
      },
      {
        method: 'GET',
        path: '/',
        handle: (_req, res) => {
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.end(landingPage());
        },
      },
    ],
  });

  let url: string | null = null;
  return {
    apollo,
    registry,
    router,
    httpServer,
    /** Loads the supergraph, reads the registry, listens; answers the base URL. */
    async start(
      listenOn: { host: string; port: number; pollMs?: number } = { host: '127.0.0.1', port: 0 },
    ) {
      await apollo.start();
      await registry.start(listenOn.pollMs ?? options.registryPollMs ?? 10_000);
      url = await listen(httpServer, listenOn.host, listenOn.port);
      return url;
    },
    async stop() {
      registry.stop();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      await apollo.stop();
    },
    get url() {
      return url;
    },
  };
}

export type Gateway = Awaited<ReturnType<typeof createGateway>>;
