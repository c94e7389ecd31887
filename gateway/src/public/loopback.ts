import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The GraphQL endpoint of the gateway that received `req`, over loopback: the feeds and the
 * open-data export ask the gateway itself, so the limits, authentication and partner routing
 * that apply to any client apply to them too.
 */
export function ownGraphqlEndpoint(req: IncomingMessage): string {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${req.socket.localPort}/graphql`;
}

/** A host name or bracketed IPv6 address, with an optional port: nothing a client could slip in. */
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The origin the client used, for the absolute links of a feed. */
export function publicOrigin(req: IncomingMessage): string {
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim();
  const protocol = forwarded === 'https' ? 'https' : 'http';
  const host = req.headers.host ?? '';
  return `${protocol}://${HOST.test(host) ? host : 'localhost'}`;
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  for (const [key, value] of Object.entries(headers)) res.setHeader(key, value);
  res.end(body);
}
