import { generateViewerKeys, signViewer, VIEWER_HEADER, type Viewer } from '@tiers-lieux/schema';
import { serveOnLoopback } from '@tiers-lieux/subgraph-shell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { seedNetwork } from '../src/seed/index.js';
import { createServer, VIEWER_AUDIENCE } from '../src/server.js';
import { createHarness, viewers, type Harness } from './harness.js';

async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const KEYS = generateViewerKeys();
const REGISTRY = '{ partners { slug status subgraphUrl } }';

describe('the network subgraph over HTTP', () => {
  let h: Harness;
  let url: string;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    h = await createHarness();
    await seedNetwork(h.db, new Date());
    ({ url, stop } = await serveOnLoopback(
      createServer({
        db: h.db,
        viewerPublicKey: KEYS.publicKey,
        production: true,
      }),
    ));
  });
  afterAll(async () => {
    await stop();
    await h.close();
  });

  /** A viewer header for the registry query, the request these tests send with it. */
  const signed = async (
    viewer: Viewer,
    audience = VIEWER_AUDIENCE,
    signingKey = KEYS.signingKey,
  ) => ({
    [VIEWER_HEADER]: await signViewer(viewer, signingKey, {
      audience,
      request: { query: REGISTRY },
    }),
  });
  const urls = (answer: { body: Record<string, unknown> }) =>
    (answer.body.data as { partners: { subgraphUrl: string | null }[] }).partners.map(
      (p) => p.subgraphUrl,
    );

  it('answers the registry query the gateway polls, with URLs for a coordinator signed by the gateway', async () => {
    const answer = await post(url, REGISTRY, await signed(viewers.coordinator));
    expect(answer).toEqual({
      status: 200,
      body: {
        data: {
          partners: [
            { slug: 'baronnies', status: 'ACTIVE', subgraphUrl: 'http://127.0.0.1:4101/' },
            { slug: 'cantine', status: 'ACTIVE', subgraphUrl: 'http://127.0.0.1:4102/' },
            { slug: 'laserre', status: 'ACTIVE', subgraphUrl: 'http://127.0.0.1:4104/' },
            { slug: 'locomotive', status: 'ACTIVE', subgraphUrl: 'http://127.0.0.1:4103/' },
          ],
        },
      },
    });
  });

  it('treats a missing, forged or misaddressed viewer header as an anonymous visitor', async () => {
    const none = [null, null, null, null];
    expect(urls(await post(url, REGISTRY))).toEqual(none);
    expect(
      urls(
        await post(
          url,
          REGISTRY,
          await signed(viewers.coordinator, VIEWER_AUDIENCE, generateViewerKeys().signingKey),
        ),
      ),
    ).toEqual(none);
    expect(
      urls(await post(url, REGISTRY, await signed(viewers.coordinator, 'partner:cantine'))),
    ).toEqual(none);
    expect(urls(await post(url, REGISTRY, { [VIEWER_HEADER]: 'garbage' }))).toEqual(none);
  });

  it('answers _service { sdl } and refuses coordinator fields to anonymous requests with a coded error', async () => {
    const sdl = await post(url, '{ _service { sdl } }');
    expect((sdl.body.data as { _service: { sdl: string } })._service.sdl).toContain('redeemPass');
    const settlement = await post(
      url,
      '{ settlement(from: "2026-01-01", to: "2026-01-31") { total { amountCents } } }',
    );
    expect(settlement).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message: 'Sign in to see settlements',
            locations: [{ line: 1, column: 3 }],
            path: ['settlement'],
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      },
    });
  });

  it("resolves a sign-in for the gateway's signed header only, as the gateway calls it", async () => {
    const SIGN_IN = `mutation { signIn(identity: { issuer: "https://auth.example", subject: "karim", email: "karim.haddad@lacantine.example", emailVerified: true }) { personId coordinator manages staffs } }`;
    const header = async (viewer: Viewer) => ({
      [VIEWER_HEADER]: await signViewer(viewer, KEYS.signingKey, {
        audience: VIEWER_AUDIENCE,
        request: { query: SIGN_IN },
      }),
    });
    const code = (answer: { body: Record<string, unknown> }) =>
      (answer.body.errors as { extensions: { code: string } }[] | undefined)?.[0]?.extensions.code;
    expect(code(await post(url, SIGN_IN))).toBe('UNAUTHENTICATED');
    expect(code(await post(url, SIGN_IN, await header(viewers.coordinator)))).toBe('FORBIDDEN');
    expect(await post(url, SIGN_IN, await header(viewers.gateway))).toEqual({
      status: 200,
      body: {
        data: {
          signIn: {
            personId: 'network:person:0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a03',
            coordinator: false,
            manages: ['cantine'],
            staffs: [],
          },
        },
      },
    });
  });
});

