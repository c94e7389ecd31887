import autocannon from 'autocannon';
import type { Operation } from './operations.js';

export interface LoadSettings {
  /** Measured seconds per run. */
  duration: number;
  /** Unmeasured seconds before it (JIT, plan caches, connection pools). */
  warmup: number;
  connections: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  /** Latencies in milliseconds, with sub-millisecond precision. */
  p50: number;
  p99: number;
  /**
   * Failed requests: transport errors, timeouts, non-2xx answers, GraphQL errors (and the
   * checked first request, when it failed).
   */
  errors: number;
  /** The first failing answer, to say why. */
  firstError: string | null;
  /** Every latency, sorted, and the measured seconds: what `combine` needs. */
  latencies: number[];
  seconds: number;
}

/** One result of several runs of the same thing (taken in turn with others, to share the noise). */
export function combine(results: LoadResult[]): LoadResult {
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    firstError: results.find((r) => r.firstError !== null)?.firstError ?? null,
    latencies,
    seconds,
  };
}

/** One line on stderr that says which run is going on and how far it is. */
export class Progress {
  private run = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(private total: number) {}

  /** Announces a run; the answer reports its progress and its end. */
  begin(label: string, seconds: number) {
    this.run++;
    const prefix = `[${String(this.run).padStart(2)}/${this.total}] ${label}`;
    const started = Date.now();
    let timer: NodeJS.Timeout | null = null;
    let count = 0;
    if (this.tty) {
      timer = setInterval(() => {
        const elapsed = Math.min(seconds, (Date.now() - started) / 1000);
        process.stderr.write(
          `\r\x1b[K${prefix}  ${elapsed.toFixed(1)}/${seconds} s  ${count} requests`,
        );
      }, 250);
      timer.unref();
    } else {
      process.stderr.write(`${prefix} …\n`);
    }
    return {
      count: () => void count++,
      end: (summary: string) => {
        if (timer) clearInterval(timer);
        process.stderr.write(`${this.tty ? '\r\x1b[K' : ''}${prefix}  ${summary}\n`);
      },
    };
  }
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function fire(
  url: string,
  operation: Operation,
  headers: Record<string, string>,
  settings: { duration: number; connections: number },
  onResponse: (ms: number) => void,
) {
  let firstError: string | null = null;
  const instance = autocannon({
    url,
    method: 'POST',
    connections: settings.connections,
    duration: settings.duration,
    timeout: 10,
    sampleInt: 100,
    headers: { 'content-type': 'application/json', ...headers },
    requests: [
      {
        setupRequest: (request) => {
          const body = operation.body();
          const own = operation.headersFor?.(body);
          return { ...request, body, ...(own ? { headers: { ...request.headers, ...own } } : {}) };
        },
      },
    ],
    verifyBody: (body) => {
      const ok = operation.verify(body);
      if (!ok && firstError === null) firstError = body.slice(0, 400);
      return ok;
    },
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) =>
    onResponse(ms),
  );
  const result = await instance;
  return { result, firstError };
}

/**
 * Loads `url` with `operation` from `connections` concurrent connections for a fixed time,
 * after a warm-up, and measures throughput and latency. Latencies are taken from every
 * response (autocannon's own histogram rounds them to whole milliseconds).
 */
export async function measure(params: {
  label: string;
  url: string;
  operation: Operation;
  headers?: Record<string, string>;
  settings: LoadSettings;
  progress: Progress;
  /** Called when the measured part begins, after the warm-up. */
  onMeasure?: () => void;
}): Promise<LoadResult> {
  const { settings, operation, url } = params;
  const headers = params.headers ?? {};
  const line = params.progress.begin(params.label, settings.duration);
  // One request first: it warms the path up and says at once when the operation fails.
  const body = operation.body();
  const probe = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers, ...operation.headersFor?.(body) },
    body,
    signal: AbortSignal.timeout(30_000),
  }).then(
    async (response) => response.text(),
    (error: unknown) => `no answer: ${String(error)}`,
  );
  const probeError = operation.verify(probe) ? null : probe.slice(0, 400);
  if (settings.warmup > 0) {
    await fire(
      url,
      operation,
      headers,
      { duration: settings.warmup, connections: settings.connections },
      () => {},
    );
  }
  params.onMeasure?.();
  const latencies: number[] = [];
  const { result, firstError } = await fire(url, operation, headers, settings, (ms) => {
    latencies.push(ms);
    line.count();
  });
  latencies.sort((a, b) => a - b);
  const errors =
    result.errors +
    result.timeouts +
    result.non2xx +
    result.mismatches +
    (probeError === null ? 0 : 1);
  const measured: LoadResult = {
    requests: latencies.length,
    rps: latencies.length / result.duration,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
    firstError:
      errors > 0
        ? (probeError ??
          firstError ??
          `${result.non2xx} non-2xx, ${result.timeouts} timeouts, ${result.errors} errors`)
        : null,
    latencies,
    seconds: result.duration,
  };
  line.end(
    `${measured.rps.toFixed(0)} req/s  p50 ${measured.p50.toFixed(1)} ms  p99 ${measured.p99.toFixed(1)} ms` +
      (errors > 0 ? `  ${errors} errors: ${measured.firstError}` : ''),
  );
  return measured;
}
