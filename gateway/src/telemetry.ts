import type { ApolloServerPlugin } from '@apollo/server';
import proxyAddr from '@fastify/proxy-addr';
import {
  endSpan,
  errorCodeOf,
  LATENCY_BUCKETS,
  REQUEST_ID_HEADER,
  remoteParent,
  requestIdFrom,
  silentLogger,
  SpanKind,
  startChildSpan,
  traceHeaders,
  type Logger,
  type Registry,
  type Span,
  type Tracer,
} from '@tiers-lieux/subgraph-shell';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { PartnerRegistry } from './registry.js';

/** One subgraph fetch of a request, as its log line tells it. */
export interface FetchRecord {
  subgraph: string;
  /** The partner, for the partners' subgraph. */
  partner?: string;
  durationMs: number;
  /** `ok`, or the code of what went wrong. */
  outcome: string;
  bytes?: number;
}

/** What the gateway knows of one request while it runs: its log line in the making. */
export interface RequestTelemetry {
  requestId: string;
  startedAt: number;
  span: Span | null;
  operation: string | null;
  type: string | null;
  viewer: string | null;
  errors: string[];
  hasData: boolean;
  fetches: FetchRecord[];
  /** Fetches this request took from an identical request's, in flight at the same time. */
  sharedFetches: number;
}

/** The answer to `start` of a fetch: the headers it carries, and what to call when it is answered. */
export interface FetchInProgress {
  headers: Record<string, string>;
  end(outcome: string, bytes?: number): void;
}

/** How the data sources tell the gateway's telemetry about their fetches. */
export interface FetchObserver {
  fetch(
    subgraph: string,
    partner: string | null,
    context: Record<string, unknown>,
  ): FetchInProgress;
  /** Items of a partner's answer left out (`dropped`) or nulled because they broke the contract. */
  breach(partner: string, dropped: number, nulled: number): void;
  /** A request took its answer from an identical fetch in flight. */
  shared(subgraph: string, context: Record<string, unknown>): void;
}

/** The name of the operation a document holds, when it did not validate (and so did not resolve). */
function operationNameIn(
  document: DocumentNode | undefined,
  asked: string | undefined,
): string | null {
  if (asked) return asked;
  const operation = document?.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operation?.name?.value ?? null;
}

/** More names than this in the operation label count as `other`: a client could send any name. */
const MAX_OPERATION_LABELS = 100;

