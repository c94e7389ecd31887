import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { rowsOf } from './db.js';
import type { OutboxDb } from './outbox/enqueue.js';

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

const outboxMetricsByRegistry = new WeakMap<Registry, OutboxMetrics>();

/**
 * The outbox's metrics in a service's registry, made once per registry: the backlog, read from
 * `db` at each scrape, and the counters its dispatcher increments.
 */
export function outboxMetricsOf(registry: Registry, db: OutboxDb): OutboxMetrics {
  let metrics = outboxMetricsByRegistry.get(registry);
  if (!metrics) outboxMetricsByRegistry.set(registry, (metrics = outboxMetrics(registry, db)));
  return metrics;
}

interface OutboxBacklog {
  pending: number;
  dead: number;
  oldestPendingSeconds: number;
}

/**
 * The backlog in one statement per scrape, each part on a partial index of the pending or the
 * dead mails (`outbox_messages_due`, `…_pending_by_recipient`, `…_dead`): the sent mails, which
 * pile up, are never read.
 */
export const OUTBOX_BACKLOG_STATEMENT = sql`
  select
    (select count(*) from outbox_messages where status = 'PENDING') as pending,
    (select count(*) from outbox_messages where status = 'DEAD') as dead,
    (select extract(epoch from now() - min(delivering_since)) from outbox_messages
      where status = 'PENDING' and due_at <= now()) as oldest`;

async function readOutboxBacklog(db: OutboxDb): Promise<OutboxBacklog> {
  const [row] = rowsOf<{ pending: string; dead: string; oldest: string | null }>(
    await db.execute(OUTBOX_BACKLOG_STATEMENT),
  );
  return {
    pending: Number(row?.pending ?? 0),
    dead: Number(row?.dead ?? 0),
    oldestPendingSeconds: Math.max(0, Number(row?.oldest ?? 0)),
  };
}

function outboxMetrics(registry: Registry, db: OutboxDb) {
  const registers = [registry];
  // The two gauges are collected together by a scrape: they share its one statement. When it
  // fails the counts are absent and the lag NaN (unknown, never a stale or reassuring 0), and
  // the scrape still serves the other metrics.
  let reading: Promise<OutboxBacklog | null> | null = null;
  const backlog = () =>
    (reading ??= readOutboxBacklog(db)
      .catch(() => null)
      .finally(() => {
        reading = null;
      }));
  return {
    messages: new Gauge({
      name: 'subgraph_outbox_messages',
      help: 'Mails in the outbox not delivered, by status: pending (to send, retries included) and dead (given up on)',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        const read = await backlog();
        this.reset();
        if (!read) return;
        this.set({ status: 'pending' }, read.pending);
        this.set({ status: 'dead' }, read.dead);
      },
    }),
    oldestPending: new Gauge({
      name: 'subgraph_outbox_oldest_pending_seconds',
      help: 'Age of the oldest mail due and not sent, since its delivery effort began (0 when none): the lag to alert on',
      registers,
      async collect() {
        const read = await backlog();
        this.set(read ? read.oldestPendingSeconds : NaN);
      },
    }),
    sent: new Counter({
      name: 'subgraph_outbox_sent_total',
      help: 'Mails the dispatcher delivered to the SMTP server',
      registers,
    }),
    failedAttempts: new Counter({
      name: 'subgraph_outbox_failed_attempts_total',
      help: 'Delivery attempts that failed (SMTP refused or unreachable); the mail is retried later or given up on',
      registers,
    }),
    dead: new Counter({
      name: 'subgraph_outbox_dead_total',
      help: 'Mails the dispatcher gave up on (moved to the dead letters)',
      registers,
    }),
  };
}

export type OutboxMetrics = ReturnType<typeof outboxMetrics>;

/** What a dispatcher counts into. */
export type OutboxCounters = Pick<OutboxMetrics, 'sent' | 'failedAttempts' | 'dead'>;
