import { readFileSync } from 'node:fs';
import { supergraphPath, viewerKeySetting } from '@tiers-lieux/schema';
import { masksErrors, telemetryConfig, telemetryEnv } from '@tiers-lieux/subgraph-shell';
import { z } from 'zod';
import type { AuthConfig } from './auth.js';
import { ConfigError } from './config-error.js';
import type { RequestLimits } from './limits.js';
import { PartnerEntrySchema, type PartnerEntry } from './registry.js';
import { callbackUrlProblem, type SignInOptions } from './sign-in/index.js';
import { isLoopbackUrl } from './sign-in/relying-party.js';

export { ConfigError };

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const Env = z.object({
  /** HTTP port of the gateway. */
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** The composed supergraph to serve; the committed `schema/supergraph.graphql` by default. */
  SUPERGRAPH_PATH: z.string().min(1).optional(),
  /** The subgraph of the supergraph that every partner serves; its fetches go to the partner router. */
  PARTNER_SUBGRAPH: z.string().min(1).default('space'),
  /** A JSON file listing partners `[{ "slug", "url", "status" }]`, used with (and under) the polled registry. */
  PARTNERS_FILE: z.string().min(1).optional(),
  /** Poll the network subgraph's partner registry. */
  REGISTRY_POLL: bool.default(true),
  /** How often the registry is polled, in milliseconds. */
  REGISTRY_POLL_MS: z.coerce.number().int().min(100).default(10_000),
  /** Time budget of one partner request, in milliseconds. */
  PARTNER_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /**
   * Time budget of one request to the network subgraph (its part of a query, the registry poll,
   * the people lookup of a signed-in request), in milliseconds; PARTNER_TIMEOUT_MS when unset.
   * The network's own service, unlike a partner's, is the operator's to size.
   */
  NETWORK_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).optional(),
  /** Largest answer read from a partner, in bytes; a larger one is PARTNER_BAD_RESPONSE. */
  MAX_PARTNER_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  /**
   * Share one subgraph fetch between identical queries of the same viewer in flight at the same
   * time (gateway/src/inflight.ts).
   */
  SHARE_INFLIGHT_FETCHES: bool.default(true),
  /** URL of the network subgraph, when it differs from the supergraph's routing URL. */
  NETWORK_SUBGRAPH_URL: z.string().url().optional(),
  /**
   * The key (PEM PKCS#8, P-256) the viewer header is signed with; only the gateway holds it, the
   * subgraphs get its public half (VIEWER_PUBLIC_KEY).
   */
  VIEWER_SIGNING_KEY: viewerKeySetting('signing').optional(),
  /** How long a viewer header is valid, in seconds; each is accepted once, for one request. */
  VIEWER_LIFETIME_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
  /**
   * How long the gateway keeps the person and roles the network gave for a signed-in identity,
   * in seconds: a revoked role stops working within that. 0 asks the network at every request.
   */
  PEOPLE_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  /** HS256 secret of development bearer tokens (issuer `tiers-lieux-dev`: embedded network and tests). */
  AUTH_SECRET: z.string().min(32).optional(),
  /** JWKS URL of the identity provider (production). */
  AUTH_JWKS_URL: z.string().url().optional(),
  /** PEM public key of the identity provider, with AUTH_ALGORITHM. */
  AUTH_PUBLIC_KEY: z.string().min(1).optional(),
  AUTH_ALGORITHM: z.enum(['RS256', 'ES256', 'PS256', 'EdDSA']).default('RS256'),
  /** Expected `aud` of bearer tokens. */
  AUTH_AUDIENCE: z.string().min(1).default('tiers-lieux-network'),
  /** Expected `iss` of bearer tokens, if any. */
  AUTH_ISSUER: z.string().min(1).optional(),
  /**
   * The OpenID Connect provider people sign in with (ProConnect, Keycloak, …): its issuer, whose
   * discovery document is `<issuer>/.well-known/openid-configuration`. Unset: no sign-in.
   */
  OIDC_ISSUER_URL: z.string().url().optional(),
  /** The gateway's client id and secret at that provider. */
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The callback registered at the provider: `<site>/auth/callback`; it also gives the site's origin. */
  OIDC_REDIRECT_URL: z.string().url().optional(),
  /** Scopes asked at sign-in. */
  OIDC_SCOPES: z.string().min(1).default('openid email profile'),
  /**
   * The audience of the provider's JWT access tokens for this API: bearer tokens of the
   * provider are accepted with it only. Unset: only the web page's sessions sign in.
   */
  OIDC_API_AUDIENCE: z.string().min(1).optional(),
  /** A session unused this long is over, in seconds. */
  SESSION_IDLE_SECONDS: z.coerce.number().int().min(60).default(7_200),
  /** A session is over this long after sign-in, however used, in seconds. */
  SESSION_ABSOLUTE_SECONDS: z.coerce.number().int().min(60).default(43_200),
  /** PostgreSQL where sessions live when REDIS_URL is unset (the network's database will do). */
  SESSION_DATABASE_URL: z.string().url().optional(),
  /** Whether introspection is on; on outside production by default. */
  INTROSPECTION: bool.optional(),
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_000_000),
  /** Time a client has to send its request headers, in milliseconds; then the connection closes. */
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** Time a client has to send its whole request, body included, in milliseconds. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Connections open at once; the ones past it are closed as they arrive. */
  MAX_CONNECTIONS: z.coerce.number().int().min(1).default(1_000),
  /**
   * Origins of third-party web frontends allowed to call the gateway from a browser, with
   * credentials, comma-separated (`https://agenda.example.org,https://carte.example.org`);
   * any other origin gets no CORS header.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .url()
          .refine((origin) => new URL(origin).origin === origin, {
            message: 'an origin is a scheme, a host and a port, with no path nor trailing slash',
          }),
      ),
    ),
  /**
   * Redis URL shared by the gateway replicas: the anonymous-write counts live there, so that
   * every replica sees the same. Unset: each process counts on its own.
   */
  REDIS_URL: z.string().url().optional(),
  /**
   * The public page's map tiles, a `{z}/{x}/{y}` URL template (a tile server of your own, or a
   * path of this host); OpenStreetMap's by default. Browsers fetch them, never the gateway.
   */
  MAP_TILE_URL: z
    .string()
    .min(1)
    .refine((url) => url.includes('{z}') && url.includes('{x}') && url.includes('{y}'), {
      message: 'a tile URL template names {z}, {x} and {y}',
    })
    .optional(),
  /** What the network's keys in that Redis start with, when several networks share it. */
  REDIS_KEY_PREFIX: z.string().min(1).default('tiers-lieux:'),
  /** Mutations one client address may send without signing in, per window (guest registrations). */
  ANONYMOUS_WRITES_PER_WINDOW: z.coerce.number().int().min(1).default(20),
  /** The window of ANONYMOUS_WRITES_PER_WINDOW, in seconds. */
  ANONYMOUS_WRITE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(600),
  /**
   * Proxies in front of the gateway whose X-Forwarded-For is believed, as Fastify's
   * `trustProxy` takes it: `true`, a hop count, or addresses and CIDR ranges, comma-separated.
   * Unset: the client address is the connection's.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value): boolean | number | string[] | undefined => {
      if (value === undefined || value === '' || value === 'false') return undefined;
      if (value === 'true') return true;
      if (/^\d+$/.test(value)) return Number(value);
      return value.split(',').map((address) => address.trim());
    }),
  /** Request limits (graphql-armor and ours); see gateway/src/limits.ts for the defaults. */
  LIMIT_MAX_DEPTH: z.coerce.number().int().min(1).optional(),
  LIMIT_MAX_ALIASES: z.coerce.number().int().min(0).optional(),
  LIMIT_MAX_TOKENS: z.coerce.number().int().min(10).optional(),
  LIMIT_MAX_DIRECTIVES: z.coerce.number().int().min(0).optional(),
  LIMIT_MAX_COST: z.coerce.number().int().min(1).optional(),
  LIMIT_MAX_ROOT_FIELDS: z.coerce.number().int().min(1).optional(),
  /** Largest answer of the gateway, in bytes of JSON; larger ones are a RESPONSE_TOO_LARGE error (4 MB by default). */
  MAX_RESPONSE_BYTES: z.coerce.number().int().min(1024).optional(),
  /** Days of past events the calendar feeds keep (`/calendar/…`). */
  CALENDAR_PAST_DAYS: z.coerce.number().int().min(0).max(366).default(30),
  /** Months ahead the calendar feeds reach; every event in between is in the feed. */
  CALENDAR_FUTURE_MONTHS: z.coerce.number().int().min(1).max(36).default(12),
  /** `production` requires the production settings; unset or `production` masks errors. */
  NODE_ENV: z.enum(['development', 'test', 'production']).optional(),
  /** LOG_LEVEL, METRICS_PORT and METRICS_HOST, OTEL_*: the same as the subgraphs'. */
  ...telemetryEnv(),
});

