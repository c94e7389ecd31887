import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

export interface HttpRoute {
  method: 'GET' | 'POST';
  /** The exact path, or a pattern of paths (`/^\/calendar\/.+\.ics$/`). */
  path: string | RegExp;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void | Promise<void>;
}

function matches(route: HttpRoute, method: string, pathname: string): boolean {
  if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) return false;
  return typeof route.path === 'string' ? route.path === pathname : route.path.test(pathname);
}

export interface HttpOptions<Context extends BaseContext> {
  apollo: ApolloServer<Context>;
  context: (req: IncomingMessage) => Promise<Context>;
  /** Where GraphQL is served. */
  graphqlPath: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  routes: HttpRoute[];
  log: (message: string) => void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit)
      return reject(new HttpError(413, `Request body larger than ${limit} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `Request body larger than ${limit} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

function graphqlError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
}

/**
 * The gateway's HTTP server: GraphQL over HTTP through Apollo Server at `graphqlPath`, plus
 * the plain routes (health, readiness, landing page). Bodies are read with a size limit and
 * a malformed one is a 400 with a GraphQL error, never a crash.
 */
export function createHttpServer<Context extends BaseContext>(
  options: HttpOptions<Context>,
): Server {
  const { apollo, graphqlPath, maxBodyBytes, routes, log } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const method = (req.method ?? 'GET').toUpperCase();
    const route =
      url.pathname === graphqlPath
        ? undefined
        : routes.find((r) => matches(r, method, url.pathname));
    if (route) return route.handle(req, res, url);
    if (url.pathname !== graphqlPath) return sendJson(res, 404, { error: 'Not found' });

    let body: unknown;
    if (method === 'POST') {
      const text = await readBody(req, maxBodyBytes);
      const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
      if (
        contentType.startsWith('application/json') ||
        contentType.startsWith('application/graphql-response+json')
      ) {
        try {
          body = JSON.parse(text);
        } catch {
          return graphqlError(res, 400, 'The request body is not valid JSON');
        }
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      context: () => options.context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') return void res.end(response.body.string);
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) return graphqlError(res, error.status, error.message);
      log(`http: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent)
        sendJson(res, 500, {
          errors: [
            { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
          ],
        });
      else res.destroy();
    });
  });
}

/** Listens and answers the base URL. */
export async function listen(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