function gatewayMetrics(registry: Registry, partners: PartnerRegistry) {
  const registers = [registry];
  return {
    requests: new Counter({
      name: 'gateway_requests_total',
      help: 'GraphQL requests, by operation name (the first 100 names seen, then "other"), type and outcome (ok, partial, error)',
      labelNames: ['operation', 'type', 'outcome'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'gateway_request_duration_seconds',
      help: 'GraphQL requests, from their first byte to their answer sent, by type and outcome',
      labelNames: ['type', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    errors: new Counter({
      name: 'gateway_errors_total',
      help: 'Errors in the answers, by code',
      labelNames: ['code'] as const,
      registers,
    }),
    partnerFetchDuration: new Histogram({
      name: 'gateway_partner_fetch_duration_seconds',
      help: 'Requests to each partner, by outcome (ok, or the error code)',
      labelNames: ['partner', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    partnerErrors: new Counter({
      name: 'gateway_partner_errors_total',
      help: 'Failed requests to each partner and answers that broke the contract, by code',
      labelNames: ['partner', 'code'] as const,
      registers,
    }),
    partnerTimeouts: new Counter({
      name: 'gateway_partner_timeouts_total',
      help: 'Requests to each partner that did not answer within its time budget',
      labelNames: ['partner'] as const,
      registers,
    }),
    partnerBytes: new Counter({
      name: 'gateway_partner_response_bytes_total',
      help: 'Bytes of the answers read from each partner',
      labelNames: ['partner'] as const,
      registers,
    }),
    partnerDropped: new Counter({
      name: 'gateway_partner_dropped_items_total',
      help: 'Items of a partner answer that broke the contract: left out (dropped) or nulled',
      labelNames: ['partner', 'kind'] as const,
      registers,
    }),
    subgraphFetchDuration: new Histogram({
      name: 'gateway_subgraph_fetch_duration_seconds',
      help: 'Requests to the subgraphs other than the partners (the network subgraph), by outcome',
      labelNames: ['subgraph', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    shared: new Counter({
      name: 'gateway_inflight_shared_total',
      help: 'Subgraph fetches a request took from an identical one in flight instead of sending its own',
      labelNames: ['subgraph'] as const,
      registers,
    }),
    partners: new Gauge({
      name: 'gateway_partners',
      help: 'Partners the registry knows, by state (active: routed to; suspended; incompatible: behind the contract)',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const all = partners.all();
        const incompatible = partners.incompatible().length;
        this.set({ state: 'active' }, partners.active().length);
        this.set({ state: 'suspended' }, all.filter((p) => p.status === 'SUSPENDED').length);
        this.set({ state: 'incompatible' }, incompatible);
      },
    }),
  };
}

/**
 * Whether a request's peer is one of the proxies the gateway trusts (`trustProxy`, as Fastify
 * takes it): only they may name the request id and the trace it belongs to.
 */
function trustedPeer(trustProxy: boolean | number | string[] | undefined) {
  if (trustProxy === undefined || trustProxy === false) return () => false;
  if (trustProxy === true) return () => true;
  if (typeof trustProxy === 'number') return () => trustProxy > 0;
  const trust = proxyAddr.compile(trustProxy);
  return (address: string | undefined) => address !== undefined && trust(address, 0);
}

/**
 * The gateway's telemetry: one log line per GraphQL request (operation, duration, each
 * subgraph fetch with its duration and outcome, error codes; never variables, answers nor the
 * client's address), its metrics, and its span, parent of a span per fetch whose trace context
 * goes to the subgraph with the request id.
 */
export class GatewayTelemetry implements FetchObserver {
  readonly logger: Logger;
  private readonly metrics: ReturnType<typeof gatewayMetrics> | null;
  private readonly tracer: Tracer | null;
  private readonly requests = new WeakMap<FastifyRequest, RequestTelemetry>();
  private readonly operationLabels = new Set<string>();
  private readonly trusted: (address: string | undefined) => boolean;

  constructor(options: {
    logger?: Logger | undefined;
    metrics?: Registry | null | undefined;
    tracer?: Tracer | null | undefined;
    partners: PartnerRegistry;
    trustProxy?: boolean | number | string[] | undefined;
  }) {
    this.logger = options.logger ?? silentLogger();
    this.metrics = options.metrics ? gatewayMetrics(options.metrics, options.partners) : null;
    this.tracer = options.tracer ?? null;
    this.trusted = trustedPeer(options.trustProxy);
  }

  /** Starts the record of every request to `path` and writes its line once it is answered. */
  instrument(app: FastifyInstance, path: string): void {
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.url !== path) return;
      const fromProxy = this.trusted(request.socket.remoteAddress);
      const requestId = fromProxy
        ? requestIdFrom(request.headers[REQUEST_ID_HEADER])
        : requestIdFrom(undefined);
      const span = this.tracer
        ? this.tracer.startSpan(
            'graphql.request',
            { kind: SpanKind.SERVER, attributes: { 'request.id': requestId } },
            fromProxy ? remoteParent(request.headers) : undefined,
          )
        : null;
      this.requests.set(request, {
        requestId,
        startedAt: performance.now(),
        span,
        operation: null,
        type: null,
        viewer: null,
        errors: [],
        hasData: false,
        fetches: [],
        sharedFetches: 0,
      });
      void reply.header(REQUEST_ID_HEADER, requestId);
    });
    app.addHook('onResponse', async (request, reply) => {
      const record = this.requests.get(request);
      if (record) this.finish(record, reply.statusCode);
    });
  }

  /** The record of a request `instrument` saw. */
  of(request: FastifyRequest): RequestTelemetry | undefined {
    return this.requests.get(request);
  }

  /** The Apollo plugin that tells the record which operation ran and how it ended. */
  plugin(): ApolloServerPlugin<{ telemetry?: RequestTelemetry }> {
    const labels = this.operationLabels;
    return {
      async requestDidStart({ contextValue }) {
        const record = contextValue.telemetry;
        if (!record) return;
        return {
          async didResolveOperation({ operationName, operation }) {
            record.operation = operationName ?? null;
            record.type = operation?.operation ?? null;
            if (operationName && labels.size < MAX_OPERATION_LABELS) labels.add(operationName);
          },
          async willSendResponse({ response, document, request }) {
            record.operation ??= operationNameIn(document, request.operationName);
            if (response.body.kind !== 'single') return;
            const { data, errors } = response.body.singleResult;
            record.hasData = data !== undefined && data !== null;
            for (const error of errors ?? [])
              record.errors.push(errorCodeOf(error.extensions?.code));
          },
        };
      },
    };
  }

  fetch(
    subgraph: string,
    partner: string | null,
    context: Record<string, unknown>,
  ): FetchInProgress {
    const record = context.telemetry as RequestTelemetry | undefined;
    const startedAt = performance.now();
    const span =
      this.tracer && record
        ? startChildSpan(
            this.tracer,
            partner ? `partner ${partner}` : `subgraph ${subgraph}`,
            record.span,
            SpanKind.CLIENT,
          )
        : null;
    span?.setAttributes({ 'subgraph.name': subgraph, ...(partner ? { partner } : {}) });
    return {
      headers: {
        ...(record ? { [REQUEST_ID_HEADER]: record.requestId } : {}),
        ...traceHeaders(span),
      },
      end: (outcome, bytes) => {
        const durationMs = performance.now() - startedAt;
        record?.fetches.push({
          subgraph,
          ...(partner ? { partner } : {}),
          durationMs: Math.round(durationMs * 10) / 10,
          outcome,
          ...(bytes === undefined ? {} : { bytes }),
        });
        if (span) {
          if (bytes !== undefined) span.setAttribute('http.response.body.size', bytes);
          endSpan(span, outcome === 'ok' ? null : outcome);
        }
        const { metrics } = this;
        if (!metrics) return;
        if (partner) {
          metrics.partnerFetchDuration.observe({ partner, outcome }, durationMs / 1000);
          if (bytes) metrics.partnerBytes.inc({ partner }, bytes);
          if (outcome !== 'ok') metrics.partnerErrors.inc({ partner, code: outcome });
          if (outcome === 'PARTNER_TIMEOUT') metrics.partnerTimeouts.inc({ partner });
        } else {
          metrics.subgraphFetchDuration.observe({ subgraph, outcome }, durationMs / 1000);
        }
      },
    };
  }

  breach(partner: string, dropped: number, nulled: number): void {
    const { metrics } = this;
    if (!metrics) return;
    metrics.partnerErrors.inc({ partner, code: 'PARTNER_BAD_RESPONSE' });
    if (dropped) metrics.partnerDropped.inc({ partner, kind: 'dropped' }, dropped);
    if (nulled) metrics.partnerDropped.inc({ partner, kind: 'nulled' }, nulled);
  }

  shared(subgraph: string, context: Record<string, unknown>): void {
    const record = context.telemetry as RequestTelemetry | undefined;
    if (record) record.sharedFetches++;
    this.metrics?.shared.inc({ subgraph });
  }

  private finish(record: RequestTelemetry, status: number): void {
    const seconds = (performance.now() - record.startedAt) / 1000;
    const outcome =
      status >= 400 || (record.errors.length > 0 && !record.hasData)
        ? 'error'
        : record.errors.length > 0
          ? 'partial'
          : 'ok';
    const type = record.type ?? 'none';
    if (this.metrics) {
      const operation = record.operation
        ? this.operationLabels.has(record.operation)
          ? record.operation
          : 'other'
        : 'anonymous';
      this.metrics.requests.inc({ operation, type, outcome });
      this.metrics.requestDuration.observe({ type, outcome }, seconds);
      for (const code of record.errors) this.metrics.errors.inc({ code });
    }
    if (record.span) {
      const { span } = record;
      if (record.operation) span.setAttribute('graphql.operation.name', record.operation);
      if (record.type) span.setAttribute('graphql.operation.type', record.type);
      span.setAttribute('http.response.status_code', status);
      span.updateName(record.operation ? `graphql ${record.operation}` : 'graphql.request');
      endSpan(span, outcome === 'error' ? (record.errors[0] ?? `HTTP_${status}`) : null);
    }
    this.logger.info(
      {
        requestId: record.requestId,
        ...(record.span ? { traceId: record.span.spanContext().traceId } : {}),
        operation: record.operation,
        type: record.type,
        viewer: record.viewer,
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
        outcome,
        errors: record.errors,
        fetches: record.fetches,
        ...(record.sharedFetches ? { sharedFetches: record.sharedFetches } : {}),
      },
      'request',
    );
  }
}
