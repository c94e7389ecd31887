import { generateViewerKeys, signViewer, VIEWER_HEADER } from '@tiers-lieux/schema';
import { SEED_SPACE_IDS } from '@tiers-lieux/space-subgraph/seed';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE, AUTH_SECRET, startSeededNetwork, tokens } from '../src/testing/index.js';

interface HostileCase {
  name: string;
  /** The raw request; a string body is sent as is. */
  request: () => Promise<{
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: unknown;
    search?: string;
  }>;
  /** The HTTP status expected, when it matters. */
  status?: number;
  /** The code of the first error (`extensions.code`), or of the payload's `error.code`. */
  code: string;
}

const LASERRE_SPACE = `laserre:space:${SEED_SPACE_IDS.toulouseLaSerre}`;
const CANTINE_SPACE = `cantine:space:${SEED_SPACE_IDS.toulouseLaCantine}`;
const UUID = '6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31';
const json = (query: string, variables?: Record<string, unknown>) => ({
  body: { query, variables },
});
const nested = (depth: number) =>
  `{ spaces { edges { node { ${'events { space { '.repeat(depth)} name ${'} } '.repeat(depth)} } } } }`;
const sign = (
  claims: Record<string, unknown>,
  options: { audience?: string; expires?: string | number; secret?: string } = {},
) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '1h')
    .sign(new TextEncoder().encode(options.secret ?? AUTH_SECRET));
const bearer = async (token: Promise<string> | string) => ({
  authorization: `Bearer ${await token}`,
});

