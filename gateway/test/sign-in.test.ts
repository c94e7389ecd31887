import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { newSigningKey, startDevProvider, type DevProvider } from '@tiers-lieux/dev-provider';
import { SEEDED_PASSWORD, SEEDED_PEOPLE } from '@tiers-lieux/schema/seed-people';
import { createScratchDatabase, testDatabaseUrl } from '@tiers-lieux/schema/testkit';
import type { Db } from '@tiers-lieux/subgraph-shell';
import { drizzle } from 'drizzle-orm/pglite';
import { importJWK, SignJWT, type JWK } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity, PeopleDirectory } from '../src/people.js';
import { safeReturnTo } from '../src/sign-in/index.js';
import type { GatewayOptions } from '../src/server.js';
import { startGateway } from '../src/testing/index.js';
import { signInAtProvider, TestBrowser } from '../src/testing/browser.js';
import { ANONYMOUS } from '@tiers-lieux/schema';

const API = 'urn:tiers-lieux:test-api';
const CLIENT = { clientId: 'network-site', clientSecret: 'network-site-secret-0123456789' };
const INES = SEEDED_PEOPLE.find((person) => person.email.startsWith('ines.'))!;
const CREDENTIALS = { email: INES.email, password: SEEDED_PASSWORD };

/** A directory that records who it was asked about; every identity is anonymous to it. */
function recordingDirectory() {
  const asked: Identity[] = [];
  const directory: PeopleDirectory = {
    async viewerFor(identity) {
      asked.push(identity);
      return ANONYMOUS;
    },
  };
  return { directory, asked };
}

function testRedisUrl(): string | null {
  const url = process.env.TEST_REDIS_URL?.trim();
  if (url) return url;
  if (process.env.CI === 'true') throw new Error('TEST_REDIS_URL must be set under CI');
  return null;
}

type StoreSetup = () => Promise<{ options: Partial<GatewayOptions>; close(): Promise<void> }>;

const stores: [string, StoreSetup][] = [
  [
    'SQL on PGlite',
    async () => {
      const pglite = await PGlite.create();
      const db = drizzle({ client: pglite }) as unknown as Db<Record<string, unknown>>;
      return { options: { sessionDatabase: db }, close: () => pglite.close() };
    },
  ],
];
const databaseUrl = testDatabaseUrl();
if (databaseUrl) {
  stores.push([
    'SQL on PostgreSQL',
    async () => {
      const scratch = await createScratchDatabase(databaseUrl, 'gateway_sessions_test');
      return { options: { sessionDatabase: scratch.url }, close: () => scratch.drop() };
    },
  ]);
}
const redisUrl = testRedisUrl();
if (redisUrl) {
  stores.push([
    'Redis',
    async () => ({
      options: { redisUrl, redisKeyPrefix: `test:${randomUUID()}:` },
      close: async () => {},
    }),
  ]);
}

const signingKey = newSigningKey();
let provider: DevProvider;
const callbacks: string[] = [];
const toStop: (() => Promise<void>)[] = [];

type Started = Awaited<ReturnType<typeof gatewayWith>>;
interface StoreGateways {
  one: Started;
  two: Started;
  timed: Started;
}
const byStore = new Map<string, StoreGateways>();
let clock = Date.now();
let publicSite: Started;
let noApiAudience: Started;

async function gatewayWith(
  store: Partial<GatewayOptions>,
  extra: { signIn?: Partial<NonNullable<GatewayOptions['signIn']>> } = {},
) {
  const { directory, asked } = recordingDirectory();
  const gateway = await startGateway({
    partners: [],
    people: directory,
    ...store,
    signIn: {
      issuerUrl: provider.issuer,
      ...CLIENT,
      apiAudience: API,
      ...extra.signIn,
    },
  });
  toStop.push(() => gateway.stop());
  callbacks.push(extra.signIn?.redirectUrl ?? `${gateway.url}/auth/callback`);
  return { gateway, url: gateway.url!, asked };
}

/**
 * Every gateway runs before the provider serves its first request: the provider's clients
 * (the network's site with every gateway's callback, and a third-party frontend) are fixed then.
 */