function authKeys(e: z.infer<typeof Env>): AuthConfig['keys'] | null {
  if (e.AUTH_JWKS_URL) return { kind: 'jwks', url: e.AUTH_JWKS_URL };
  if (e.AUTH_PUBLIC_KEY)
    return { kind: 'publicKey', pem: e.AUTH_PUBLIC_KEY, algorithm: e.AUTH_ALGORITHM };
  if (e.AUTH_SECRET) return { kind: 'secret', secret: e.AUTH_SECRET };
  return null;
}

function signInSettings(
  e: z.infer<typeof Env>,
  production: boolean,
  problems: string[],
): SignInOptions | null {
  if (!e.OIDC_ISSUER_URL) {
    if (e.OIDC_CLIENT_ID || e.OIDC_REDIRECT_URL)
      problems.push('OIDC_ISSUER_URL: required with OIDC_CLIENT_ID and OIDC_REDIRECT_URL');
    return null;
  }
  for (const name of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const)
    if (!e[name]) problems.push(`${name}: required with OIDC_ISSUER_URL`);
  const issuer = new URL(e.OIDC_ISSUER_URL);
  if (issuer.protocol !== 'https:' && (production || !isLoopbackUrl(issuer)))
    problems.push(
      'OIDC_ISSUER_URL: must be https (plain http only for a provider on this machine, outside production)',
    );
  if (e.OIDC_REDIRECT_URL) {
    const problem = callbackUrlProblem(e.OIDC_REDIRECT_URL);
    if (problem) problems.push(`OIDC_REDIRECT_URL: ${problem}`);
    else if (production && new URL(e.OIDC_REDIRECT_URL).protocol !== 'https:')
      problems.push(
        'OIDC_REDIRECT_URL: must be https in production (the session cookie is Secure)',
      );
  }
  if (!e.REDIS_URL && !e.SESSION_DATABASE_URL)
    problems.push('SESSION_DATABASE_URL or REDIS_URL: sign-in keeps its sessions in one of them');
  if (e.SESSION_IDLE_SECONDS > e.SESSION_ABSOLUTE_SECONDS)
    problems.push('SESSION_IDLE_SECONDS: must not be longer than SESSION_ABSOLUTE_SECONDS');
  if (e.OIDC_API_AUDIENCE && e.OIDC_API_AUDIENCE === e.OIDC_CLIENT_ID)
    problems.push('OIDC_API_AUDIENCE: must differ from OIDC_CLIENT_ID (the audience of ID tokens)');
  return {
    issuerUrl: e.OIDC_ISSUER_URL,
    clientId: e.OIDC_CLIENT_ID ?? '',
    clientSecret: e.OIDC_CLIENT_SECRET ?? '',
    redirectUrl: e.OIDC_REDIRECT_URL,
    scopes: e.OIDC_SCOPES,
    apiAudience: e.OIDC_API_AUDIENCE ?? null,
    lifetimes: {
      idleSeconds: e.SESSION_IDLE_SECONDS,
      absoluteSeconds: e.SESSION_ABSOLUTE_SECONDS,
    },
  };
}

