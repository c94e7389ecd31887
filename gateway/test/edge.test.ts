import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startGateway } from '../src/testing/index.js';

type Gateway = Awaited<ReturnType<typeof startGateway>>;

/** A raw connection to the gateway: what it was sent back, and when it was closed. */
function openSocket(url: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const opened = Date.now();
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('utf8')));
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
  const connected = new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  return {
    socket,
    connected,
    /** Milliseconds from opening to the gateway closing the connection. */
    closedAfter: closed.then((at) => at - opened),
    received: () => received,
  };
}

/** Writes `chunk` every `everyMs` until the socket closes: a client that dribbles. */
function dribble(socket: Socket, chunk: string, everyMs: number) {
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(chunk);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

const SECURITY_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'strict-transport-security',
  'referrer-policy',
  'cross-origin-opener-policy',
];

describe('the HTTP edge of the gateway', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({
      partners: [],
      headersTimeoutMs: 1_000,
      requestTimeoutMs: 3_000,
      maxConnections: 20,
      corsOrigins: ['https://agenda.example.org'],
    });
  });
  afterAll(() => gateway?.stop());

  it('sends security headers on every answer: GraphQL, health, readiness, a 404', async () => {
    const answers = await Promise.all([
      fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
      fetch(`${gateway.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { 'apollo-require-preflight': 'true' },
      }),
      fetch(`${gateway.url}/health`),
      fetch(`${gateway.url}/ready`),
      fetch(`${gateway.url}/nowhere`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 503, 404]);
    for (const answer of answers) {
      for (const header of SECURITY_HEADERS)
        expect(answer.headers.get(header), `${answer.url} ${header}`).toBeTruthy();
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(answer.headers.get('content-security-policy')).not.toContain('upgrade-insecure');
    }
  });

  it('closes a connection whose headers dribble in, after the headers timeout', async () => {
    const slow = openSocket(gateway.url!);
    await slow.connected;
    slow.socket.write(`GET /health HTTP/1.1\r\nHost: gateway\r\n`);
    dribble(slow.socket, 'X-Slow: 1\r\n', 200);
    const after = await slow.closedAfter;
    expect(after).toBeGreaterThanOrEqual(900);
    expect(after).toBeLessThan(2_500);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection whose body dribbles in, after the request timeout', async () => {
    const slow = openSocket(gateway.url!);
    await slow.connected;
    slow.socket.write(
      `POST /graphql HTTP/1.1\r\nHost: gateway\r\ncontent-type: application/json\r\ncontent-length: 10000\r\n\r\n{"query": "`,
    );
    dribble(slow.socket, ' ', 200);
    const after = await slow.closedAfter;
    expect(after).toBeGreaterThanOrEqual(2_900);
    expect(after).toBeLessThan(5_000);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers a CORS preflight from a listed origin, with credentials', async () => {
    const answer = await fetch(gateway.graphqlUrl, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://agenda.example.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://agenda.example.org');
    expect(answer.headers.get('access-control-allow-credentials')).toBe('true');
    expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
    expect(answer.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
    const post = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://agenda.example.org' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await post.json()).toEqual({ data: { __typename: 'Query' } });
    expect(post.headers.get('access-control-allow-origin')).toBe('https://agenda.example.org');
    expect(post.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('gives an origin it does not list no CORS header at all', async () => {
    for (const origin of ['https://evil.example.org', 'https://agenda.example.org.evil.example']) {
      const preflight = await fetch(gateway.graphqlUrl, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      const post = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      for (const answer of [preflight, post]) {
        const cors = [...answer.headers.keys()].filter((k) => k.startsWith('access-control-'));
        expect(cors, origin).toEqual([]);
      }
    }
  });
});

describe('a cap on open connections', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({ partners: [], maxConnections: 3 });
  });
  afterAll(() => gateway?.stop());

  it('closes the connections past the cap as they arrive, and serves again once one closes', async () => {
    const held = [openSocket(gateway.url!), openSocket(gateway.url!), openSocket(gateway.url!)];
    await Promise.all(held.map((h) => h.connected));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = openSocket(gateway.url!);
    extra.socket.write('GET /health HTTP/1.1\r\nHost: gateway\r\n\r\n');
    expect(await extra.closedAfter).toBeLessThan(1_000);
    expect(extra.received()).toBe('');

    held[0]!.socket.destroy();
    await held[0]!.closedAfter;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = openSocket(gateway.url!);
    next.socket.write('GET /health HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n');
    await next.closedAfter;
    expect(next.received()).toMatch(/^HTTP\/1\.1 200[^]*\{"status":"ok"\}$/);
    for (const h of held) h.socket.destroy();
  });
});

describe('the HTTP settings of the configuration', () => {
  it('reads the CORS origins, the timeouts and the connection cap', () => {
    const config = loadConfig({
      CORS_ORIGINS: 'https://agenda.example.org, http://localhost:5173',
      HEADERS_TIMEOUT_MS: '2000',
      REQUEST_TIMEOUT_MS: '20000',
      MAX_CONNECTIONS: '50',
    });
    expect(config.http).toMatchObject({
      corsOrigins: ['https://agenda.example.org', 'http://localhost:5173'],
      headersTimeoutMs: 2_000,
      requestTimeoutMs: 20_000,
      maxConnections: 50,
    });
    expect(loadConfig({}).http).toMatchObject({
      corsOrigins: [],
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
      maxConnections: 1_000,
    });
  });

  it('refuses an origin with a path and headers slower than the whole request', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://agenda.example.org/' })).toThrow(
      /CORS_ORIGINS/,
    );
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '9000', REQUEST_TIMEOUT_MS: '8000' })).toThrow(
      /HEADERS_TIMEOUT_MS/,
    );
  });
});
