import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, Histogram, Registry } from 'prom-client';

export { Registry } from 'prom-client';

/** Seconds, from a millisecond to 10 s: subgraph requests and partner fetches alike. */
export const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** A new registry for one service: never prom-client's global one, which every server of a process would share. */
export function createMetricsRegistry(): Registry {
  return new Registry();
}

/**
 * Serves `/metrics` in Prometheus' text format on its own port, apart from the public one, for
 * the scraper only: the port is not published (bind it to a private interface).
 */
export async function serveMetrics(
  registry: Registry,
  listen: { host: string; port: number },
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const subgraphMetricsByRegistry = new WeakMap<Registry, SubgraphMetrics>();

/**
 * The metrics of a subgraph service in its registry: its requests and its database, made once
 * per registry (the database and the server both record into them).
 */
export function subgraphMetricsOf(registry: Registry): SubgraphMetrics {
  let metrics = subgraphMetricsByRegistry.get(registry);
  if (!metrics) subgraphMetricsByRegistry.set(registry, (metrics = subgraphMetrics(registry)));
  return metrics;
}

function subgraphMetrics(registry: Registry) {
  const registers = [registry];
  return {
    requestDuration: new Histogram({
      name: 'subgraph_request_duration_seconds',
      help: 'GraphQL requests served, by operation type and outcome (ok, error)',
      labelNames: ['type', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    statementDuration: new Histogram({
      name: 'subgraph_db_statement_duration_seconds',
      help: 'SQL statements sent to the database (its count is the statement count), waiting for a pooled connection included, by outcome (ok, error)',
      labelNames: ['outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    statementsInFlight: new Gauge({
      name: 'subgraph_db_statements_in_flight',
      help: 'SQL statements sent and not answered yet; more than the pool size means some wait for a connection',
      registers,
    }),
    poolSize: new Gauge({
      name: 'subgraph_db_pool_size',
      help: 'Connections the database pool may open (1 for the embedded PGlite)',
      registers,
    }),
  };
}

export type SubgraphMetrics = ReturnType<typeof subgraphMetrics>;