describe('configuration', () => {
  it('defaults to port 4100 on 127.0.0.1 and an in-memory PGlite', () => {
    expect(loadConfig({})).toEqual({
      http: { host: '127.0.0.1', port: 4100 },
      database: { url: undefined, pgliteDir: undefined, poolSize: 10 },
      migrate: true,
      seed: false,
      viewerPublicKey: undefined,
      partnerCheckTimeoutMs: 5_000,
      production: false,
      maskErrors: true,
      telemetry: { logLevel: 'info', metrics: null, serviceName: undefined, tracing: null },
      mail: {
        crash: null,
        domain: 'tiers-lieux.localhost',
        from: 'Réseau des tiers-lieux <ne-pas-repondre@tiers-lieux.localhost>',
        intervalMs: 5000,
        linkSecret: 'development-link-secret-not-for-production',
        networkName: 'Réseau des tiers-lieux',
        publicUrl: 'http://127.0.0.1:4000',
        smtpUrl: undefined,
      },
      saga: { crashAt: null, recoveryIntervalMs: 30_000, signingKey: undefined, timeoutMs: 5_000 },
    });
  });

  it('lists every problem at once, and requires DATABASE_URL and VIEWER_PUBLIC_KEY in production', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.problems.map((p) => p.split(':')[0]);
      }
    };
    expect(problems({ PORT: 'x', SEED: 'yes', VIEWER_PUBLIC_KEY: 'not a key' })).toEqual([
      'PORT',
      'SEED',
      'VIEWER_PUBLIC_KEY',
    ]);
    // The signing key where the public one belongs is refused too: it must not be handed out.
    expect(problems({ VIEWER_PUBLIC_KEY: KEYS.signingKey })).toEqual(['VIEWER_PUBLIC_KEY']);
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'DATABASE_URL',
      'VIEWER_PUBLIC_KEY',
      'LINK_SECRET',
    ]);
    expect(problems({ LINK_SECRET: 'too short' })).toEqual(['LINK_SECRET']);
    expect(problems({ PARTNER_CHECK_TIMEOUT_MS: '10' })).toEqual(['PARTNER_CHECK_TIMEOUT_MS']);
    // As a one-line .env value, with \n for the line breaks.
    const oneLine = KEYS.publicKey.trim().replace(/\n/g, '\\n');
    expect(
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://u@db/network',
        SEED: 'true',
        VIEWER_PUBLIC_KEY: oneLine,
        LINK_SECRET: 'the-network-own-link-secret-of-32-chars',
      }),
    ).toMatchObject({
      production: true,
      seed: true,
      viewerPublicKey: KEYS.publicKey.trim(),
      database: { url: 'postgres://u@db/network' },
      mail: { linkSecret: 'the-network-own-link-secret-of-32-chars' },
    });
  });
});

describe('the network subgraph started without NODE_ENV', () => {
  it('masks an unexpected error: a generic message and an error id, no stack trace', async () => {
    const h = await createHarness();
    const { url, stop } = await serveOnLoopback(
      createServer({ db: h.db, production: loadConfig({}).maskErrors }),
    );
    try {
      // A database gone is an unexpected error, its message and stack are the service's own.
      await h.close();
      const answer = await post(url, REGISTRY);
      const errors = answer.body.errors as { message: string; extensions: object }[];
      expect(errors[0]).toEqual({
        message: 'Internal server error',
        path: ['partners'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) },
      });
      expect(JSON.stringify(answer.body)).not.toMatch(/stacktrace|PGlite|\.ts:\d+/);
    } finally {
      await stop();
    }
  });

  it('shows it to a developer who says NODE_ENV=development', async () => {
    const h = await createHarness();
    const { url, stop } = await serveOnLoopback(
      createServer({ db: h.db, production: loadConfig({ NODE_ENV: 'development' }).maskErrors }),
    );
    try {
      await h.close();
      const answer = await post(url, REGISTRY);
      const errors = answer.body.errors as { message: string; extensions: object }[];
      expect(errors[0]!.message).not.toBe('Internal server error');
      expect(errors[0]!.extensions).toHaveProperty('stacktrace');
    } finally {
      await stop();
    }
  });
});