const CASES: HostileCase[] = [
  {
    name: 'malformed JSON',
    request: async () => ({ body: '{"query": "{ spaces { totalCount } }"' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'JSON that is not an object',
    request: async () => ({ body: '"{ spaces { totalCount } }"' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a batch of operations',
    request: async () => ({ body: [{ query: '{ __typename }' }, { query: '{ __typename }' }] }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'wrong content type (CSRF-safe simple request)',
    request: async () => ({
      headers: { 'content-type': 'text/plain' },
      body: '{"query":"{ __typename }"}',
    }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'empty body', request: async () => ({ body: '' }), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'body larger than the limit',
    request: async () => ({ body: { query: `{ __typename } # ${'x'.repeat(2_000_000)}` } }),
    status: 413,
    code: 'BAD_REQUEST',
  },
  {
    name: 'mutation over GET',
    request: async () => ({
      method: 'GET',
      search: `?query=${encodeURIComponent('mutation { suspendPartner(slug: "cantine") { error { code } } }')}`,
      headers: { 'apollo-require-preflight': 'true' },
    }),
    status: 405,
    code: 'BAD_REQUEST',
  },
  {
    name: 'syntax error',
    request: async () => json('{ spaces { '),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  { name: 'empty document', request: async () => json(''), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'unknown field (no suggestion)',
    request: async () => json('{ spacez { totalCount } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'deeply nested document',
    request: async () => json(nested(20)),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'alias bomb',
    request: async () =>
      json(
        `{ spaces { edges { node { ${Array.from({ length: 200 }, (_, i) => `a${i}: name`).join(' ')} } } } }`,
      ),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'huge document (tokens)',
    request: async () => json(`{ ${Array.from({ length: 5000 }, () => '__typename').join(' ')} }`),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'fragment bomb (each level doubles)',
    request: async () =>
      json(
        [
          'query { spaces { edges { node { ...S1 } } } }',
          ...Array.from(
            { length: 15 },
            (_, i) =>
              `fragment S${i + 1} on Space { events { space { ...S${i + 2} } } again: events { space { ...S${i + 2} } } }`,
          ),
          'fragment S16 on Space { name }',
        ].join('\n'),
      ),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'fragment cycle',
    request: async () =>
      json('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'too many root fields',
    request: async () =>
      json(
        `{ ${Array.from({ length: 20 }, (_, i) => `s${i}: spaces(first: 1) { totalCount }`).join(' ')} }`,
      ),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'directive bomb',
    request: async () => json(`{ __typename ${'@include(if: true) '.repeat(60)} }`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'two operations without operationName',
    request: async () => json('query A { __typename } query B { __typename }'),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'unknown operationName',
    request: async () => ({ body: { query: 'query A { __typename }', operationName: 'B' } }),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'variable of the wrong type',
    request: async () => json('query ($n: Int) { spaces(first: $n) { totalCount } }', { n: 'ten' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'Int beyond 32 bits',
    request: async () =>
      json('query ($n: Int) { spaces(first: $n) { totalCount } }', { n: 2 ** 40 }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'negative first',
    request: async () => json('{ spaces(first: -5) { totalCount } }'),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'huge first (over the cost limit)',
    request: async () => json('{ events(first: 1000000) { totalCount } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'first over the page size',
    request: async () => json('{ events(first: 500) { totalCount } }'),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'forged cursor',
    request: async () =>
      json(
        '{ spaces(after: "WyInOyBkcm9wIHRhYmxlIHNwYWNlczsgLS0iLCJub3QtYS11dWlkIl0") { totalCount } }',
      ),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'cursor that is not base64 JSON',
    request: async () => json('{ members(after: "%%%") { totalCount } }'),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'NUL byte in a search',
    request: async () =>
      json('query ($t: String) { spaces(filter: { text: $t }) { totalCount } }', {
        t: 'la\u0000serre',
      }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'overlong search text',
    request: async () =>
      json('query ($t: String) { spaces(filter: { text: $t }) { totalCount } }', {
        t: 'é'.repeat(100_000),
      }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'invalid date literal',
    request: async () =>
      json('{ spaces(filter: { openAt: "2026-13-45T25:00:00+01:00" }) { totalCount } }'),
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'invalid date variable',
    request: async () =>
      json('query ($at: DateTime) { spaces(filter: { openAt: $at }) { totalCount } }', {
        at: 'tomorrow',
      }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'date without offset',
    request: async () => json('{ events(filter: { from: "2026-11-26T10:00:00" }) { totalCount } }'),
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'impossible calendar date',
    request: async () => ({
      ...json('query ($from: Date!) { settlement(from: $from, to: "2026-03-01") { csv } }', {
        from: '2026-02-30',
      }),
      headers: await bearer(tokens.coordinator()),
    }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'infinite coordinate',
    request: async () => ({
      body: '{"query":"query ($lat: Float!) { spaces(filter: { near: { lat: $lat, lon: 5, radiusKm: 10 } }) { totalCount } }","variables":{"lat":1e400}}',
    }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'subnormal radius (found by fuzzing)',
    request: async () =>
      json(
        'query ($r: Float!) { spaces(filter: { near: { lat: 44, lon: 5, radiusKm: $r } }) { totalCount } }',
        { r: 5e-324 },
      ),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'negative radius',
    request: async () =>
      json('{ spaces(filter: { near: { lat: 44, lon: 5, radiusKm: -1 } }) { totalCount } }'),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'id of an unknown partner',
    request: async () => json(`{ space(id: "atlantis:space:${UUID}") { name } }`),
    code: 'UNKNOWN_PARTNER',
  },
  {
    name: 'id that names no partner',
    request: async () => json(`{ event(id: "1 OR 1=1") { title } }`),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'SQL-looking id',
    request: async () =>
      json(`{ member(id: "cantine:member:'; DROP TABLE members; --") { displayName } }`),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'manager writing another partner’s space',
    request: async () => ({
      ...json(
        `mutation { updateSpace(input: { id: "${LASERRE_SPACE}", name: "Pwned" }) { error { code } } }`,
      ),
      headers: await bearer(tokens.manager('cantine')),
    }),
    code: 'FORBIDDEN',
  },
  {
    name: 'mutation naming ids of two partners',
    request: async () => ({
      ...json(
        `mutation { checkIn(input: { memberId: "cantine:member:${UUID}", spaceId: "${LASERRE_SPACE}" }) { error { code } } }`,
      ),
      headers: await bearer(tokens.coordinator()),
    }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'creation for a partner that is not the one named',
    request: async () => ({
      ...json(
        `mutation { createSpace(input: { partner: "atlantis", name: "X", kinds: [COWORKING], address: { postalCode: "31000", commune: "Toulouse", inseeCode: "31555", department: "31" }, location: { lat: 43.6, lon: 1.44 } }) { error { code } } }`,
      ),
      headers: await bearer(tokens.coordinator()),
    }),
    code: 'UNKNOWN_PARTNER',
  },
  {
    name: 'malformed opening hours',
    request: async () => ({
      ...json(
        `mutation { updateSpace(input: { id: "${CANTINE_SPACE}", openingHours: "Mo-Fr 25:00-26:00" }) { error { code } } }`,
      ),
      headers: await bearer(tokens.manager('cantine')),
    }),
    code: 'INVALID_INPUT',
  },
  {
    name: 'SQL-looking and odd Unicode name',
    request: async () => ({
      ...json(
        `mutation ($n: String!) { updateSpace(input: { id: "${CANTINE_SPACE}", name: $n }) { error { code } } }`,
        { n: "Robert'); DROP TABLE spaces;--\u202e\u0000" },
      ),
      headers: await bearer(tokens.manager('cantine')),
    }),
    code: 'INVALID_INPUT',
  },
  {
    name: 'anonymous mutation',
    request: async () =>
      json(`mutation { cancelEvent(input: { id: "cantine:event:${UUID}" }) { error { code } } }`),
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'redemption by a manager of another partner',
    request: async () => ({
      ...json(
        `mutation { redeemPass(input: { code: "XM5B-659N-D5F7", spaceId: "${CANTINE_SPACE}", startedAt: "2026-11-20T09:00:00+01:00", minutes: 60, idempotencyKey: "hostile-key-1" }) { error { code } } }`,
      ),
      headers: await bearer(tokens.manager('locomotive')),
    }),
    code: 'FORBIDDEN',
  },
  {
    name: 'settlement as anonymous',
    request: async () => json('{ settlement(from: "2026-11-01", to: "2026-11-30") { csv } }'),
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'settlement as a manager',
    request: async () => ({
      ...json('{ settlement(from: "2026-11-01", to: "2026-11-30") { csv } }'),
      headers: await bearer(tokens.manager('cantine')),
    }),
    code: 'FORBIDDEN',
  },
  {
    name: 'bearer token with a forged signature',
    request: async () => ({
      ...json('{ __typename }'),
      headers: await bearer(
        sign({ role: 'coordinator' }, { secret: 'not-the-secret-not-the-secret-not-the-secret' }),
      ),
    }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'expired bearer token',
    request: async () => ({
      ...json('{ __typename }'),
      headers: await bearer(
        sign({ role: 'coordinator' }, { expires: Math.floor(Date.now() / 1000) - 60 }),
      ),
    }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'bearer token for another audience',
    request: async () => ({
      ...json('{ __typename }'),
      headers: await bearer(sign({ role: 'coordinator' }, { audience: 'someone-else' })),
    }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'unsigned ("alg": "none") bearer token',
    request: async () => ({
      ...json('{ __typename }'),
      headers: {
        authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ role: 'coordinator', aud: AUDIENCE, exp: 9999999999 })).toString('base64url')}.`,
      },
    }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'bearer token without a role',
    request: async () => ({
      ...json('{ __typename }'),
      headers: await bearer(sign({ role: 'admin' })),
    }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'garbage Authorization header',
    request: async () => ({
      ...json('{ __typename }'),
      headers: { authorization: 'Basic YWRtaW46YWRtaW4=' },
    }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'forged viewer header sent to the gateway',
    request: async () => ({
      ...json('{ settlement(from: "2026-11-01", to: "2026-11-30") { csv } }'),
      headers: {
        [VIEWER_HEADER]: await signViewer(
          {
            kind: 'person',
            personId: 'network:person:0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a01',
            coordinator: true,
            manages: [],
            staffs: [],
          },
          generateViewerKeys().signingKey,
          { audience: 'network' },
        ),
      },
    }),
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'pass code with a typo',
    request: async () => json('{ pass(code: "ZZZZ-ZZZZ-ZZZZ") { entriesLeft } }'),
    code: 'BAD_USER_INPUT',
  },
];

describe('hostile requests through the gateway', () => {
  let network: Awaited<ReturnType<typeof startSeededNetwork>>;
  beforeAll(async () => {
    network = await startSeededNetwork({ maxBodyBytes: 1_000_000, production: true });
  });
  afterAll(() => network?.stop());

  it(`answers each of ${CASES.length} hostile requests with a clear coded error, keeps serving, and changes nothing`, async () => {
    const before = await network.dump();
    const outcomes: string[] = [];
    for (const hostile of CASES) {
      const {
        method = 'POST',
        path = '/graphql',
        headers = {},
        body,
        search = '',
      } = await hostile.request();
      const response = await fetch(`${network.gateway.url}${path}${search}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(method === 'POST'
          ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
          : {}),
      });
      expect(response.status, hostile.name).toBeLessThan(500);
      if (hostile.status) expect(response.status, hostile.name).toBe(hostile.status);
      const text = await response.text();
      const answer = JSON.parse(text) as {
        data?: Record<string, { error?: { code: string } } | null> | null;
        errors?: { extensions?: { code?: string } }[];
      };
      const payloadCode = Object.values(answer.data ?? {}).find(
        (v) => v && typeof v === 'object' && v.error,
      )?.error?.code;
      const code = answer.errors?.[0]?.extensions?.code ?? payloadCode;
      expect(code, `${hostile.name}: ${text.slice(0, 300)}`).toBe(hostile.code);
      expect(text, hostile.name).not.toMatch(/stacktrace|at .+\.(ts|js):\d+/);
      outcomes.push(`${hostile.name} → ${response.status} ${code}`);
    }
    console.log(`${CASES.length} hostile requests:\n  ${outcomes.join('\n  ')}`);
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(await (await fetch(`${network.gateway.url}/health`)).json()).toEqual({ status: 'ok' });
    const still = await fetch(`${network.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ spaces { totalCount } }' }),
    });
    expect(await still.json()).toEqual({ data: { spaces: { totalCount: 6 } } });
    expect(await network.dump()).toEqual(before);
  });
});
