import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { declaredContractVersion, readSdl } from '@tiers-lieux/schema';
import { OLDER_CONTRACT_MISSING, olderContract } from '@tiers-lieux/schema/testkit';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRegistry, type PartnerEntry } from '../src/registry.js';
import {
  forward,
  post,
  startGateway,
  startPartner,
  tokens,
  type RunningPartner,
} from '../src/testing/index.js';

/**
 * A partner's URL in front of a real partner subgraph: it answers `_service { sdl }` with
 * `sdl` when one is set (an older version of the partner), passes everything else through,
 * and counts both, so a test sees whether the partner got any traffic.
 */
class ContractProxy {
  sdl: string | null = null;
  /** Answer nothing at all, as a partner that hangs. */
  silent = false;
  sdlRequests = 0;
  traffic = 0;
  url = '';
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(target: string) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.silent) return;
        const body = Buffer.concat(chunks);
        const isServiceQuery = body.toString('utf8').includes('_service');
        if (isServiceQuery) this.sdlRequests++;
        else this.traffic++;
        if (isServiceQuery && this.sdl !== null) {
          res.setHeader('content-type', 'application/json');
          return void res.end(JSON.stringify({ data: { _service: { sdl: this.sdl } } }));
        }
        forward(target, req, res, body);
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A gateway answer without the stack traces development mode adds to errors. */
async function query(url: string, document: string, variables?: Record<string, unknown>) {
  const answer = await post(url, document, variables);
  return JSON.parse(
    JSON.stringify(answer, (k, v: unknown) => (k === 'stacktrace' ? undefined : v)),
  );
}

const SPACES = `{ spaces(first: 10) { totalCount edges { node { name partnerSlug } } } }`;
const incompatible = (partner: string, path: (string | number)[]) => ({
  message: `Partner "${partner}" does not serve the partner contract and gets no traffic`,
  path,
  extensions: { code: 'PARTNER_INCOMPATIBLE', partner, serviceName: 'space' },
});

