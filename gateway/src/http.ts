import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';

export interface HttpEdgeOptions {
  /** Largest request body accepted, in bytes: a larger one is a 413. */
  maxBodyBytes: number;
  /** Time a client has to send its request headers before the connection is closed. */
  headersTimeoutMs: number;
  /** Time a client has to send its whole request, body included. */
  requestTimeoutMs: number;
  /** Connections open at once; the ones past it are closed as they arrive. */
  maxConnections: number;
  /**
   * Origins of the web frontends allowed to call the gateway from a browser (CORS), with
   * credentials; any other origin gets no CORS header at all.
   */
  corsOrigins: readonly string[];
  /** Proxies whose X-Forwarded-For names the client (Fastify's `trustProxy`); none by default. */
  trustProxy?: boolean | number | string[] | undefined;
  log: (message: string) => void;
}

/**
 * The policy of every route; a page that needs more (the `/api` console's inline script)
 * sets its own.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
  },
};

function sendGraphqlError(reply: FastifyReply, status: number, message: string, code: string) {
  return reply.code(status).send({ errors: [{ message, extensions: { code } }] });
}

/**
 * The gateway's HTTP edge, on Fastify: security headers on every answer, CORS for the listed
 * origins, bounded time to send a request and a bounded number of connections. A body is read
 * up to `maxBodyBytes`; a JSON one that does not parse, or any other refused request, is
 * answered as a GraphQL error, never a crash.
 */
export async function createHttpEdge(options: HttpEdgeOptions): Promise<FastifyInstance> {
  const { maxBodyBytes, log } = options;
  const app = Fastify({
    bodyLimit: maxBodyBytes,
    // The links of the mails carry a registration id and a signed token in the path
    // (`/inscription/confirmer/<id>/<token>`, some 170 characters); Fastify refuses a path
    // parameter longer than 100 by default.
    routerOptions: { maxParamLength: 512 },
    trustProxy: (options.trustProxy ?? false) as boolean,
    requestTimeout: options.requestTimeoutMs,
    // An idle keep-alive connection holds one of the capped slots: it is closed after 5 s
    // (Fastify's own default is 72 s).
    keepAliveTimeout: 5_000,
    http: {
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      // Node looks for expired requests this often (30 s by default, longer than the budgets).
      connectionsCheckingInterval: Math.max(
        100,
        Math.min(1_000, Math.floor(options.headersTimeoutMs / 4)),
      ),
    },
    // On close, idle keep-alive connections are closed at once; the requests in flight finish
    // (the gateway's stop bounds how long they may take).
    forceCloseConnections: 'idle',
    // An undecodable path (`/calendar/spaces/%E0.ics`) names nothing.
    frameworkErrors: (error, _request, reply) =>
      error.code === 'FST_ERR_BAD_URL'
        ? (reply as FastifyReply).code(404).send({ error: 'Not found' })
        : sendGraphqlError(reply as FastifyReply, 400, error.message, 'BAD_REQUEST'),
  });
  app.server.maxConnections = options.maxConnections;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/graphql-response+json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(Object.assign(new Error('The request body is not valid JSON'), { statusCode: 400 }));
      }
    },
  );
  // Read (within the limit) and dropped: GraphQL is only JSON; Apollo refuses the rest.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) =>
    done(null, undefined),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413)
      return sendGraphqlError(
        reply,
        413,
        `Request body larger than ${maxBodyBytes} bytes`,
        'BAD_REQUEST',
      );
    if (status < 500) return sendGraphqlError(reply, status, error.message, 'BAD_REQUEST');
    log(`http: ${request.method} ${request.url}: ${error.stack ?? error.message}`);
    return sendGraphqlError(reply, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'Not found' }));

  await app.register(helmet, { contentSecurityPolicy: CONTENT_SECURITY_POLICY });
  if (options.corsOrigins.length > 0) {
    const allowed = new Set(options.corsOrigins);
    await app.register(cors, {
      origin: (origin, callback) =>
        callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
      credentials: true,
      methods: ['GET', 'POST'],
      maxAge: 600,
    });
  }
  await app.register(cookie);
  return app;
}
