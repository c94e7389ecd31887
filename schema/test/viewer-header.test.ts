import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  formatPersonId,
  generateViewerKeys,
  parseId,
  parsePersonId,
  PARTNER_SLUG_PATTERN,
  requestHash,
  SeenViewerTokens,
  signViewer,
  signViewerSync,
  verifyViewer,
  viewerForAudience,
  type Viewer,
} from '../src/index.js';

const PERSON_ID = 'network:person:0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a01';

describe('person ids', () => {
  it('are network:person:<uuid>, and network is no partner', () => {
    const uuid = '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a01';
    expect(formatPersonId(uuid)).toBe(PERSON_ID);
    expect(parsePersonId(PERSON_ID)).toBe(uuid);
    expect(
      parsePersonId(PERSON_ID.toUpperCase().replace('NETWORK:PERSON:', 'network:person:')),
    ).toBe(uuid);
    for (const other of [
      'network:person:nope',
      'cantine:member:' + uuid,
      `network:person:${uuid}:x`,
    ])
      expect(parsePersonId(other)).toBeNull();
    expect(parseId(PERSON_ID)).toBeNull();
    expect(parseId(`network:space:${uuid}`)).toBeNull();
    expect(PARTNER_SLUG_PATTERN.test('network')).toBe(false);
    expect(PARTNER_SLUG_PATTERN.test('networks')).toBe(true);
  });
});

describe('viewerForAudience', () => {
  const person: Viewer = {
    kind: 'person',
    personId: PERSON_ID,
    coordinator: true,
    manages: ['cantine', 'laserre'],
    staffs: ['laserre', 'baronnies'],
  };

  it('tells the network everything, and a partner only the roles that concern it', () => {
    expect(viewerForAudience(person, 'network')).toEqual(person);
    expect(viewerForAudience(person, 'partner:laserre')).toEqual({
      ...person,
      manages: ['laserre'],
      staffs: ['laserre'],
    });
    expect(viewerForAudience(person, 'partner:locomotive')).toEqual({
      ...person,
      manages: [],
      staffs: [],
    });
    expect(viewerForAudience(person, 'elsewhere')).toEqual({ ...person, manages: [], staffs: [] });
  });

  it('makes the gateway anonymous to everyone but the network', () => {
    expect(viewerForAudience({ kind: 'gateway' }, 'network')).toEqual({ kind: 'gateway' });
    expect(viewerForAudience({ kind: 'gateway' }, 'partner:cantine')).toEqual({
      kind: 'anonymous',
    });
    expect(viewerForAudience({ kind: 'anonymous' }, 'partner:cantine')).toEqual({
      kind: 'anonymous',
    });
  });
});

describe('requestHash', () => {
  const request = {
    query: 'query ($a: Int, $b: [In!]) { x }',
    operationName: null,
    variables: { a: 1, b: [{ z: 1, y: null }] },
  };

  it('is the same whatever the order of the keys, and as the request travels as JSON', () => {
    const reordered = { variables: { b: [{ y: null, z: 1 }], a: 1 }, query: request.query };
    expect(requestHash(reordered)).toBe(requestHash(request));
    expect(requestHash(JSON.parse(JSON.stringify(request)))).toBe(requestHash(request));
    expect(requestHash({ ...request, variables: { ...request.variables, gone: undefined } })).toBe(
      requestHash(request),
    );
    expect(requestHash({ query: '{ x }' })).toBe(
      requestHash({ query: '{ x }', variables: {}, operationName: null }),
    );
    expect(requestHash(request)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs with the document, the operation name or any variable', () => {
    const hashes = [
      request,
      { ...request, query: 'query ($a: Int, $b: [In!]) { y }' },
      { ...request, operationName: 'X' },
      { ...request, variables: { ...request.variables, a: 2 } },
      { ...request, variables: { ...request.variables, a: '1' } },
      { ...request, variables: { ...request.variables, b: [{ z: 1 }] } },
    ].map(requestHash);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('writes keys in one order at every depth', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: '"' })).toBe('{"a":"\\"","b":[{"c":2,"d":1}]}');
  });
});

describe('SeenViewerTokens', () => {
  it('accepts an id once, until it expires', () => {
    const seen = new SeenViewerTokens();
    expect(seen.claim('a', 2_000, 1_000)).toBe(true);
    expect(seen.claim('a', 2_000, 1_500)).toBe(false);
    expect(seen.claim('b', 3_000, 2_500)).toBe(true);
    expect(seen.size).toBe(1);
  });

  it('refuses new ids when full of live ones, rather than forget one that could be replayed', () => {
    const seen = new SeenViewerTokens(2);
    expect(seen.claim('a', 10_000, 0)).toBe(true);
    expect(seen.claim('long', 50_000, 0)).toBe(true);
    expect(seen.claim('c', 10_000, 1)).toBe(false);
    expect(seen.claim('a', 10_000, 2)).toBe(false);
    // Once `a` has expired there is room again.
    expect(seen.claim('c', 20_000, 10_000)).toBe(true);
    expect(seen.claim('long', 50_000, 10_001)).toBe(false);
  });
});

