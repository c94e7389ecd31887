import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, ListenOptions } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { StandaloneServerContextFunctionArgument } from '@apollo/server/standalone';

/** Whether the service can answer: its database reachable and its migrations applied. */
export type Readiness =
  | { status: 'ready' }
  | { status: 'not ready'; reason: 'stopping' | 'database unreachable' | 'migrations pending' };

export interface SubgraphHttpOptions<Context extends BaseContext> {
  server: ApolloServer<Context>;
  context: (argument: StandaloneServerContextFunctionArgument) => Promise<Context>;
  listen: ListenOptions;
  readiness: () => Promise<Readiness>;
  /** How long the requests in flight have to finish once the service stops (10 s). */
  stopGraceMs?: number;
  /** Largest request body read, in bytes (16 MB). */
  maxBodyBytes?: number;
}

export interface SubgraphHttp {
  url: string;
  /**
   * Refuses new connections, lets the requests in flight finish (closing each connection once
   * its answer is sent), and closes whatever is still open after the grace period.
   */
  close(): Promise<void>;
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A subgraph's HTTP listener: GraphQL on every path but `/health` (the process is alive) and
 * `/ready` (it can answer: 503 while its database is unreachable, its migrations are pending or
 * it is stopping), which is what Apollo's standalone server, used before, could not add.
 */
export async function serveSubgraph<Context extends BaseContext>(
  options: SubgraphHttpOptions<Context>,
): Promise<SubgraphHttp> {
  const { server, context, readiness } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/ready') {
      const state = await readiness();
      return sendJson(res, state.status === 'ready' ? 200 : 503, state);
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown;
    if (/^application\/(graphql-response\+)?json\b/i.test(req.headers['content-type'] ?? '')) {
      const text = await readBody(req, maxBodyBytes);
      if (text === null)
        return sendJson(res, 413, { errors: [{ message: 'Request body too large' }] });
      try {
        body = JSON.parse(text);
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'The request body is not valid JSON' }] });
      }
    }
    const answer = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (req.method ?? 'GET').toUpperCase(),
        headers,
        search: url.search,
        body,
      },
      context: () => context({ req, res }),
    });
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === 'complete') return res.end(answer.body.string);
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error' }] });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.listen, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { address, port } = http.address() as AddressInfo;
  const host =
    address === '::' || address === '0.0.0.0'
      ? 'localhost'
      : address.includes(':')
        ? `[${address}]`
        : address;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        // Node closes idle keep-alive connections at once and each busy one after its answer.
        const timer = setTimeout(() => http.closeAllConnections(), options.stopGraceMs ?? 10_000);
        http.close(() => {
          clearTimeout(timer);
          resolve();
        });
        http.closeIdleConnections();
      })),
  };
}
