import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as an OTLP exporter sent it, with the name of the service that sent it. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  kind: number;
  /** Unix time in nanoseconds, as the exporter wrote it (a string of digits in OTLP/JSON). */
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, unknown>;
}

export interface OtlpReceiver {
  /** The base URL to give as the OTLP endpoint; spans are taken at `/v1/traces`. */
  url: string;
  /** Every span received so far, in order of arrival. */
  spans: ReceivedSpan[];
  close(): Promise<void>;
}

type Entry = Record<string, any>;

function nanos(value: unknown): bigint {
  return typeof value === 'string' || typeof value === 'number' ? BigInt(value) : 0n;
}

/**
 * A tiny OTLP/HTTP (JSON) receiver on a loopback port: what the services' exporters
 * (`startTracing`) send to `/v1/traces`, decoded, for the tests and the bench.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = resourceSpans.resource.attributes.find(
          (a: Entry) => a.key === 'service.name',
        ).value.stringValue;
        for (const scope of resourceSpans.scopeSpans)
          for (const span of scope.spans)
            spans.push({
              service,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
              name: span.name,
              kind: span.kind,
              startTimeUnixNano: nanos(span.startTimeUnixNano),
              endTimeUnixNano: nanos(span.endTimeUnixNano),
              attributes: Object.fromEntries(
                (span.attributes ?? []).map((a: Entry) => [a.key, Object.values(a.value)[0]]),
              ),
            });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A span's duration in milliseconds. */
export function spanMillis(span: ReceivedSpan): number {
  return Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;
}

/**
 * The tree under `root` among `spans`, a line per span indented by its depth: name and service,
 * and with `durations` how long it took. Children in the order they started.
 */
export function spanTree(
  spans: ReceivedSpan[],
  root: ReceivedSpan,
  options: { durations?: boolean } = {},
): string[] {
  const line = (span: ReceivedSpan, depth: number) =>
    `${'  '.repeat(depth)}${span.name} [${span.service}]${
      options.durations ? ` ${spanMillis(span).toFixed(1)} ms` : ''
    }`;
  const walk = (span: ReceivedSpan, depth: number): string[] => [
    line(span, depth),
    ...spans
      .filter((s) => s.parentSpanId === span.spanId)
      .sort((a, b) =>
        a.startTimeUnixNano === b.startTimeUnixNano
          ? a.name < b.name
            ? -1
            : 1
          : a.startTimeUnixNano < b.startTimeUnixNano
            ? -1
            : 1,
      )
      .flatMap((s) => walk(s, depth + 1)),
  ];
  return walk(root, 0);
}