describe('verifyViewer', () => {
  const keys = generateViewerKeys();
  const viewer: Viewer = {
    kind: 'person',
    personId: PERSON_ID,
    coordinator: true,
    manages: ['cantine'],
    staffs: [],
  };
  const request = { query: '{ partners { slug } }' };

  it('trusts a header for the request it was signed for, once', async () => {
    const seen = new SeenViewerTokens();
    const header = await signViewer(viewer, keys.signingKey, { audience: 'network', request });
    const verify = () =>
      verifyViewer(header, keys.publicKey, { audience: 'network', request, seen });
    expect(await verify()).toEqual(viewer);
    expect(await verify()).toEqual({ kind: 'anonymous' });
  });

  it('carries a person’s email only when signed with it, and never as part of the viewer it projects', async () => {
    const seen = new SeenViewerTokens();
    const mutation = {
      query: 'mutation { registerForEvent(input: { eventId: "x" }) { error { code } } }',
    };
    const audience = 'partner:cantine';
    const told = await signViewer(viewer, keys.signingKey, {
      audience,
      request: mutation,
      email: 'lea@example.org',
    });
    expect(await verifyViewer(told, keys.publicKey, { audience, request: mutation, seen })).toEqual(
      {
        ...viewerForAudience(viewer, audience),
        email: 'lea@example.org',
      },
    );
    const untold = await signViewer(viewer, keys.signingKey, { audience, request: mutation });
    expect(
      await verifyViewer(untold, keys.publicKey, { audience, request: mutation, seen }),
    ).not.toHaveProperty('email');
    expect(
      viewerForAudience({ ...(viewer as object), email: 'lea@example.org' } as Viewer, audience),
    ).not.toHaveProperty('email');
  });

  it('trusts a header signed synchronously as one signed by signViewer', async () => {
    const seen = new SeenViewerTokens();
    const header = signViewerSync(viewer, keys.signingKey, { audience: 'network', request });
    const verify = (audience: string, bound: typeof request) =>
      verifyViewer(header, keys.publicKey, { audience, request: bound, seen });
    expect(await verify('partner:cantine', request)).toEqual({ kind: 'anonymous' });
    expect(await verify('network', { query: '{ partners { subgraphUrl } }' })).toEqual({
      kind: 'anonymous',
    });
    expect(await verify('network', request)).toEqual(viewer);
    expect(await verify('network', request)).toEqual({ kind: 'anonymous' });
    const claims = JSON.parse(Buffer.from(header.split('.')[1]!, 'base64url').toString()) as {
      exp: number;
      iat: number;
    };
    expect(claims.exp - claims.iat).toBe(10);
  });

  it('gives every header its own id, even for the same request', async () => {
    const seen = new SeenViewerTokens();
    for (let i = 0; i < 3; i++) {
      const header = await signViewer(viewer, keys.signingKey, {
        audience: 'network',
        request,
        requestId: 'one-client-request',
      });
      expect(
        await verifyViewer(header, keys.publicKey, { audience: 'network', request, seen }),
      ).toEqual(viewer);
    }
  });

  it('refuses a header bound to another request, or to none', async () => {
    const seen = new SeenViewerTokens();
    const other = await signViewer(viewer, keys.signingKey, {
      audience: 'network',
      request: { query: '{ partners { slug subgraphUrl } }' },
    });
    const unbound = await signViewer(viewer, keys.signingKey, { audience: 'network' });
    for (const header of [other, unbound]) {
      expect(
        await verifyViewer(header, keys.publicKey, { audience: 'network', request, seen }),
      ).toEqual({
        kind: 'anonymous',
      });
    }
  });

  it('lives for seconds: ten by default, with a few seconds of clock tolerance', async () => {
    const header = await signViewer(viewer, keys.signingKey, { audience: 'network', request });
    const { exp, iat } = JSON.parse(Buffer.from(header.split('.')[1]!, 'base64url').toString()) as {
      exp: number;
      iat: number;
    };
    expect(exp - iat).toBe(10);
    const stale = await signViewer(viewer, keys.signingKey, {
      audience: 'network',
      request,
      ttlSeconds: -6,
    });
    expect(
      await verifyViewer(stale, keys.publicKey, {
        audience: 'network',
        request,
        seen: new SeenViewerTokens(),
      }),
    ).toEqual({ kind: 'anonymous' });
  });

  it('gives a partner the projection of the viewer, whatever the header says', async () => {
    const seen = new SeenViewerTokens();
    const audience = 'partner:cantine';
    const header = signViewerSync(
      { ...viewer, manages: ['cantine', 'laserre'], staffs: ['laserre'] },
      keys.signingKey,
      { audience, request },
    );
    const claims = JSON.parse(Buffer.from(header.split('.')[1]!, 'base64url').toString()) as {
      viewer: Viewer;
    };
    expect(claims.viewer).toEqual({ ...viewer, manages: ['cantine'], staffs: [] });
    expect(await verifyViewer(header, keys.publicKey, { audience, request, seen })).toEqual({
      ...viewer,
      manages: ['cantine'],
      staffs: [],
    });
    const gateway = await signViewer({ kind: 'gateway' }, keys.signingKey, { audience, request });
    expect(await verifyViewer(gateway, keys.publicKey, { audience, request, seen })).toEqual({
      kind: 'anonymous',
    });
    const forNetwork = await signViewer({ kind: 'gateway' }, keys.signingKey, {
      audience: 'network',
      request,
    });
    expect(
      await verifyViewer(forNetwork, keys.publicKey, { audience: 'network', request, seen }),
    ).toEqual({ kind: 'gateway' });
  });

  it('refuses a viewer of an old or malformed kind', async () => {
    const seen = new SeenViewerTokens();
    for (const claim of [
      { kind: 'coordinator' },
      { kind: 'person', personId: 'cantine:member:x', coordinator: false, manages: [], staffs: [] },
      { kind: 'person', personId: PERSON_ID, coordinator: 'yes', manages: [], staffs: [] },
      { kind: 'person', personId: PERSON_ID, coordinator: false, manages: ['network'], staffs: [] },
    ]) {
      const header = await signViewer(claim as Viewer, keys.signingKey, {
        audience: 'network',
        request,
      });
      expect(
        await verifyViewer(header, keys.publicKey, { audience: 'network', request, seen }),
      ).toEqual({ kind: 'anonymous' });
    }
  });
});
