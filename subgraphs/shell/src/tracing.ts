import {
  context as otelContext,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

export type { Span, Tracer } from '@opentelemetry/api';
export { SpanKind, SpanStatusCode } from '@opentelemetry/api';

export interface TracingConfig {
  /** Base URL of the OTLP/HTTP receiver (`http://collector:4318`); spans go to `/v1/traces`. */
  endpoint: string;
  /** Headers of every export (an API key), from `OTEL_EXPORTER_OTLP_HEADERS`. */
  headers?: Record<string, string> | undefined;
  /** Share of the traces started here that are kept; a subgraph follows the gateway's choice. */
  sampleRatio?: number | undefined;
}

export interface RunningTracing {
  tracer: Tracer;
  /** Exports what is left and stops. */
  shutdown(): Promise<void>;
}

let contextManager: AsyncLocalStorageContextManager | null = null;

/**
 * Starts exporting the spans of one service over OTLP (HTTP, JSON). Each service has its own
 * provider, so that several services in one process (the embedded network, the tests) each
 * name themselves; the context manager that carries the active span across `await` is the
 * process's, installed once, only by the first service that traces.
 */
export async function startTracing(
  serviceName: string,
  config: TracingConfig,
): Promise<RunningTracing> {
  // Loaded only by a service that exports: the SDK and the exporter are megabytes of modules
  // that every start would otherwise parse for nothing.
  const [
    { AsyncLocalStorageContextManager },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider },
  ] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace'),
  ]);
  if (!contextManager) {
    contextManager = new AsyncLocalStorageContextManager().enable();
    otelContext.setGlobalContextManager(contextManager);
  }
  const base = config.endpoint.replace(/\/+$/, '');
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    sampler: new ParentBasedSampler({
      root: new TraceIdRatioBasedSampler(config.sampleRatio ?? 1),
    }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({
          url: `${base}/v1/traces`,
          headers: config.headers ?? {},
        }),
        scheduledDelayMillis: 1_000,
      }),
    ],
  });
  return { tracer: provider.getTracer('tiers-lieux'), shutdown: () => provider.shutdown() };
}

const traceContext = new W3CTraceContextPropagator();

/** The `traceparent` (and `tracestate`) headers that make the receiver's spans children of `span`. */
export function traceHeaders(span: Span | null): Record<string, string> {
  if (!span) return {};
  const headers: Record<string, string> = {};
  traceContext.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
  return headers;
}

/** The trace context the caller sent in its `traceparent` header, if any. */
export function remoteParent(headers: Record<string, string | string[] | undefined>): Context {
  return traceContext.extract(ROOT_CONTEXT, headers, {
    get: (carrier, key) => carrier[key],
    keys: (carrier) => Object.keys(carrier),
  });
}

/** Ends a span with the outcome: an error status and its code when it failed. */
export function endSpan(span: Span, errorCode?: string | null): void {
  if (errorCode) span.setStatus({ code: SpanStatusCode.ERROR, message: errorCode });
  span.end();
}

/** Starts a span under `parent` (a span, or the active context when undefined). */
export function startChildSpan(
  tracer: Tracer,
  name: string,
  parent: Span | null | undefined,
  kind: SpanKind = SpanKind.INTERNAL,
): Span {
  const parentContext =
    parent === undefined
      ? otelContext.active()
      : parent
        ? trace.setSpan(ROOT_CONTEXT, parent)
        : ROOT_CONTEXT;
  return tracer.startSpan(name, { kind }, parentContext);
}

/** Runs `fn` with `span` active, so spans started inside (SQL statements) become its children. */
export function withActiveSpan<T>(span: Span | null, fn: () => T): T {
  return span ? otelContext.with(trace.setSpan(otelContext.active(), span), fn) : fn();
}

/** The span active here, if a service's request started one. */
export function activeSpan(): Span | undefined {
  return trace.getSpan(otelContext.active());
}
