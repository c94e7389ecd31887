import { startOurGateway } from '../gateways.js';
import type { LoadResult } from '../load.js';
import { difference, labelValues, quantile, scrape, total, type Sample } from '../metrics.js';
import type { StatementCounter } from '../databases.js';
import { startNetwork } from '../network.js';
import { createMetricsRegistry } from '../workspace.js';
import { networkOperations, type BenchSection } from './context.js';

/** A partner (or the network subgraph) as the gateway's metrics tell its fetches. */
export interface FetchSummary {
  name: string;
  fetches: number;
  /** Milliseconds, from the histogram's buckets. */
  p50: number;
  p99: number;
  /** Null where the gateway has no such counter (the network subgraph). */
  errors: number | null;
  timeouts: number | null;
  bytes: number | null;
}

/** A subgraph as its own metrics tell it. */
export interface SubgraphSummary {
  service: string;
  requests: number;
  p50: number;
  statements: number;
  pool: number | null;
  /** Statements in flight in the mid-run scrape. */
  inFlight: number | null;
  /** The outbox's backlog in the mid-run scrape (`subgraph_outbox_messages{status="pending"}`), when exported. */
  outbox: number | null;
}

export interface MetricsReport {
  operation: 'mixed';
  /** What autocannon measured, over the same window as the scrapes' differences. */
  load: LoadResult;
  gateway: {
    requests: number;
    /** The request count in the mid-run scrape, since the start of the window. */
    requestsMidRun: number;
    p50: number;
    p99: number;
    errors: number;
    shared: number;
  };
  partners: FetchSummary[];
  subgraphs: SubgraphSummary[];
  /** Statements counted by the bench's drizzle logger over the window, for comparison. */
  statementsCounted: number;
  /** The slowest scrape of the mid-run round, and how many services answered it. */
  midRunScrapeMs: number;
  services: number;
}

const milliseconds = (seconds: number) => seconds * 1000;

/**
 * The services' `/metrics` scraped together: samples by service, the slowest scrape's time,
 * and what the bench's drizzle logger had counted when the last answer came (the subgraphs
 * answer their scrapes in this process), to compare with their metrics.
 */
async function scrapeAll(targets: { service: string; url: string }[], counter: StatementCounter) {
  const scrapes = await Promise.all(targets.map((t) => scrape(t.url)));
  return {
    samples: new Map(targets.map((t, i) => [t.service, scrapes[i]!.samples])),
    ms: Math.max(...scrapes.map((s) => s.ms)),
    statements: counter.statements,
  };
}

function fetchSummary(gateway: Sample[], name: string): FetchSummary {
  const partner = { partner: name };
  const histogram = 'gateway_partner_fetch_duration_seconds';
  return {
    name,
    fetches: total(gateway, `${histogram}_count`, partner) ?? 0,
    p50: milliseconds(quantile(gateway, histogram, 0.5, partner)),
    p99: milliseconds(quantile(gateway, histogram, 0.99, partner)),
    errors: total(gateway, 'gateway_partner_errors_total', partner) ?? 0,
    timeouts: total(gateway, 'gateway_partner_timeouts_total', partner) ?? 0,
    bytes: total(gateway, 'gateway_partner_response_bytes_total', partner) ?? 0,
  };
}

function subgraphSummary(service: string, window: Sample[], midRun: Sample[]): SubgraphSummary {
  return {
    service,
    requests: total(window, 'subgraph_request_duration_seconds_count') ?? 0,
    p50: milliseconds(quantile(window, 'subgraph_request_duration_seconds', 0.5)),
    statements: total(window, 'subgraph_db_statement_duration_seconds_count') ?? 0,
    pool: total(midRun, 'subgraph_db_pool_size'),
    inFlight: total(midRun, 'subgraph_db_statements_in_flight'),
    outbox: total(midRun, 'subgraph_outbox_messages', { status: 'pending' }),
  };
}

/**
 * Section 8: the services' `/metrics` during a load run. A network generated with a metrics
 * registry per subgraph (served on a port of its own, as deployed) and our gateway with its
 * telemetry on (no trace export) take the mixed load; every service is scraped when the
 * measured part begins, in its middle and at its end. The table is the difference between the
 * first and the last scrape, parsed from the Prometheus text, next to what autocannon counted.
 */
