import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, ListenOptions } from 'node:net';
import {
  HeaderMap,
  type ApolloServer,
  type ApolloServerPlugin,
  type BaseContext,
  type HTTPGraphQLRequest,
} from '@apollo/server';
import type { Logger } from './logs.js';
import { errorCodeOf, REQUEST_ID_HEADER, requestIdFrom, scrubPersonalData } from './logs.js';
import type { SubgraphMetrics } from './metrics.js';
import { endSpan, remoteParent, SpanKind, withActiveSpan, type Tracer } from './tracing.js';

/** The largest request body a subgraph reads: the gateway's fetches are kilobytes. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** How long a stop waits for the requests in flight before it closes their connections. */
const DRAIN_GRACE_MS = 10_000;

/** What the request line of a subgraph says, filled in as the request goes. */
export interface RequestRecord {
  operation: string | null;
  type: string | null;
  errors: string[];
}

export interface SubgraphTelemetry {
  logger: Logger;
  metrics: SubgraphMetrics | null;
  tracer: Tracer | null;
}

/**
 * The Apollo plugin that tells the listener which operation a request ran and the codes of its
 * errors; the listener keys its records by the HTTP request Apollo was given.
 */
export function requestRecordPlugin(
  records: WeakMap<HTTPGraphQLRequest, RequestRecord>,
): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ request }) {
      const record = request.http ? records.get(request.http) : undefined;
      if (!record) return;
      return {
        async didResolveOperation({ operationName, operation }) {
          record.operation = operationName ?? null;
          record.type = operation?.operation ?? null;
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? [])
            record.errors.push(errorCodeOf(error.extensions?.code));
        },
      };
    },
  };
}

export interface SubgraphListener {
  url: string;
  /**
   * Stops accepting connections, lets the requests in flight finish (closing each connection
   * once idle, and every one left after 10 s), then stops Apollo Server.
   */
  stop(): Promise<void>;
}

/**
 * Serves a subgraph's Apollo Server over HTTP, one request at a time as Apollo's standalone
 * server does, plus what the network needs of each request: the gateway's request id, the
 * request's span under the gateway's (`traceparent`), active while the request runs so its SQL
 * statements become its children, one log line, the latency histogram.
 */
export async function listenSubgraph<Context extends BaseContext>(
  server: ApolloServer<Context>,
  options: {
    listen: ListenOptions;
    context: () => Promise<Context>;
    records: WeakMap<HTTPGraphQLRequest, RequestRecord>;
    telemetry: SubgraphTelemetry;
  },
): Promise<SubgraphListener> {
  const { logger, metrics, tracer } = options.telemetry;
  let stopping = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    const span = tracer
      ? tracer.startSpan(
          'graphql.request',
          { kind: SpanKind.SERVER, attributes: { 'request.id': requestId } },
          remoteParent(req.headers),
        )
      : null;
    const record: RequestRecord = { operation: null, type: null, errors: [] };
    let status = 500;
    try {
      const body = await readBody(req);
      if (body === null) {
        status = 413;
        return void res.writeHead(413).end();
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let parsed: unknown = undefined;
      if (body.length > 0 && /json/i.test(headers.get('content-type') ?? '')) {
        try {
          parsed = JSON.parse(body);
        } catch {
          status = 400;
          return void res.writeHead(400).end('The request body is not valid JSON');
        }
      }
      const request: HTTPGraphQLRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        headers,
        search: req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : '',
        body: parsed,
      };
      options.records.set(request, record);
      const response = await withActiveSpan(span, () =>
        server.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: options.context }),
      );
      for (const [key, value] of response.headers) res.setHeader(key, value);
      status = response.status ?? 200;
      res.statusCode = status;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
      } else {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } finally {
      const seconds = (performance.now() - startedAt) / 1000;
      const outcome = status >= 400 || record.errors.length > 0 ? 'error' : 'ok';
      metrics?.requestDuration.observe({ type: record.type ?? 'none', outcome }, seconds);
      if (span) {
        if (record.operation) span.setAttribute('graphql.operation.name', record.operation);
        if (record.type) span.setAttribute('graphql.operation.type', record.type);
        span.updateName(record.operation ? `graphql ${record.operation}` : 'graphql.request');
        endSpan(span, record.errors[0] ?? (status >= 500 ? 'HTTP_ERROR' : null));
      }
      logger.info(
        {
          requestId,
          ...(span ? { traceId: span.spanContext().traceId } : {}),
          operation: record.operation,
          type: record.type,
          status,
          durationMs: Math.round(seconds * 10_000) / 10,
          outcome,
          errors: record.errors,
        },
        'request',
      );
    }
  }

  await server.start();
  const http = createServer((req, res) => {
    if (stopping) res.once('finish', () => http.closeIdleConnections());
    handle(req, res).catch((error: unknown) => {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      logger.error({ error: scrubPersonalData(text) }, 'request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.listen, () => resolve());
  });
  const address = http.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopped: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}/`,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
        const grace = setTimeout(() => http.closeAllConnections(), DRAIN_GRACE_MS);
        await closed;
        clearTimeout(grace);
        await server.stop();
      })()),
  };
}

/** The body as text, or null when it is larger than `MAX_BODY_BYTES`. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        return resolve(null);
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