beforeAll(async () => {
  provider = await startDevProvider({ signingKeys: { keys: [signingKey] }, apiAudience: API });
  toStop.push(() => provider.stop());
  for (const [name, setup] of stores) {
    const store = await setup();
    toStop.push(store.close);
    byStore.set(name, {
      one: await gatewayWith(store.options),
      // A second replica sharing the store: another process in production.
      two: await gatewayWith(store.options),
      timed: await gatewayWith(store.options, {
        signIn: { lifetimes: { idleSeconds: 60, absoluteSeconds: 300 }, clock: () => clock },
      }),
    });
  }
  const first = (await stores[0]![1]()).options;
  // Behind a TLS-terminating proxy: the site's public address is https.
  publicSite = await gatewayWith(first, {
    signIn: { redirectUrl: 'https://reseau.example/auth/callback' },
  });
  noApiAudience = await gatewayWith(first, { signIn: { apiAudience: null } });
  provider.addClient({
    ...CLIENT,
    name: 'Réseau des tiers-lieux',
    firstParty: true,
    redirectUris: callbacks,
    postLogoutRedirectUris: callbacks.map((callback) => new URL('/', callback).href),
  });
  provider.addClient(AGENDA);
});
afterAll(async () => {
  for (const stop of toStop.reverse()) await stop();
});

const AGENDA = {
  clientId: 'agenda',
  clientSecret: 'agenda-secret-0123456789abcdef',
  name: 'Agenda des tiers-lieux',
  redirectUris: ['http://127.0.0.1:9/agenda/callback'],
};