export const metricsSection: BenchSection = {
  runs: () => 1,
  async measure(context) {
    const { options, run } = context;
    const network = await startNetwork(context.databases, {
      size: options.size,
      seed: options.seed,
      now: context.now,
      viewerPublicKey: context.viewerKeys.publicKey,
      withNetwork: true,
      telemetry: async () => ({ metrics: createMetricsRegistry() }),
    });
    context.onClose(network.close);
    const supergraphPath = await context.supergraph('metrics', network);
    const gateway = await startOurGateway('ours, metrics', {
      ...context.gatewayConfig(network, supergraphPath),
      telemetry: {},
    });
    context.onClose(() => gateway.child.stop());
    const targets = [
      { service: 'gateway', url: gateway.metricsUrl! },
      { service: 'network', url: network.network!.metricsUrl! },
      ...network.partners.map((p) => ({ service: `partner:${p.slug}`, url: p.metricsUrl! })),
    ];
    const operation = networkOperations(network, context.now, `${context.runTag}m`).mixed;
    let first: ReturnType<typeof scrapeAll> | null = null;
    let midRun: ReturnType<typeof scrapeAll> | null = null;
    // Long enough for a scrape in the middle to fall among requests, in the smoke run too.
    const settings = { ...options.load, duration: Math.max(options.load.duration, 2) };
    const load = await run(
      `metrics · ${operation.title}`,
      gateway.url,
      operation,
      settings,
      {},
      () => {
        first = scrapeAll(targets, network.counter);
        midRun = new Promise((resolve) => setTimeout(resolve, (settings.duration * 1000) / 2)).then(
          () => scrapeAll(targets, network.counter),
        );
      },
    );
    const start = await first!;
    const last = await scrapeAll(targets, network.counter);
    const middle = await midRun!;
    const window = (service: string) =>
      difference(last.samples.get(service)!, start.samples.get(service)!);
    const gatewayWindow = window('gateway');
    const gatewayMidRun = difference(middle.samples.get('gateway')!, start.samples.get('gateway')!);
    const histogram = 'gateway_request_duration_seconds';
    const report: MetricsReport = {
      operation: 'mixed',
      load,
      gateway: {
        requests: total(gatewayWindow, 'gateway_requests_total') ?? 0,
        requestsMidRun: total(gatewayMidRun, 'gateway_requests_total') ?? 0,
        p50: milliseconds(quantile(gatewayWindow, histogram, 0.5)),
        p99: milliseconds(quantile(gatewayWindow, histogram, 0.99)),
        errors: total(gatewayWindow, 'gateway_errors_total') ?? 0,
        shared: total(gatewayWindow, 'gateway_inflight_shared_total') ?? 0,
      },
      partners: [
        ...labelValues(gatewayWindow, 'gateway_partner_fetch_duration_seconds_count', 'partner')
          .sort()
          .map((name) => fetchSummary(gatewayWindow, name)),
        ...labelValues(gatewayWindow, 'gateway_subgraph_fetch_duration_seconds_count', 'subgraph')
          .sort()
          .map((name) => {
            const subgraph = { subgraph: name };
            const fetches = 'gateway_subgraph_fetch_duration_seconds';
            return {
              name: `${name} (subgraph)`,
              fetches: total(gatewayWindow, `${fetches}_count`, subgraph) ?? 0,
              p50: milliseconds(quantile(gatewayWindow, fetches, 0.5, subgraph)),
              p99: milliseconds(quantile(gatewayWindow, fetches, 0.99, subgraph)),
              errors: null,
              timeouts: null,
              bytes: null,
            };
          }),
      ],
      subgraphs: targets
        .filter((t) => t.service !== 'gateway')
        .map((t) => subgraphSummary(t.service, window(t.service), middle.samples.get(t.service)!)),
      statementsCounted: last.statements - start.statements,
      midRunScrapeMs: middle.ms,
      services: middle.samples.size,
    };
    // The metrics must tell the load as autocannon saw it: a request the gateway answered
    // between the window's edge and its scrape is the only difference allowed.
    const slack = options.load.connections * 2 + load.requests * 0.05;
    if (Math.abs(report.gateway.requests - load.requests) > slack) {
      context.fail(
        `metrics: the gateway counted ${report.gateway.requests} requests, autocannon ${load.requests}`,
      );
    }
    const busy = load.requests >= options.load.connections * 4;
    if (
      (busy && report.gateway.requestsMidRun <= 0) ||
      report.gateway.requestsMidRun > report.gateway.requests + slack
    ) {
      context.fail(`metrics: the mid-run scrape counted ${report.gateway.requestsMidRun} requests`);
    }
    for (const s of report.subgraphs) {
      if (s.statements <= 0 && s.requests > 0)
        context.fail(`metrics: ${s.service} served ${s.requests} requests and no statement`);
    }
    await gateway.child.stop();
    await network.close();
    return { metrics: report };
  },
};
