import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../src/auth.js';
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

  it('verifies tokens against a JWKS URL, with audience and issuer', async () => {
    const authenticate = await createAuthenticator({
      keys: { kind: 'jwks', url: jwksUrl },
      audience: 'tiers-lieux-network',
      issuer: 'https://id.example.org/',
    });
    expect(
      await authenticate(request(`Bearer ${await token({ role: 'manager', partner: 'cantine' })}`)),
    ).toEqual({ kind: 'manager', partner: 'cantine' });
    expect(
      await authenticate(
        request(
          `Bearer ${await token({ role: 'member', member: 'laserre:member:d05c7e9f-1b3d-4f5b-8d7e-9a1c3d5f7b85' })}`,
        ),
      ),
    ).toEqual({
      kind: 'member',
      partner: 'laserre',
      memberId: 'laserre:member:d05c7e9f-1b3d-4f5b-8d7e-9a1c3d5f7b85',
    });
    expect(await authenticate(request())).toEqual({ kind: 'anonymous' });
    await expect(
      authenticate(request(`Bearer ${await token({ role: 'coordinator' }, 'another-audience')}`)),
    ).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
    const stranger = await generateKeyPair('RS256');
    await expect(
      authenticate(
        request(`Bearer ${await token({ role: 'coordinator' }, undefined, stranger.privateKey)}`),
      ),
    ).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('verifies tokens against a PEM public key', async () => {
    const authenticate = await createAuthenticator({
      keys: { kind: 'publicKey', pem: await exportSPKI(keys.publicKey), algorithm: 'RS256' },
      audience: 'tiers-lieux-network',
    });
    expect(await authenticate(request(`Bearer ${await token({ role: 'coordinator' })}`))).toEqual({
      kind: 'coordinator',
    });
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
    expect(config.limits).toEqual({ maxDepth: 8 });
    expect(config.introspection).toBe(false);
    expect(config.inflightDeduplication).toBe(false);
    expect(loadConfig({}).inflightDeduplication).toBe(true);
  });
});
