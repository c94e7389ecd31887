import { readFileSync } from 'node:fs';
import { createGateway } from '@tiers-lieux/gateway/server';
import {
  createLogger,
  createMetricsRegistry,
  logDestination,
  serveMetrics,
  startTracing,
} from '@tiers-lieux/subgraph-shell';
import type { OurGatewayConfig } from '../gateways.js';

/** The gateway's telemetry as the bench asks for it; prints `METRICS <url>` when it serves metrics. */
async function benchTelemetry(config: OurGatewayConfig) {
  if (!config.telemetry) {
    return {
      logger: createLogger({ service: 'gateway', level: 'error', destination: logDestination(2) }),
    };
  }
  const metrics = createMetricsRegistry();
  const served = await serveMetrics(metrics, { host: '127.0.0.1', port: 0 });
  console.log(`METRICS ${served.url}`);
  return {
    logger: createLogger({ service: 'gateway', destination: logDestination('/dev/null') }),
    metrics,
    ...(config.telemetry.otlpEndpoint
      ? {
          tracer: (await startTracing('gateway', { endpoint: config.telemetry.otlpEndpoint }))
            .tracer,
        }
      : {}),
  };
}

/**
 * Our gateway, in its own process as in production, configured by the bench through
 * BENCH_GATEWAY (JSON): the partners it routes to, the network subgraph's URL and the secrets.
 * Prints `LISTENING <graphql url>` when it listens.
 */
process.env.APOLLO_TELEMETRY_DISABLED = '1';

const config = JSON.parse(process.env.BENCH_GATEWAY ?? '') as OurGatewayConfig;
const gateway = await createGateway({
  supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
  partnerSubgraph: 'space',
  partners: config.partners,
  registry: null,
  subgraphUrls: config.networkUrl ? { network: config.networkUrl } : {},
  inflightDeduplication: config.inflightDeduplication,
  ...(config.partnerTimeoutMs ? { partnerTimeoutMs: config.partnerTimeoutMs } : {}),
  viewerSigningKey: config.viewerSigningKey,
  auth: { keys: { kind: 'secret', secret: config.authSecret }, audience: config.audience },
  ...(await benchTelemetry(config)),
});
const url = await gateway.start({ host: '127.0.0.1', port: 0 });
console.log(`LISTENING ${url}/graphql`);

process.once('SIGTERM', async () => {
  await gateway.stop();
  process.exit(0);
});
