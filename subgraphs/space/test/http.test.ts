import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { generateViewerKeys, signViewer, VIEWER_HEADER, type Viewer } from '@tiers-lieux/schema';
import { serveOnLoopback } from '@tiers-lieux/subgraph-shell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/server.js';
import { createHarness, type Harness } from './harness.js';

const KEYS = generateViewerKeys();

describe('the partner subgraph over HTTP', () => {
  let h: Harness;
  let url: string;
  let stop: () => Promise<void>;
  let memberId: string;
  beforeAll(async () => {
    h = await createHarness({ partner: 'cantine' });
    memberId = (await h.seed.member({ displayName: 'Thomas Garcia', email: 'thomas@example.org' }))
      .publicId;
    ({ url, stop } = await serveOnLoopback(
      createServer({
        db: h.db,
        partner: 'cantine',
        viewerPublicKey: KEYS.publicKey,
        production: true,
        log: () => {},
      }),
    ));
  });
  afterAll(async () => {
    await stop();
    await h.close();
  });

  async function readEmail(header?: string) {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(header ? { [VIEWER_HEADER]: header } : {}),
      },
      body: JSON.stringify({
        query: 'query ($id: ID!) { member(id: $id) { email } }',
        variables: { id: memberId },
      }),
    });
    return ((await response.json()) as { data: { member: { email: string | null } | null } }).data
      .member;
  }

  const manager: Viewer = { kind: 'manager', partner: 'cantine' };

  it('trusts a viewer signed by the gateway for this partner', async () => {
    const header = await signViewer(manager, KEYS.signingKey, {
      audience: 'partner:cantine',
    });
    expect(await readEmail(header)).toEqual({ email: 'thomas@example.org' });
  });

  it('treats an absent, forged, expired or misdirected viewer as anonymous', async () => {
    const forged = await signViewer(manager, generateViewerKeys().signingKey, {
      audience: 'partner:cantine',
    });
    // The public key is no secret: a header "signed" with it as an HMAC key must not pass.
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      viewer: manager,
      iss: 'tiers-lieux-gateway',
      aud: 'partner:cantine',
      exp: Math.floor(Date.now() / 1000) + 60,
    };
    const signedPart = `${part({ alg: 'HS256' })}.${part(claims)}`;
    const confused = `${signedPart}.${createHmac('sha256', KEYS.publicKey).update(signedPart).digest('base64url')}`;
    const otherPartner = await signViewer(manager, KEYS.signingKey, {
      audience: 'partner:laserre',
    });
    const expired = await signViewer(manager, KEYS.signingKey, {
      audience: 'partner:cantine',
      ttlSeconds: -10,
    });
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ viewer: manager })).toString('base64url')}.`;
    for (const header of [
      undefined,
      forged,
      confused,
      otherPartner,
      expired,
      unsigned,
      'garbage',
    ]) {
      expect(await readEmail(header)).toBeNull();
    }
  });

  it('masks unexpected errors in production and keeps coded ones', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ space(id: "nope") { name } }' }),
    });
    const body = (await response.json()) as {
      errors: { message: string; extensions: Record<string, unknown> }[];
    };
    expect(body.errors[0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(JSON.stringify(body)).not.toContain('stacktrace');
    expect(server().port).toBeGreaterThan(0);
  });

  function server(): AddressInfo {
    return { address: '127.0.0.1', family: 'IPv4', port: Number(new URL(url).port) };
  }
});
