import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The GraphQL endpoint of the gateway that received `request`, over loopback: the feeds and the
 * open-data export ask the gateway itself, so the limits, authentication and partner routing
 * that apply to any client apply to them too.
 */
export function ownGraphqlEndpoint(request: FastifyRequest): string {
  const address = request.socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${request.socket.localPort}/graphql`;
}

/** A host name or bracketed IPv6 address, with an optional port: nothing a client could slip in. */
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The origin the client used, for the absolute links of a feed. */
export function publicOrigin(request: FastifyRequest): string {
  const forwarded = String(request.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim();
  const protocol = forwarded === 'https' ? 'https' : 'http';
  const host = request.headers.host ?? '';
  return `${protocol}://${HOST.test(host) ? host : 'localhost'}`;
}

/** The request's URL, with the path as the client sent it (not decoded). */
export function requestUrl(request: FastifyRequest): URL {
  return new URL(request.url, 'http://gateway');
}

export function sendText(
  reply: FastifyReply,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').headers(headers).send(body);
}
