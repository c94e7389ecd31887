import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAuthenticator,
  DEV_TOKEN_ISSUER,
  devSubject,
  firstIdentity,
  issueDevToken,
} from '../src/auth.js';
import { ConfigError, loadConfig } from '../src/config.js';

const request = (authorization?: string) =>
  ({ headers: authorization ? { authorization } : {} }) as IncomingMessage;

describe('bearer tokens from an identity provider', () => {
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwksUrl: string;
  const server = createServer(async (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }],
      }),
    );
  });
  beforeAll(async () => {
    keys = await generateKeyPair('RS256');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const token = (
    claims: Record<string, unknown>,
    audience = 'tiers-lieux-network',
    key = keys.privateKey,
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setAudience(audience)
      .setIssuer('https://id.example.org/')
      .setExpirationTime('5m')
      .sign(key);

  it('verifies tokens against a JWKS URL, with audience and issuer, and gives the identity', async () => {
    const authenticate = await createAuthenticator({
      keys: { kind: 'jwks', url: jwksUrl },
      audience: 'tiers-lieux-network',
      issuer: 'https://id.example.org/',
    });
    expect(
      await authenticate(
        request(
          `Bearer ${await token({ sub: 'u-42', email: 'ines.benali@example.org', email_verified: true, name: 'Inès Benali', role: 'coordinator', partner: 'cantine' })}`,
        ),
      ),
    ).toEqual({
      issuer: 'https://id.example.org/',
      subject: 'u-42',
      email: 'ines.benali@example.org',
      emailVerified: true,
      name: 'Inès Benali',
    });
    expect(await authenticate(request(`Bearer ${await token({ sub: 'u-43' })}`))).toEqual({
      issuer: 'https://id.example.org/',
      subject: 'u-43',
      email: null,
      emailVerified: false,
      name: null,
    });
    expect(await authenticate(request())).toBeNull();
    await expect(
      authenticate(request(`Bearer ${await token({ sub: 'u-42' }, 'another-audience')}`)),
    ).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
    const stranger = await generateKeyPair('RS256');
    await expect(
      authenticate(
        request(`Bearer ${await token({ sub: 'u-42' }, undefined, stranger.privateKey)}`),
      ),
    ).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    // A token that names nobody says nothing the network could link.
    await expect(
      authenticate(request(`Bearer ${await token({ role: 'coordinator' })}`)),
    ).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('verifies tokens against a PEM public key', async () => {
    const authenticate = await createAuthenticator({
      keys: { kind: 'publicKey', pem: await exportSPKI(keys.publicKey), algorithm: 'RS256' },
      audience: 'tiers-lieux-network',
    });
    expect(await authenticate(request(`Bearer ${await token({ sub: 'u-1' })}`))).toMatchObject({
      issuer: 'https://id.example.org/',
      subject: 'u-1',
    });
  });
});

describe('development tokens', () => {
  const secret = 'a-development-secret-0123456789abcdef';
  const options = { audience: 'tiers-lieux-network' };

  it('name a person by a verified email, issued by tiers-lieux-dev', async () => {
    const authenticate = await createAuthenticator({
      keys: { kind: 'secret', secret },
      ...options,
    });
    const token = await issueDevToken({ email: 'Karim.Haddad@lacantine.example' }, secret, options);
    expect(await authenticate(request(`Bearer ${token}`))).toEqual({
      issuer: DEV_TOKEN_ISSUER,
      subject: devSubject('karim.haddad@lacantine.example'),
      email: 'Karim.Haddad@lacantine.example',
      emailVerified: true,
      name: null,
    });
  });

  it('refuse an expired, forged or other-issuer token', async () => {
    const authenticate = await createAuthenticator({
      keys: { kind: 'secret', secret },
      ...options,
    });
    const hs256 = (claims: Record<string, unknown>, key = secret) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setAudience(options.audience)
        .setSubject('dev:someone@example.org')
        .sign(new TextEncoder().encode(key));
    const now = Math.floor(Date.now() / 1000);
    for (const bad of [
      await hs256({ iss: DEV_TOKEN_ISSUER, exp: now - 3600 }),
      await hs256(
        { iss: DEV_TOKEN_ISSUER, exp: now + 3600 },
        'another-secret-0123456789abcdefghij',
      ),
      await hs256({ iss: 'someone-else', exp: now + 3600 }),
      await hs256({ exp: now + 3600 }),
    ]) {
      await expect(authenticate(request(`Bearer ${bad}`))).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      });
    }
  });

  it('tries each way of signing in in turn', async () => {
    const bearer = await createAuthenticator({ keys: { kind: 'secret', secret }, ...options });
    const session = async () => ({
      issuer: 'https://id.example.org/',
      subject: 'from-a-session',
      email: null,
      emailVerified: false,
      name: null,
    });
    const identify = firstIdentity(bearer, session);
    const token = await issueDevToken({ email: 'a@example.org' }, secret, options);
    expect(await identify(request(`Bearer ${token}`))).toMatchObject({
      subject: 'dev:a@example.org',
    });
    expect(await identify(request())).toMatchObject({ subject: 'from-a-session' });
    expect(await firstIdentity(bearer)(request())).toBeNull();
  });
});

describe('gateway configuration', () => {
  it('refuses production without a viewer secret and a real identity provider', () => {
    try {
      loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32) });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
        'VIEWER_SIGNING_KEY',
        'AUTH_SECRET',
      ]);
    }
  });

  it('reads limits, timeouts and the identity provider', () => {
    const config = loadConfig({
      AUTH_JWKS_URL: 'https://id.example.org/jwks.json',
      PARTNER_TIMEOUT_MS: '1500',
      LIMIT_MAX_DEPTH: '8',
      INTROSPECTION: 'false',
      SHARE_INFLIGHT_FETCHES: 'false',
    });
    expect(config.auth).toEqual({
      keys: { kind: 'jwks', url: 'https://id.example.org/jwks.json' },
      audience: 'tiers-lieux-network',
      issuer: undefined,
    });
    expect(config.partnerTimeoutMs).toBe(1500);
    expect(config.networkTimeoutMs).toBe(1500);
    expect(loadConfig({ NETWORK_TIMEOUT_MS: '5000' }).networkTimeoutMs).toBe(5000);
    expect(loadConfig({ NETWORK_TIMEOUT_MS: '5000' }).partnerTimeoutMs).toBe(2000);
    expect(config.limits).toEqual({ maxDepth: 8 });
    expect(config.introspection).toBe(false);
    expect(config.inflightDeduplication).toBe(false);
    expect(loadConfig({}).inflightDeduplication).toBe(true);
    expect(loadConfig({}).peopleCacheSeconds).toBe(5);
    // Without NODE_ENV unexpected errors are masked; development and tests must say so.
    expect(loadConfig({}).maskErrors).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).maskErrors).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).maskErrors).toBe(false);
    expect(loadConfig({ PEOPLE_CACHE_SECONDS: '0' }).peopleCacheSeconds).toBe(0);
  });
});
