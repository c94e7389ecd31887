import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SeenViewerTokens, VIEWER_HEADER, verifyViewer, type Viewer } from '@tiers-lieux/schema';
import { SEEDED_PEOPLE, seededPersonId } from '@tiers-lieux/schema/seed-people';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_TOKEN_ISSUER } from '../src/auth.js';
import {
  cachedPeople,
  networkPeople,
  SIGN_IN_MUTATION,
  type Identity,
  type PeopleDirectory,
} from '../src/people.js';
import { viewerHeadersSignedWith } from '../src/viewer-headers.js';
import {
  AUDIENCE,
  AUTH_SECRET,
  post,
  seededPeople,
  startGateway,
  startPartner,
  TablePeople,
  tokens,
  VIEWER_KEYS,
  type RunningPartner,
} from '../src/testing/index.js';

const identity = (subject: string, email: string | null = null): Identity => ({
  issuer: DEV_TOKEN_ISSUER,
  subject,
  email,
  emailVerified: email !== null,
  name: null,
});
const person = (n: number, roles: Partial<Extract<Viewer, { kind: 'person' }>> = {}): Viewer => ({
  kind: 'person',
  personId: `network:person:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  coordinator: false,
  manages: [],
  staffs: [],
  ...roles,
});

/** A directory that answers from a list the test changes, and counts and holds its lookups. */
class ScriptedPeople implements PeopleDirectory {
  lookups = 0;
  answer: Viewer | Error = person(1);
  gate: Promise<void> = Promise.resolve();
  async viewerFor(): Promise<Viewer> {
    this.lookups++;
    await this.gate;
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}

describe('cachedPeople', () => {
  it('keeps an answer for its seconds, then asks again', async () => {
    let now = 1_000_000;
    const source = new ScriptedPeople();
    const people = cachedPeople(source, { seconds: 5, now: () => now });
    expect(await people.viewerFor(identity('a'))).toEqual(person(1));
    source.answer = person(1, { coordinator: true });
    now += 4_999;
    expect(await people.viewerFor(identity('a'))).toEqual(person(1));
    expect(source.lookups).toBe(1);
    now += 1;
    expect(await people.viewerFor(identity('a'))).toEqual(person(1, { coordinator: true }));
    expect(source.lookups).toBe(2);
  });

  it('shares a lookup in flight, and remembers no failure', async () => {
    const source = new ScriptedPeople();
    let open!: () => void;
    source.gate = new Promise((resolve) => (open = resolve));
    source.answer = new Error('network down');
    const people = cachedPeople(source, { seconds: 5 });
    const both = Promise.allSettled([
      people.viewerFor(identity('a')),
      people.viewerFor(identity('a')),
    ]);
    open();
    expect((await both).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(source.lookups).toBe(1);
    source.answer = person(2);
    expect(await people.viewerFor(identity('a'))).toEqual(person(2));
    expect(source.lookups).toBe(2);
  });

  it('tells identities apart, and forgets the oldest past its bound', async () => {
    const source = new ScriptedPeople();
    const people = cachedPeople(source, { seconds: 60, maxEntries: 2 });
    for (const subject of ['a', 'b', 'c']) await people.viewerFor(identity(subject));
    expect(source.lookups).toBe(3);
    await people.viewerFor(identity('c'));
    await people.viewerFor(identity('b'));
    expect(source.lookups).toBe(3);
    await people.viewerFor(identity('a'));
    expect(source.lookups).toBe(4);
    await people.viewerFor(identity('b', 'b@example.org'));
    expect(source.lookups).toBe(5);
  });
});

describe('networkPeople, over HTTP', () => {
  const received: { viewer: Viewer; body: { query: string; variables: unknown } }[] = [];
  let answer: (body: unknown) => { status: number; body: unknown } = () => ({
    status: 200,
    body: {
      data: {
        signIn: {
          personId: seededPersonId('karim.haddad@lacantine.example'),
          coordinator: false,
          manages: ['cantine'],
          staffs: [],
        },
      },
    },
  });
  const seen = new SeenViewerTokens();
  const network = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        query: string;
        variables: Record<string, unknown>;
      };
      const viewer = await verifyViewer(req.headers[VIEWER_HEADER], VIEWER_KEYS.publicKey, {
        audience: 'network',
        request: body,
        seen,
      });
      received.push({ viewer, body });
      const { status, body: out } = answer(body);
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(out));
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => network.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(network.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => network.close(() => resolve())));

  const directory = (at = () => url as string | undefined) =>
    networkPeople({
      url: at,
      viewerHeaders: viewerHeadersSignedWith(VIEWER_KEYS.signingKey),
      timeoutMs: 2_000,
    });

  it('asks the network subgraph’s signIn as the gateway, with a header bound to the request', async () => {
    const karim = {
      issuer: DEV_TOKEN_ISSUER,
      subject: 'dev:karim.haddad@lacantine.example',
      email: 'karim.haddad@lacantine.example',
      emailVerified: true,
      name: 'Karim Haddad',
    };
    expect(await directory().viewerFor(karim)).toEqual({
      kind: 'person',
      personId: seededPersonId('karim.haddad@lacantine.example'),
      coordinator: false,
      manages: ['cantine'],
      staffs: [],
    });
    expect(received.at(-1)).toEqual({
      viewer: { kind: 'gateway' },
      body: { query: SIGN_IN_MUTATION, variables: { identity: karim } },
    });
  });

  it('fails with SIGN_IN_UNAVAILABLE when the network is down, errs or answers garbage', async () => {
    const unavailable = { extensions: { code: 'SIGN_IN_UNAVAILABLE', http: { status: 503 } } };
    await expect(
      directory(() => 'http://127.0.0.1:1/').viewerFor(identity('a')),
    ).rejects.toMatchObject(unavailable);
    await expect(directory(() => undefined).viewerFor(identity('a'))).rejects.toMatchObject(
      unavailable,
    );
    for (const bad of [
      { status: 500, body: { errors: [{ message: 'boom' }] } },
      {
        status: 200,
        body: { data: null, errors: [{ message: 'x', extensions: { code: 'FORBIDDEN' } }] },
      },
      {
        status: 200,
        body: {
          data: {
            signIn: { personId: 'cantine:member:x', coordinator: true, manages: [], staffs: [] },
          },
        },
      },
      {
        status: 200,
        body: {
          data: {
            signIn: {
              personId: seededPersonId('karim.haddad@lacantine.example'),
              coordinator: 'yes',
              manages: [],
              staffs: [],
            },
          },
        },
      },
    ]) {
      answer = () => bad;
      await expect(directory().viewerFor(identity('a'))).rejects.toMatchObject(unavailable);
    }
  });
});

describe('sign-in through the gateway', () => {
  let partner: RunningPartner;
  let now = 2_000_000;
  const table = seededPeople();
  const coordinatorEmail = SEEDED_PEOPLE.find((p) => p.coordinator)!.email;
  const gateways: { stop(): Promise<void> }[] = [];
  let url = '';

  beforeAll(async () => {
    partner = await startPartner('cantine');
    const gateway = await startGateway({
      partners: [{ slug: 'cantine', url: partner.url, status: 'ACTIVE' }],
      people: cachedPeople(table, { seconds: 5, now: () => now }),
    });
    gateways.push(gateway);
    url = gateway.url!;
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await partner.close();
  });

  const ready = async (token?: string) => {
    const response = await fetch(`${url}/ready`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('gives coordinators’ access to the network’s coordinators only, whatever a token claims', async () => {
    expect((await ready(await tokens.coordinator())).body).toHaveProperty('partners');
    const claimsToBe = await tokens.person('thomas.garcia@example.org', {
      role: 'coordinator',
      coordinator: true,
    });
    expect((await ready(claimsToBe)).body).toEqual({ status: 'ready' });
    expect((await ready(await tokens.manager('cantine'))).body).toEqual({ status: 'ready' });
  });

  it('stops granting a revoked role once the cache time has passed', async () => {
    const token = await tokens.coordinator();
    expect((await ready(token)).body).toHaveProperty('partners');
    table.set(coordinatorEmail, { ...table.get(coordinatorEmail)!, coordinator: false });
    expect((await ready(token)).body).toHaveProperty('partners');
    now += 5_000;
    expect((await ready(token)).body).toEqual({ status: 'ready' });
  });

  it('refuses an expired, forged or other-issuer token as UNAUTHENTICATED', async () => {
    const sign = (iss: string, exp: number, key = AUTH_SECRET) =>
      new SignJWT({ email: coordinatorEmail, email_verified: true, role: 'coordinator' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(iss)
        .setSubject(`dev:${coordinatorEmail}`)
        .setAudience(AUDIENCE)
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(key));
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    for (const token of [
      await sign(DEV_TOKEN_ISSUER, inAnHour - 7200),
      await sign(DEV_TOKEN_ISSUER, inAnHour, 'not-the-gateway-secret-0123456789abcdef'),
      await sign('https://elsewhere.example/', inAnHour),
    ]) {
      const answer = await post(`${url}/graphql`, '{ spaces(first: 1) { totalCount } }', {}, token);
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect((await ready(token)).status).toBe(401);
    }
  });

  it('fails a signed-in request with SIGN_IN_UNAVAILABLE when the network is down, and serves anonymous ones', async () => {
    const gateway = await startGateway({
      partners: [{ slug: 'cantine', url: partner.url, status: 'ACTIVE' }],
      subgraphUrls: { network: 'http://127.0.0.1:1/' },
      people: undefined,
      // The code is one clients may see: production does not mask it.
      production: true,
    });
    gateways.push(gateway);
    const query = '{ spaces(first: 1) { totalCount } }';
    const signedIn = await post(gateway.graphqlUrl, query, {}, await tokens.manager('cantine'));
    expect(signedIn.data ?? null).toBeNull();
    expect(signedIn.errors?.map((e) => e.extensions?.code)).toEqual(['SIGN_IN_UNAVAILABLE']);
    expect(await post(gateway.graphqlUrl, query)).toEqual({
      data: { spaces: { totalCount: 0 } },
    });
    const readiness = await fetch(`${gateway.url}/ready`, {
      headers: { authorization: `Bearer ${await tokens.coordinator()}` },
    });
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ error: { code: 'SIGN_IN_UNAVAILABLE' } });
  });

  it('resolves a stranger to a new person without roles', async () => {
    expect(await new TablePeople({}).viewerFor(identity('x', 'x@example.org'))).toMatchObject({
      kind: 'person',
      coordinator: false,
      manages: [],
      staffs: [],
    });
  });
});