/** Reads and validates the environment once; reports every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const result = Env.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = result.data;
  const production = e.NODE_ENV === 'production';
  const problems: string[] = [];
  const keys = authKeys(e);
  if (e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS)
    problems.push('HEADERS_TIMEOUT_MS: must not be longer than REQUEST_TIMEOUT_MS');
  if (production && !e.VIEWER_SIGNING_KEY)
    problems.push('VIEWER_SIGNING_KEY: required in production');
  if (production && !keys)
    problems.push('AUTH_JWKS_URL, AUTH_PUBLIC_KEY or AUTH_SECRET: required in production');
  if (production && e.AUTH_SECRET && !e.AUTH_JWKS_URL && !e.AUTH_PUBLIC_KEY) {
    problems.push(
      'AUTH_SECRET: a shared token secret is for the embedded network; use AUTH_JWKS_URL or AUTH_PUBLIC_KEY in production',
    );
  }
  const signIn = signInSettings(e, production, problems);
  let partners: PartnerEntry[] = [];
  if (e.PARTNERS_FILE) {
    try {
      partners = z
        .array(PartnerEntrySchema)
        .parse(JSON.parse(readFileSync(e.PARTNERS_FILE, 'utf8')));
    } catch (error) {
      problems.push(`PARTNERS_FILE: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    http: {
      host: e.HOST,
      port: e.PORT,
      maxBodyBytes: e.MAX_BODY_BYTES,
      headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      maxConnections: e.MAX_CONNECTIONS,
      corsOrigins: e.CORS_ORIGINS,
      trustProxy: e.TRUST_PROXY,
    },
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    mapTileUrl: e.MAP_TILE_URL,
    anonymousWriteLimit: {
      max: e.ANONYMOUS_WRITES_PER_WINDOW,
      windowMs: e.ANONYMOUS_WRITE_WINDOW_SECONDS * 1000,
    },
    supergraphPath: e.SUPERGRAPH_PATH ?? supergraphPath(),
    calendarHorizon: { pastDays: e.CALENDAR_PAST_DAYS, futureMonths: e.CALENDAR_FUTURE_MONTHS },
    partnerSubgraph: e.PARTNER_SUBGRAPH,
    registry: { partners, poll: e.REGISTRY_POLL, pollMs: e.REGISTRY_POLL_MS },
    partnerTimeoutMs: e.PARTNER_TIMEOUT_MS,
    networkTimeoutMs: e.NETWORK_TIMEOUT_MS ?? e.PARTNER_TIMEOUT_MS,
    maxPartnerResponseBytes: e.MAX_PARTNER_RESPONSE_BYTES,
    inflightDeduplication: e.SHARE_INFLIGHT_FETCHES,
    subgraphUrls: Object.fromEntries(
      e.NETWORK_SUBGRAPH_URL ? [['network', e.NETWORK_SUBGRAPH_URL]] : [],
    ),
    viewerSigningKey: e.VIEWER_SIGNING_KEY,
    viewerLifetimeSeconds: e.VIEWER_LIFETIME_SECONDS,
    auth: keys ? { keys, audience: e.AUTH_AUDIENCE, issuer: e.AUTH_ISSUER } : null,
    signIn,
    sessionDatabaseUrl: e.SESSION_DATABASE_URL,
    peopleCacheSeconds: e.PEOPLE_CACHE_SECONDS,
    introspection: e.INTROSPECTION ?? !production,
    limits: Object.fromEntries(
      Object.entries({
        maxDepth: e.LIMIT_MAX_DEPTH,
        maxAliases: e.LIMIT_MAX_ALIASES,
        maxTokens: e.LIMIT_MAX_TOKENS,
        maxDirectives: e.LIMIT_MAX_DIRECTIVES,
        maxCost: e.LIMIT_MAX_COST,
        maxRootFields: e.LIMIT_MAX_ROOT_FIELDS,
        maxResponseBytes: e.MAX_RESPONSE_BYTES,
      }).filter(([, v]) => v !== undefined),
    ) as Partial<RequestLimits>,
    telemetry: telemetryConfig(e),
    production,
    /** Unexpected errors masked: unless NODE_ENV says development or test. */
    maskErrors: masksErrors(e.NODE_ENV),
  };
}

export type Config = ReturnType<typeof loadConfig>;