describe('partners checked against the contract at each registry poll', () => {
  const POLL_MS = 150;
  const partners = new Map<string, RunningPartner>();
  const proxies: ContractProxy[] = [];
  let registered: PartnerEntry[] = [];
  let polls = 0;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let outdated: ContractProxy;
  let tuvesSpace: string;

  const proxy = async (slug: string, sdl: string | null) => {
    const p = await new ContractProxy(partners.get(slug)!.url).start();
    p.sdl = sdl;
    proxies.push(p);
    return p;
  };
  async function afterNextPoll() {
    const seen = polls;
    while (polls < seen + 2) await new Promise((r) => setTimeout(r, POLL_MS / 3));
  }

  beforeAll(async () => {
    for (const [slug, name] of [
      ['baronnies', 'La Serre'],
      ['tuves', 'Les Tuves'],
      ['locomotive', 'La Locomotive'],
    ] as const) {
      const partner = await startPartner(slug);
      const space = await partner.seed.space({ name });
      if (slug === 'tuves') tuvesSpace = space.publicId;
      partners.set(slug, partner);
    }
    outdated = await proxy('tuves', olderContract());
    registered = [
      { slug: 'baronnies', url: partners.get('baronnies')!.url, status: 'ACTIVE' },
      { slug: 'tuves', url: outdated.url, status: 'ACTIVE' },
    ];
    gateway = await startGateway({
      partners: [],
      registry: async () => {
        polls++;
        return registered;
      },
      registryPollMs: POLL_MS,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    for (const p of proxies) await p.close();
    for (const p of partners.values()) await p.close();
  });

  it('gives a partner that serves an older contract no traffic, and names it on scatter queries', async () => {
    expect(await query(gateway.graphqlUrl, SPACES)).toEqual({
      data: {
        spaces: {
          totalCount: 1,
          edges: [{ node: { name: 'La Serre', partnerSlug: 'baronnies' } }],
        },
      },
      errors: [incompatible('tuves', ['spaces'])],
    });
    expect(
      await query(gateway.graphqlUrl, `query ($id: ID!) { space(id: $id) { name } }`, {
        id: tuvesSpace,
      }),
    ).toEqual({ data: { space: null }, errors: [incompatible('tuves', ['space'])] });
    expect(gateway.registry.incompatible()).toEqual([
      {
        slug: 'tuves',
        missing: OLDER_CONTRACT_MISSING,
        error: 'lacks 3 parts of the partner contract',
      },
    ]);
    expect(outdated.sdlRequests).toBeGreaterThanOrEqual(1);
    expect(outdated.traffic).toBe(0);
  });

  it('checks a newly registered partner before its first request', async () => {
    const behind = await proxy('locomotive', olderContract());
    registered = [...registered, { slug: 'locomotive', url: behind.url, status: 'ACTIVE' }];
    await afterNextPoll();
    const answer = await query(gateway.graphqlUrl, SPACES);
    expect(answer.errors).toEqual([
      incompatible('locomotive', ['spaces']),
      incompatible('tuves', ['spaces']),
    ]);
    expect(behind.traffic).toBe(0);
  });

  it('routes to a partner again at the poll that brings its new, conforming URL', async () => {
    registered = registered.map((p) =>
      p.slug === 'baronnies' ? p : { ...p, url: partners.get(p.slug)!.url },
    );
    await afterNextPoll();
    expect(gateway.registry.incompatible()).toEqual([]);
    expect(await query(gateway.graphqlUrl, SPACES)).toEqual({
      data: {
        spaces: {
          totalCount: 3,
          edges: [
            { node: { name: 'La Locomotive', partnerSlug: 'locomotive' } },
            { node: { name: 'La Serre', partnerSlug: 'baronnies' } },
            { node: { name: 'Les Tuves', partnerSlug: 'tuves' } },
          ],
        },
      },
    });
  });
});

describe('the conformance check of one partner URL', () => {
  let partner: RunningPartner;
  let front: ContractProxy;
  const entry = (): PartnerEntry[] => [{ slug: 'cantine', url: front.url, status: 'ACTIVE' }];

  beforeAll(async () => {
    partner = await startPartner('cantine');
    front = await new ContractProxy(partner.url).start();
  });
  afterAll(async () => {
    await front?.close();
    await partner?.close();
  });

  it('asks an answering partner for its SDL again only once the interval has passed', async () => {
    const registry = new PartnerRegistry(entry(), null, () => {}, { intervalMs: 3_600_000 });
    const before = front.sdlRequests;
    for (let i = 0; i < 3; i++) await registry.refresh();
    expect(front.sdlRequests - before).toBe(1);
    expect(registry.active().map((p) => p.slug)).toEqual(['cantine']);
    expect(registry.detailedReport().partners[0]!.conformance).toEqual({
      verdict: 'compatible',
      checkedAt: expect.any(String),
      latencyMs: expect.any(Number),
      error: null,
      missing: [],
      version: declaredContractVersion(parse(readSdl('space'))),
      outdated: [],
      failedChecks: 0,
    });
  });

  it('notices a partner whose SDL falls behind the contract, and routes to it again once fixed', async () => {
    const log: string[] = [];
    const registry = new PartnerRegistry(entry(), null, (m) => log.push(m), { intervalMs: 0 });
    await registry.refresh();
    front.sdl = olderContract();
    await registry.refresh();
    expect(registry.active()).toEqual([]);
    expect(registry.incompatible().map((p) => p.slug)).toEqual(['cantine']);
    front.sdl = null;
    await registry.refresh();
    expect(registry.active().map((p) => p.slug)).toEqual(['cantine']);
    expect(registry.detailedReport().partners[0]!.conformance.failedChecks).toBe(1);
    expect(log).toEqual([
      'partner cantine gets no traffic: its subgraph lacks 3 parts of the partner contract',
      'partner cantine serves the partner contract again',
    ]);
  });

  it('keeps routing a partner that does not answer its check, within the check budget', async () => {
    const registry = new PartnerRegistry(entry(), null, () => {}, { timeoutMs: 200 });
    front.silent = true;
    try {
      const started = Date.now();
      await registry.refresh();
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      front.silent = false;
    }
    expect(registry.active().map((p) => p.slug)).toEqual(['cantine']);
    expect(registry.detailedReport().partners[0]!.conformance).toMatchObject({
      verdict: 'unchecked',
      error: 'did not answer within 200 ms',
      failedChecks: 1,
    });
  });
});

describe('/ready', () => {
  let partner: RunningPartner;
  let outdated: ContractProxy;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let behind: Awaited<ReturnType<typeof startGateway>>;

  beforeAll(async () => {
    partner = await startPartner('cantine');
    outdated = await new ContractProxy(partner.url).start();
    outdated.sdl = olderContract();
    gateway = await startGateway({
      partners: [
        { slug: 'cantine', url: partner.url, status: 'ACTIVE' },
        { slug: 'tuves', url: outdated.url, status: 'ACTIVE' },
      ],
    });
    behind = await startGateway({
      partners: [{ slug: 'tuves', url: outdated.url, status: 'ACTIVE' }],
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await behind?.stop();
    await outdated?.close();
    await partner?.close();
  });

  const ready = async (url: string, token?: string) => {
    const response = await fetch(`${url}/ready`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: await response.json() };
  };

  it('tells anonymous callers and partner staff only whether the gateway is ready', async () => {
    expect(await ready(gateway.url!)).toEqual({ status: 200, body: { status: 'ready' } });
    expect(await ready(gateway.url!, await tokens.manager('cantine'))).toEqual({
      status: 200,
      body: { status: 'ready' },
    });
    expect(await ready(behind.url!)).toEqual({ status: 503, body: { status: 'not ready' } });
  });

  it('shows coordinators every partner’s URL, routing, health and conformance', async () => {
    // No query went to either partner yet: an hour of sixty empty minutes.
    const quietHour = {
      requests: 0,
      errors: 0,
      timeouts: 0,
      meanMs: null,
      p50Ms: null,
      p95Ms: null,
      perMinute: Array.from({ length: 60 }, () => 0),
    };
    const { status, body } = await ready(gateway.url!, await tokens.coordinator());
    expect(status).toBe(200);
    expect(body).toEqual({
      status: 'ready',
      registry: null,
      partners: [
        {
          slug: 'cantine',
          url: partner.url,
          status: 'ACTIVE',
          routed: true,
          lastOutcome: null,
          lastRequestAt: null,
          lastOkAt: null,
          lastHour: quietHour,
          conformance: {
            verdict: 'compatible',
            checkedAt: expect.any(String),
            latencyMs: expect.any(Number),
            error: null,
            missing: [],
            version: declaredContractVersion(parse(readSdl('space'))),
            outdated: [],
            failedChecks: 0,
          },
        },
        {
          slug: 'tuves',
          url: outdated.url,
          status: 'ACTIVE',
          routed: false,
          lastOutcome: null,
          lastRequestAt: null,
          lastOkAt: null,
          lastHour: quietHour,
          conformance: {
            verdict: 'incompatible',
            checkedAt: expect.any(String),
            latencyMs: expect.any(Number),
            error: 'lacks 3 parts of the partner contract',
            missing: OLDER_CONTRACT_MISSING,
            version: declaredContractVersion(parse(readSdl('space'))),
            outdated: [],
            failedChecks: 1,
          },
        },
      ],
    });
    expect((await ready(behind.url!, await tokens.coordinator())).status).toBe(503);
  });

  it('refuses a token that does not verify, rather than answering as to anyone', async () => {
    expect(await ready(gateway.url!, 'a.b.c')).toEqual({
      status: 401,
      body: {
        error: {
          code: 'UNAUTHENTICATED',
          message: 'The bearer token is not valid (ERR_JWS_INVALID)',
        },
      },
    });
  });
});
