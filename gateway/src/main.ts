import { readFileSync } from 'node:fs';
import { onShutdown, startTelemetry } from '@tiers-lieux/subgraph-shell';
import { publicSite } from '@tiers-lieux/web/server';
import { ConfigError, loadConfig } from './config.js';
import { createGateway } from './server.js';

process.env.APOLLO_TELEMETRY_DISABLED = '1';

let config;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

const telemetry = await startTelemetry(config.telemetry, 'gateway');
const { logger } = telemetry;
const gateway = await createGateway({
  supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
  partnerSubgraph: config.partnerSubgraph,
  partners: config.registry.partners,
  registry: config.registry.poll ? 'network' : null,
  registryPollMs: config.registry.pollMs,
  partnerTimeoutMs: config.partnerTimeoutMs,
  networkTimeoutMs: config.networkTimeoutMs,
  maxPartnerResponseBytes: config.maxPartnerResponseBytes,
  inflightDeduplication: config.inflightDeduplication,
  subgraphUrls: config.subgraphUrls,
  viewerSigningKey: config.viewerSigningKey,
  viewerLifetimeSeconds: config.viewerLifetimeSeconds,
  auth: config.auth,
  signIn: config.signIn,
  sessionDatabase: config.sessionDatabaseUrl,
  peopleCacheSeconds: config.peopleCacheSeconds,
  introspection: config.introspection,
  // Masked unless NODE_ENV says development or test (unset included).
  production: config.maskErrors,
  maxBodyBytes: config.http.maxBodyBytes,
  headersTimeoutMs: config.http.headersTimeoutMs,
  requestTimeoutMs: config.http.requestTimeoutMs,
  maxConnections: config.http.maxConnections,
  corsOrigins: config.http.corsOrigins,
  trustProxy: config.http.trustProxy,
  redisUrl: config.redisUrl,
  redisKeyPrefix: config.redisKeyPrefix,
  anonymousWriteLimit: config.anonymousWriteLimit,
  limits: config.limits,
  routes: publicSite({
    log: (message) => logger.error(message),
    signInOrigin: config.signIn ? new URL(config.signIn.issuerUrl).origin : null,
    calendarHorizon: config.calendarHorizon,
    ...(config.mapTileUrl ? { tileUrl: config.mapTileUrl } : {}),
  }),
  logger,
  metrics: telemetry.metrics,
  tracer: telemetry.tracer,
});
const url = await gateway.start({ host: config.http.host, port: config.http.port });
logger.info(
  { url, metrics: telemetry.metricsUrl, partners: gateway.registry.active().length },
  `gateway at ${url}/graphql (${gateway.registry.active().length} active partners)`,
);

onShutdown(() => gateway.stop().finally(() => telemetry.stop()));
