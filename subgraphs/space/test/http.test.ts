import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import {
  generateViewerKeys,
  requestHash,
  signViewer,
  VIEWER_HEADER,
  type BoundRequest,
  type Viewer,
} from '@tiers-lieux/schema';
import { serveOnLoopback, testViewers } from '@tiers-lieux/subgraph-shell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/server.js';
import { createHarness, type Harness } from './harness.js';

const KEYS = generateViewerKeys();

describe('the partner subgraph over HTTP', () => {
  let h: Harness;
  let url: string;
  let stop: () => Promise<void>;
  let memberId: string;
  let otherMemberId: string;
  beforeAll(async () => {
    h = await createHarness({ partner: 'cantine' });
    memberId = (await h.seed.member({ displayName: 'Thomas Garcia', email: 'thomas@example.org' }))
      .publicId;
    otherMemberId = (await h.seed.member({ displayName: 'Inès Moreau' })).publicId;
    ({ url, stop } = await serveOnLoopback(
      createServer({
        db: h.db,
        partner: 'cantine',
        viewerPublicKey: KEYS.publicKey,
        production: true,
      }),
    ));
  });
  afterAll(async () => {
    await stop();
    await h.close();
  });

  const READ_EMAIL = 'query ($id: ID!) { member(id: $id) { email } }';
  const readEmailRequest = (): BoundRequest => ({
    query: READ_EMAIL,
    variables: { id: memberId },
  });

  async function readEmail(header?: string, request: BoundRequest = readEmailRequest()) {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(header ? { [VIEWER_HEADER]: header } : {}),
      },
      body: JSON.stringify(request),
    });
    const body = (await response.json()) as {
      data: { member: { email: string | null } | null };
    };
    return body.data.member;
  }

  const manager: Viewer = testViewers.manager('cantine');
  /** A manager's header, as the gateway signs it for one request to this partner. */
  const managerHeader = (request: BoundRequest = readEmailRequest()) =>
    signViewer(manager, KEYS.signingKey, { audience: 'partner:cantine', request });

  it('trusts a viewer signed by the gateway for this partner', async () => {
    const header = await signViewer(manager, KEYS.signingKey, {
      audience: 'partner:cantine',
      request: readEmailRequest(),
    });
    expect(await readEmail(header)).toEqual({ email: 'thomas@example.org' });
  });

  it('accepts a header once: used again, it is anonymous', async () => {
    const header = await managerHeader();
    expect(await readEmail(header)).toEqual({ email: 'thomas@example.org' });
    expect(await readEmail(header)).toBeNull();
    expect(await readEmail(await managerHeader())).toEqual({ email: 'thomas@example.org' });
  });

  it('treats a header that came with another document, variables or operation name as anonymous', async () => {
    const withName = { ...readEmailRequest(), query: `query Read${READ_EMAIL.slice(5)}` };
    const cases: [signedFor: BoundRequest, sent: BoundRequest][] = [
      [readEmailRequest(), { ...readEmailRequest(), variables: { id: otherMemberId } }],
      [
        readEmailRequest(),
        {
          query: 'query ($id: ID!) { member(id: $id) { email phone } }',
          variables: { id: memberId },
        },
      ],
      [
        { ...withName, operationName: 'Read' },
        { ...withName, operationName: null },
      ],
      [{ query: READ_EMAIL }, readEmailRequest()],
    ];
    for (const [signedFor, sent] of cases) {
      expect(await readEmail(await managerHeader(signedFor), sent)).toBeNull();
    }
    // The request it was signed for, with its variables in another order: the same request.
    const twoVariables = {
      query: 'query ($id: ID!, $n: Int!) { member(id: $id) { email visits(first: $n) { id } } }',
      variables: { id: memberId, n: 5 },
    };
    const reordered = { ...twoVariables, variables: { n: 5, id: memberId } };
    expect(await readEmail(await managerHeader(twoVariables), reordered)).toEqual({
      email: 'thomas@example.org',
      visits: [],
    });
  });

  it('treats an absent, forged, expired or misdirected viewer as anonymous', async () => {
    const forged = await signViewer(manager, generateViewerKeys().signingKey, {
      audience: 'partner:cantine',
      request: readEmailRequest(),
    });
    // The public key is no secret: a header "signed" with it as an HMAC key must not pass.
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      viewer: manager,
      iss: 'tiers-lieux-gateway',
      aud: 'partner:cantine',
      exp: Math.floor(Date.now() / 1000) + 60,
      jti: 'confused',
      requestHash: requestHash(readEmailRequest()),
    };
    const signedPart = `${part({ alg: 'HS256' })}.${part(claims)}`;
    const confused = `${signedPart}.${createHmac('sha256', KEYS.publicKey).update(signedPart).digest('base64url')}`;
    const otherPartner = await signViewer(manager, KEYS.signingKey, {
      audience: 'partner:laserre',
      request: readEmailRequest(),
    });
    const expired = await signViewer(manager, KEYS.signingKey, {
      audience: 'partner:cantine',
      request: readEmailRequest(),
      ttlSeconds: -10,
    });
    const unbound = await signViewer(manager, KEYS.signingKey, { audience: 'partner:cantine' });
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ viewer: manager })).toString('base64url')}.`;
    for (const header of [
      undefined,
      forged,
      confused,
      otherPartner,
      expired,
      unbound,
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
