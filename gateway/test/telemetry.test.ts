import { SEEDED_PEOPLE } from '@tiers-lieux/schema/seed-people';
import {
  createMetricsRegistry,
  rowsOf,
  serveMetrics,
  startTracing,
  type Registry,
  type RunningTracing,
} from '@tiers-lieux/subgraph-shell';
import {
  recordingLogger,
  spanTree,
  startOtlpReceiver,
  type OtlpReceiver,
} from '@tiers-lieux/subgraph-shell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultyProxy,
  startGateway,
  startPartner,
  startSeededNetwork,
  tokens,
  type Answer,
  type RunningPartner,
} from '../src/testing/index.js';

type Entry = Record<string, any>;

async function ask(
  url: string,
  query: string,
  options: {
    variables?: Record<string, unknown>;
    token?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<{ answer: Answer; requestId: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return {
    answer: (await response.json()) as Answer,
    requestId: response.headers.get('x-request-id'),
  };
}

const DIRECTORY = /* GraphQL */ `
  query Directory {
    spaces(first: 10) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`;
const MEMBERS = /* GraphQL */ `
  query Members {
    members(first: 100) {
      edges {
        node {
          id
          displayName
          email
          phone
        }
      }
    }
  }
`;

describe('the logs of a seeded network under traffic', () => {
  const recorders = new Map<string, ReturnType<typeof recordingLogger>>();
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  const sent: string[] = [];
  let membersAnswer = '';
  const guestEmail = 'visiteuse.anonyme@example.org';
  const newMember = { email: 'zoe.nouvelle@example.org', phone: '+33 6 55 44 33 22' };

  beforeAll(async () => {
    net = await startSeededNetwork({ production: true }, (service) => {
      const recorder = recordingLogger(service);
      recorders.set(service, recorder);
      return { logger: recorder.logger };
    });
    const url = net.gateway.graphqlUrl;
    const coordinator = await tokens.coordinator();
    const manager = await tokens.manager('cantine');
    const run = async (
      name: string,
      query: string,
      options: Parameters<typeof ask>[2] = {},
    ): Promise<Answer> => {
      sent.push(name);
      return (await ask(url, query, options)).answer;
    };

    await run('Directory', DIRECTORY);
    membersAnswer = JSON.stringify(await run('Members', MEMBERS, { token: coordinator }));
    await run('Members', MEMBERS, { token: manager });
    await run('Members', MEMBERS);
    const calendar = await run(
      'Calendar',
      'query Calendar { events(first: 5) { edges { node { id title } } } }',
    );
    const eventId = calendar.data?.events.edges[0].node.id as string;
    await run(
      'Register',
      'mutation Register($input: RegisterForEventInput!) { registerForEvent(input: $input) { registration { status } error { code message } } }',
      {
        variables: { input: { eventId, guest: { name: 'Visiteuse Anonyme', email: guestEmail } } },
      },
    );
    await run(
      'NewMember',
      'mutation NewMember($input: RegisterMemberInput!) { registerMember(input: $input) { member { id email phone } error { code message } } }',
      {
        token: coordinator,
        variables: { input: { partner: 'cantine', displayName: 'Zoé Nouvelle', ...newMember } },
      },
    );
    // Again: the partner refuses the same email a second time, with a message about it.
    await run(
      'NewMember',
      'mutation NewMember($input: RegisterMemberInput!) { registerMember(input: $input) { member { id } error { code message } } }',
      {
        token: coordinator,
        variables: { input: { partner: 'cantine', displayName: 'Zoé Nouvelle', ...newMember } },
      },
    );
    // Validation messages quote the values they refuse.
    await run('Invalid', `query Invalid { spaces(first: "${newMember.email}") { totalCount } }`);
    await net.partners.find((p) => p.slug === 'locomotive')!.close();
    await run('Directory', DIRECTORY);
    await run('Members', MEMBERS, { token: coordinator });
  }, 120_000);
  afterAll(() => net?.stop());

  function linesOf(service: string): Entry[] {
    return recorders.get(service)!.entries();
  }

  it('writes no email nor phone number of anyone, in any service', async () => {
    const personal = new Set<string>([guestEmail, newMember.email, newMember.phone]);
    for (const person of SEEDED_PEOPLE) personal.add(person.email);
    for (const partner of net.partners.filter((p) => p.slug !== 'locomotive')) {
      const rows = rowsOf<{ email: string; phone: string | null }>(
        await partner.db.execute('select email, phone from members'),
      );
      for (const row of rows) {
        personal.add(row.email);
        if (row.phone) personal.add(row.phone);
      }
    }
    const phones = [...personal].filter((value) => value.startsWith('+'));
    expect(phones.length).toBeGreaterThan(2);
    for (const phone of phones) personal.add(phone.replace(/\D/g, ''));
    // The coordinator did read them through the gateway: they were there to leak.
    expect([...personal].filter((value) => membersAnswer.includes(value)).length).toBeGreaterThan(
      4,
    );

    const text = [...recorders.values()]
      .flatMap((r) => r.lines)
      .join('\n')
      .toLowerCase();
    expect(recorders.size).toBe(6);
    expect(text.length).toBeGreaterThan(5_000);
    const leaked = [...personal].filter((value) => text.includes(value.toLowerCase()));
    expect(leaked).toEqual([]);
  });

  it('writes one line per request at the gateway: operation, duration, each partner fetch, error codes', () => {
    const requests = linesOf('gateway').filter((e) => e.msg === 'request');
    expect(requests.map((e) => e.operation)).toEqual(sent);
    for (const line of requests) {
      expect(line).toMatchObject({
        level: 'info',
        service: 'gateway',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        durationMs: expect.any(Number),
        status: expect.any(Number),
        fetches: expect.any(Array),
      });
    }
    const [directory] = requests;
    expect(directory).toMatchObject({
      type: 'query',
      viewer: 'anonymous',
      outcome: 'ok',
      errors: [],
    });
    expect(directory!.fetches.map((f: Entry) => f.partner).sort()).toEqual([
      'baronnies',
      'cantine',
      'laserre',
      'locomotive',
    ]);
    for (const fetch of directory!.fetches) {
      expect(fetch).toEqual({
        subgraph: 'space',
        partner: expect.any(String),
        durationMs: expect.any(Number),
        outcome: 'ok',
        bytes: expect.any(Number),
      });
    }
    expect(requests.find((e) => e.operation === 'Invalid')).toMatchObject({
      outcome: 'error',
      errors: ['GRAPHQL_VALIDATION_FAILED'],
      fetches: [],
    });
    const afterFailure = requests.at(-1)!;
    expect(afterFailure).toMatchObject({
      operation: 'Members',
      // The viewer's kind: the roles are the network's, not the log line's.
      viewer: 'person',
      outcome: 'partial',
    });
    expect(afterFailure.errors).toContain('PARTNER_UNAVAILABLE');
    expect(afterFailure.fetches).toContainEqual(
      expect.objectContaining({ partner: 'locomotive', outcome: 'PARTNER_UNAVAILABLE' }),
    );
  });

  it("carries the gateway's request id to every partner's and the network's own lines", () => {
    const gatewayIds = new Set(
      linesOf('gateway')
        .filter((e) => e.msg === 'request')
        .map((e) => e.requestId),
    );
    const subgraphLines = ['network', 'partner:cantine', 'partner:laserre', 'partner:baronnies']
      .flatMap(linesOf)
      // The registry's contract checks (`_service`, anonymous) serve no client request.
      .filter((e) => e.msg === 'request' && e.operation !== null);
    expect(subgraphLines.length).toBeGreaterThan(10);
    for (const line of subgraphLines) expect(gatewayIds).toContain(line.requestId);
    const directoryId = linesOf('gateway')[0]!.requestId;
    expect(linesOf('partner:cantine').filter((e) => e.requestId === directoryId)).toEqual([
      expect.objectContaining({ type: 'query', outcome: 'ok', status: 200, errors: [] }),
    ]);
  });
});

describe('the request id', () => {
  let partner: RunningPartner;
  const partnerLog = recordingLogger('partner:cantine');
  let trusting: Awaited<ReturnType<typeof startGateway>>;
  let untrusting: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    partner = await startPartner('cantine', { telemetry: { logger: partnerLog.logger } });
    await partner.seed.space({ name: 'La Cantine' });
    const partners = [{ slug: 'cantine', url: partner.url, status: 'ACTIVE' as const }];
    trusting = await startGateway({ partners, trustProxy: ['127.0.0.1'] });
    untrusting = await startGateway({ partners });
  });
  afterAll(async () => {
    await trusting?.stop();
    await untrusting?.stop();
    await partner?.close();
  });

  it("is taken from a trusted proxy's x-request-id, answered back and sent to the partner", async () => {
    const { requestId } = await ask(trusting.graphqlUrl, DIRECTORY, {
      headers: { 'x-request-id': 'edge-7f3a9c' },
    });
    expect(requestId).toBe('edge-7f3a9c');
    expect(partnerLog.entries().filter((e) => e.requestId === 'edge-7f3a9c')).toHaveLength(1);
  });

  it('is the gateway’s own when the header comes from anyone else, or is not an id', async () => {
    const fromClient = await ask(untrusting.graphqlUrl, DIRECTORY, {
      headers: { 'x-request-id': 'client-chosen' },
    });
    expect(fromClient.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const forged = await ask(trusting.graphqlUrl, DIRECTORY, {
      headers: { 'x-request-id': 'x", "level": "fatal' },
    });
    expect(forged.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const ids = partnerLog.entries().map((e) => e.requestId);
    expect(ids).toContain(fromClient.requestId);
    expect(ids).toContain(forged.requestId);
    expect(ids).not.toContain('client-chosen');
  });
});

/** The value of one sample of a Prometheus text exposition, or undefined. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(/,(?=[a-zA-Z_]\w*=)/);
    if (wanted.every((label) => present.includes(label))) return Number(match[3]);
  }
  return undefined;
}

describe('the metrics', () => {
  const partners: RunningPartner[] = [];
  const registries: Record<string, Registry> = {};
  let proxy: FaultyProxy;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let other: Awaited<ReturnType<typeof startGateway>>;
  let served: Awaited<ReturnType<typeof serveMetrics>>;

  beforeAll(async () => {
    for (const slug of ['cantine', 'laserre']) {
      registries[slug] = createMetricsRegistry();
      const partner = await startPartner(slug, { telemetry: { metrics: registries[slug] } });
      await partner.seed.space({ name: `Espace ${slug}` });
      partners.push(partner);
    }
    proxy = new FaultyProxy(partners[1]!.url);
    await proxy.start();
    registries.gateway = createMetricsRegistry();
    registries.other = createMetricsRegistry();
    const entries = [
      { slug: 'cantine', url: partners[0]!.url, status: 'ACTIVE' as const },
      { slug: 'laserre', url: proxy.url, status: 'ACTIVE' as const },
    ];
    gateway = await startGateway({
      partners: entries,
      metrics: registries.gateway,
      partnerTimeoutMs: 500,
    });
    other = await startGateway({ partners: entries, metrics: registries.other });
    served = await serveMetrics(registries.gateway, { host: '127.0.0.1', port: 0 });

    await ask(gateway.graphqlUrl, DIRECTORY);
    await ask(gateway.graphqlUrl, DIRECTORY);
    await Promise.all([ask(gateway.graphqlUrl, DIRECTORY), ask(gateway.graphqlUrl, DIRECTORY)]);
    proxy.mode = 'hang';
    await ask(gateway.graphqlUrl, DIRECTORY);
    proxy.mode = 'garbage';
    await ask(gateway.graphqlUrl, DIRECTORY);
    proxy.mode = 'pass';
    await ask(gateway.graphqlUrl, '{ spaces { nope } }');
  });
  afterAll(async () => {
    await served?.close();
    await gateway?.stop();
    await other?.stop();
    await proxy?.close();
    for (const p of partners) await p.close();
  });

  it('serves the gateway’s in Prometheus text format on a port of their own', async () => {
    const response = await fetch(served.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const ok = { operation: 'Directory', type: 'query', outcome: 'ok' };
    expect(sample(text, 'gateway_requests_total', ok)).toBe(4);
    expect(sample(text, 'gateway_requests_total', { ...ok, outcome: 'partial' })).toBe(2);
    expect(
      sample(text, 'gateway_requests_total', { operation: 'anonymous', outcome: 'error' }),
    ).toBe(1);
    expect(
      sample(text, 'gateway_request_duration_seconds_count', { type: 'query', outcome: 'ok' }),
    ).toBe(4);
    expect(sample(text, 'gateway_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(sample(text, 'gateway_errors_total', { code: 'PARTNER_TIMEOUT' })).toBe(1);
    expect(
      sample(text, 'gateway_partner_fetch_duration_seconds_count', {
        partner: 'cantine',
        outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(5);
    expect(sample(text, 'gateway_partner_timeouts_total', { partner: 'laserre' })).toBe(1);
    expect(
      sample(text, 'gateway_partner_errors_total', {
        partner: 'laserre',
        code: 'PARTNER_BAD_RESPONSE',
      }),
    ).toBe(1);
    expect(
      sample(text, 'gateway_partner_response_bytes_total', { partner: 'cantine' }),
    ).toBeGreaterThan(100);
    expect(sample(text, 'gateway_partners', { state: 'active' })).toBe(2);
    expect(sample(text, 'gateway_partners', { state: 'suspended' })).toBe(0);
    // Partner labels come from the registry only.
    const partnerLabels = new Set([...text.matchAll(/partner="([^"]*)"/g)].map((m) => m[1]));
    expect([...partnerLabels].sort()).toEqual(['cantine', 'laserre']);
    expect(await (await fetch(served.url.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('keeps each server’s in its own registry', async () => {
    const text = await registries.other!.metrics();
    expect(sample(text, 'gateway_requests_total')).toBeUndefined();
    expect(sample(text, 'gateway_partners', { state: 'active' })).toBe(2);
  });

  it('counts a subgraph’s requests and SQL statements', async () => {
    const text = await registries.cantine!.metrics();
    expect(
      sample(text, 'subgraph_request_duration_seconds_count', { type: 'query', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(5);
    expect(
      sample(text, 'subgraph_db_statement_duration_seconds_count', { outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(5);
    expect(sample(text, 'subgraph_db_pool_size')).toBe(1);
    expect(sample(text, 'subgraph_db_statements_in_flight')).toBe(0);
  });
});

describe('the traces', () => {
  let receiver: OtlpReceiver;
  const tracings: RunningTracing[] = [];
  const partners: RunningPartner[] = [];
  let gateway: Awaited<ReturnType<typeof startGateway>>;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const tracing = async (service: string) => {
      const started = await startTracing(service, { endpoint: receiver.url });
      tracings.push(started);
      return started.tracer;
    };
    for (const slug of ['cantine', 'laserre']) {
      const partner = await startPartner(slug, {
        telemetry: { tracer: await tracing(`partner:${slug}`) },
      });
      await partner.seed.space({ name: `Espace ${slug}` });
      partners.push(partner);
    }
    gateway = await startGateway({
      partners: partners.map((p) => ({ slug: p.slug, url: p.url, status: 'ACTIVE' as const })),
      tracer: await tracing('gateway'),
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    for (const p of partners) await p.close();
    await receiver?.close();
  });

  it('make one trace of a directory request: the gateway, each partner fetch, each partner request and its SQL', async () => {
    await ask(gateway.graphqlUrl, DIRECTORY);
    for (const tracing of tracings) await tracing.shutdown();
    const request = receiver.spans.find((s) => s.name === 'graphql Directory')!;
    // The registry's contract checks, before, are traces of their own at the partners.
    const spans = receiver.spans.filter((s) => s.traceId === request.traceId);
    expect(receiver.spans.filter((s) => s.service === 'gateway')).toEqual(
      spans.filter((s) => s.service === 'gateway'),
    );

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const root = spans.filter((s) => !s.parentSpanId);
    expect(root).toEqual([
      expect.objectContaining({ service: 'gateway', name: 'graphql Directory', kind: 2 }),
    ]);
    for (const slug of ['cantine', 'laserre']) {
      const fetch = spans.find((s) => s.name === `partner ${slug}`)!;
      expect(fetch).toMatchObject({ service: 'gateway', kind: 3, parentSpanId: root[0]!.spanId });
      const served = spans.filter((s) => s.parentSpanId === fetch.spanId);
      expect(served).toEqual([expect.objectContaining({ service: `partner:${slug}`, kind: 2 })]);
      const statements = spans.filter((s) => s.parentSpanId === served[0]!.spanId);
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(statement).toMatchObject({ service: `partner:${slug}`, name: 'db SELECT', kind: 3 });
        expect(statement.attributes['db.query.text']).toMatch(/^select /i);
      }
    }
    expect(byId.size).toBe(spans.length);
    console.log(spanTree(spans, root[0]!, { durations: true }).join('\n'));
  });
});