async function startLogin(browser: TestBrowser, url: string, returnTo = '/') {
  const login = await browser.fetch(`${url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  expect(login.status).toBe(303);
  return signInAtProvider(browser, login.headers.get('location')!, CREDENTIALS, (next) =>
    next.includes('/auth/callback'),
  );
}

async function signIn(browser: TestBrowser, url: string, returnTo = '/') {
  return browser.fetch(await startLogin(browser, url, returnTo));
}

function graphql(browser: TestBrowser, url: string, headers: Record<string, string> = {}) {
  return browser.fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
}

async function sessionOf(browser: TestBrowser, url: string) {
  return (await (await browser.fetch(`${url}/auth/session`)).json()) as {
    signedIn: boolean;
    name?: string;
    csrfToken?: string;
  };
}

function logout(browser: TestBrowser, url: string, csrf: string, headers = {}) {
  return browser.postForm(`${url}/auth/logout`, { csrf }, headers);
}

const inesIdentity = () => ({
  issuer: provider.issuer,
  subject: INES.uuid,
  email: INES.email,
  emailVerified: true,
  name: INES.displayName,
});

describe.each(stores.map(([name]) => name))('sign-in with sessions in %s', (name) => {
  const gateways = () => byStore.get(name)!;

  it('signs in with code and PKCE, and /graphql with the cookie is the person', async () => {
    const { one } = gateways();
    const browser = new TestBrowser();
    const callback = await signIn(browser, one.url, '/espaces?commune=Gap#carte');
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/espaces?commune=Gap#carte');
    const cookie = browser.lastSetCookies.find((line) => line.startsWith('tl_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    // Plain http on this machine: a browser would drop a Secure cookie.
    expect(cookie).not.toMatch(/; Secure/);

    const before = one.asked.length;
    const answer = await graphql(browser, one.url);
    expect(answer.status).toBe(200);
    expect(one.asked.slice(before)).toEqual([inesIdentity()]);
    expect(await sessionOf(browser, one.url)).toMatchObject({
      signedIn: true,
      name: INES.displayName,
    });
  });

  it('keeps CSRF prevention on /graphql for cookie requests', async () => {
    const { one } = gateways();
    const browser = new TestBrowser();
    await signIn(browser, one.url);
    const before = one.asked.length;
    // A simple cross-site GET (no preflight) is refused before any identity is looked up.
    const answer = await browser.fetch(`${one.url}/graphql?query=%7B__typename%7D`);
    expect(answer.status).toBe(400);
    expect(one.asked.length).toBe(before);
  });

  it('revokes the session at once on sign-out, for every replica sharing the store', async () => {
    const { one, two } = gateways();
    const browser = new TestBrowser();
    await signIn(browser, one.url);
    const stolen = browser.cookieHeader();
    // The other replica knows the session.
    expect(await sessionOf(browser, two.url)).toMatchObject({ signedIn: true });

    const { csrfToken } = await sessionOf(browser, one.url);
    const out = await logout(browser, one.url, csrfToken!);
    expect(out.status).toBe(303);
    const endSession = new URL(out.headers.get('location')!);
    expect(endSession.origin).toBe(provider.issuer);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${one.url}/`);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    expect(browser.cookies.has('tl_session')).toBe(false);

    // The cookie replayed after sign-out, on this replica and on the other.
    for (const url of [one.url, two.url]) {
      const replay = new TestBrowser();
      const [pair] = stolen.split('; ').filter((c) => c.startsWith('tl_session='));
      replay.cookies.set('tl_session', pair!.slice('tl_session='.length));
      expect(await sessionOf(replay, url)).toEqual({ signedIn: false });
      const asked = (url === one.url ? one : two).asked;
      const before = asked.length;
      expect((await graphql(replay, url)).status).toBe(200);
      expect(asked.length).toBe(before);
    }
  });

  it('signs out only with the session’s CSRF token, from this site', async () => {
    const { one } = gateways();
    const browser = new TestBrowser();
    await signIn(browser, one.url);
    const { csrfToken } = await sessionOf(browser, one.url);
    expect((await logout(browser, one.url, 'forged')).status).toBe(403);
    expect(
      (await logout(browser, one.url, csrfToken!, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    // Showing the sign-out page changes nothing.
    const page = await browser.fetch(`${one.url}/auth/logout`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Se déconnecter');
    expect(await sessionOf(browser, one.url)).toMatchObject({ signedIn: true });
  });

  it('refuses a callback whose state is not the login’s (login CSRF)', async () => {
    const { one } = gateways();
    const browser = new TestBrowser();
    const callback = new URL(await startLogin(browser, one.url));
    callback.searchParams.set('state', 'forged-state');
    const answer = await browser.fetch(callback);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('La connexion n’a pas abouti');
    expect(browser.cookies.has('tl_session')).toBe(false);

    // The attacker's own callback URL, opened in the victim's browser (no login of its own).
    const attacker = new TestBrowser();
    const planted = await startLogin(attacker, one.url);
    const victim = new TestBrowser();
    expect((await victim.fetch(planted)).status).toBe(400);
    expect(victim.cookies.has('tl_session')).toBe(false);
  });

  it('ends a session left idle, and any session past its absolute lifetime', async () => {
    const { timed } = gateways();
    clock = Date.now();
    const browser = new TestBrowser();
    await signIn(browser, timed.url);
    // Used every 50 s, the session lives past its idle lifetime of 60 s.
    for (let step = 1; step <= 5; step++) {
      clock += 50_000;
      expect(await sessionOf(browser, timed.url), `after ${step * 50} s`).toMatchObject({
        signedIn: true,
      });
    }
    // 250 s in; at 300 s it is over, however recently used.
    clock += 50_001;
    expect(await sessionOf(browser, timed.url)).toEqual({ signedIn: false });

    clock = Date.now();
    const idle = new TestBrowser();
    await signIn(idle, timed.url);
    clock += 59_000;
    expect(await sessionOf(idle, timed.url)).toMatchObject({ signedIn: true });
    clock += 61_000;
    expect(await sessionOf(idle, timed.url)).toEqual({ signedIn: false });
    const before = timed.asked.length;
    await graphql(idle, timed.url);
    expect(timed.asked.length).toBe(before);
  });
});

describe('where sign-in sends the browser back', () => {
  it.each([
    '//evil.example/',
    'https://evil.example/',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    '/\r\nLocation: https://evil.example',
    '/\t/evil.example',
  ])('refuses %s', async (returnTo) => {
    const { one } = byStore.get(stores[0]![0])!;
    const answer = await fetch(`${one.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`, {
      redirect: 'manual',
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('location')).toBeNull();
  });

  it('keeps paths of this site', () => {
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo('/lieux/cantine?jour=jeudi#plan')).toBe('/lieux/cantine?jour=jeudi#plan');
    expect(safeReturnTo('/a/../b')).toBe('/b');
    expect(safeReturnTo('//evil.example')).toBeNull();
  });
});

describe('the session cookie outside loopback', () => {
  it('is Secure and __Host- when the site is https', async () => {
    const browser = new TestBrowser();
    const login = await browser.fetch(`${publicSite.url}/auth/login`);
    expect(browser.lastSetCookies[0]).toMatch(/^__Host-tl_login=.*; Secure/);
    const callback = await signInAtProvider(
      browser,
      login.headers.get('location')!,
      CREDENTIALS,
      (next) => next.startsWith('https://reseau.example/auth/callback'),
    );
    // The TLS proxy hands the request to the gateway.
    const answer = await browser.fetch(
      `${publicSite.url}${new URL(callback).pathname}${new URL(callback).search}`,
    );
    expect(answer.status).toBe(303);
    const cookie = browser.lastSetCookies.find((line) => line.startsWith('__Host-tl_session='))!;
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
    const before = publicSite.asked.length;
    await graphql(browser, publicSite.url);
    expect(publicSite.asked.slice(before)).toEqual([inesIdentity()]);
  });
});

describe('bearer tokens of the provider', () => {
  const otherKey = newSigningKey();

  async function sign(
    key: Record<string, unknown>,
    claims: Record<string, unknown>,
    options: { issuer?: string; audience?: string; expiresAt?: number } = {},
  ) {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: String(signingKey.kid), typ: 'at+jwt' })
      .setIssuer(options.issuer ?? provider.issuer)
      .setAudience(options.audience ?? API)
      .setSubject(INES.uuid)
      .setIssuedAt()
      .setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 600)
      .sign(await importJWK(key as JWK, 'RS256'));
  }

  /** A third-party frontend signs Inès in at the provider and gets its tokens. */
  async function agendaTokens() {
    const config = await oidc.discovery(
      new URL(provider.issuer),
      AGENDA.clientId,
      AGENDA.clientSecret,
      undefined,
      { execute: [oidc.allowInsecureRequests] },
    );
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authorize = oidc.buildAuthorizationUrl(config, {
      redirect_uri: AGENDA.redirectUris[0]!,
      scope: 'openid email profile network',
      resource: API,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const callback = await signInAtProvider(
      new TestBrowser(),
      authorize.href,
      CREDENTIALS,
      (next) => next.startsWith(AGENDA.redirectUris[0]!),
    );
    return oidc.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
  }

  async function ask(url: string, token: string) {
    const answer = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    return { status: answer.status, body: (await answer.json()) as any };
  }

  it('accepts the provider’s access token for the API, and refuses its ID token', async () => {
    const { one } = byStore.get(stores[0]![0])!;
    const tokens = await agendaTokens();
    const before = one.asked.length;
    const accepted = await ask(one.url, tokens.access_token);
    expect(accepted.body.errors).toBeUndefined();
    expect(one.asked.slice(before)).toEqual([
      {
        issuer: provider.issuer,
        subject: INES.uuid,
        email: null,
        emailVerified: false,
        name: null,
      },
    ]);
    const idToken = await ask(one.url, tokens.id_token!);
    expect(idToken.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // A gateway that names no API audience takes no token of the provider.
    const refused = await ask(noApiAudience.url, tokens.access_token);
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['forged (another key, the provider’s key id)', () => sign(otherKey, {})],
    ['expired', () => sign(signingKey, {}, { expiresAt: Math.floor(Date.now() / 1000) - 120 })],
    ['for another audience', () => sign(signingKey, {}, { audience: CLIENT.clientId })],
    [
      'of another provider',
      () => sign(otherKey, {}, { issuer: 'https://autre-fournisseur.example' }),
    ],
    ['not a JWT', async () => 'not-a-token'],
  ])('refuses a token %s as UNAUTHENTICATED', async (_what, make) => {
    const { one } = byStore.get(stores[0]![0])!;
    const before = one.asked.length;
    const answer = await ask(one.url, await make());
    expect(answer.status).toBe(401);
    expect(answer.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(answer.body.data).toBeUndefined();
    expect(one.asked.length).toBe(before);
  });

  it('proves its keys were real: the same token signed with the provider’s key passes', async () => {
    const { one } = byStore.get(stores[0]![0])!;
    const answer = await ask(one.url, await sign(signingKey, { email: INES.email }));
    expect(answer.body.errors).toBeUndefined();
  });
});
