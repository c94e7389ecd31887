import { collectDefaultMetrics, type Registry } from 'prom-client';
import { z } from 'zod';
import { createLogger, LOG_LEVELS, silentLogger, type Logger } from './logs.js';
import { createMetricsRegistry, serveMetrics } from './metrics.js';
import { startTracing, type Tracer, type TracingConfig } from './tracing.js';

/** What a service reports through: its logger, its metrics, its spans. */
export interface Telemetry {
  logger: Logger;
  /** The service's own metrics registry; none collected when null. */
  metrics: Registry | null;
  /** The service's tracer; null when no trace is exported (no SDK started, no span made). */
  tracer: Tracer | null;
}

/** Logs nothing, collects nothing, traces nothing: the tests' default. */
export function silentTelemetry(): Telemetry {
  return { logger: silentLogger(), metrics: null, tracer: null };
}

/**
 * The telemetry variables every service reads (the gateway and the subgraphs), to spread into
 * its zod object.
 */
export function telemetryEnv() {
  return {
    /** Lowest level written to the JSON log on stdout. */
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    /** Port of `/metrics` (Prometheus text format), apart from the public port; no metrics when unset. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** Interface of the metrics port: a private one, never the public. */
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** OTLP/HTTP receiver of the traces (`http://collector:4318`); no tracing when unset. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
    /** Headers of each export, `key=value` comma-separated (an API key). */
    OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
    /** The service's name in the traces, instead of its own (`gateway`, `partner:cantine`). */
    OTEL_SERVICE_NAME: z.string().min(1).optional(),
    /** Share of the traces the gateway starts that are kept (0 to 1); subgraphs follow the gateway. */
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  };
}

export type TelemetryEnv = z.output<z.ZodObject<ReturnType<typeof telemetryEnv>>>;

/** The telemetry settings, from the variables of `telemetryEnv`. */
export function telemetryConfig(e: TelemetryEnv) {
  return {
    logLevel: e.LOG_LEVEL,
    metrics: e.METRICS_PORT === undefined ? null : { host: e.METRICS_HOST, port: e.METRICS_PORT },
    serviceName: e.OTEL_SERVICE_NAME,
    tracing: e.OTEL_EXPORTER_OTLP_ENDPOINT
      ? ({
          endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
          headers: parseHeaders(e.OTEL_EXPORTER_OTLP_HEADERS),
          sampleRatio: e.OTEL_TRACES_SAMPLER_ARG,
        } satisfies TracingConfig)
      : null,
  };
}

export type TelemetryConfig = ReturnType<typeof telemetryConfig>;

function parseHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at > 0)
      headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(
        pair.slice(at + 1).trim(),
      );
  }
  return headers;
}

export interface RunningTelemetry extends Telemetry {
  /** Where `/metrics` is served, when it is. */
  metricsUrl: string | null;
  /** Stops serving metrics and exports the spans left. */
  stop(): Promise<void>;
}

/**
 * A program's telemetry: a logger on stdout, a metrics registry served on the metrics port (with
 * the process's own metrics: memory, event loop, garbage collection), a tracer exporting to the
 * OTLP receiver; each only when configured.
 */
export async function startTelemetry(
  config: TelemetryConfig,
  service: string,
): Promise<RunningTelemetry> {
  const name = config.serviceName ?? service;
  const logger = createLogger({ service: name, level: config.logLevel });
  const metrics = config.metrics ? createMetricsRegistry() : null;
  if (metrics) collectDefaultMetrics({ register: metrics });
  const served = config.metrics && metrics ? await serveMetrics(metrics, config.metrics) : null;
  const tracing = config.tracing ? await startTracing(name, config.tracing) : null;
  return {
    logger,
    metrics,
    tracer: tracing?.tracer ?? null,
    metricsUrl: served?.url ?? null,
    async stop() {
      await served?.close();
      await tracing?.shutdown();
      logger.flush();
    },
  };
}
