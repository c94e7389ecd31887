import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartnerEntry } from '../src/registry.js';
import {
  post,
  startGateway,
  startPartner,
  tokens,
  type RunningPartner,
} from '../src/testing/index.js';

describe('the partner registry, polled while the gateway runs', () => {
  const partners: RunningPartner[] = [];
  let registered: PartnerEntry[] = [];
  let polls = 0;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  const POLL_MS = 150;

  beforeAll(async () => {
    for (const slug of ['baronnies', 'cantine', 'locomotive']) {
      const partner = await startPartner(slug);
      await partner.seed.space({ name: `Espace de ${slug}` });
      partners.push(partner);
    }
    registered = partners.slice(0, 2).map((p) => ({ slug: p.slug, url: p.url, status: 'ACTIVE' }));
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
    for (const p of partners) await p.close();
  });

  const slugs = async () => {
    const answer = await post(gateway.graphqlUrl, `{ spaces { edges { node { partnerSlug } } } }`);
    return answer
      .data!.spaces.edges.map((e: { node: { partnerSlug: string } }) => e.node.partnerSlug)
      .sort();
  };

  async function afterNextPoll() {
    const seen = polls;
    while (polls < seen + 2) await new Promise((r) => setTimeout(r, POLL_MS / 3));
  }

  it('routes to a partner registered while running, within one poll interval, without a restart', async () => {
    expect(await slugs()).toEqual(['baronnies', 'cantine']);
    registered = [...registered, { slug: 'locomotive', url: partners[2]!.url, status: 'ACTIVE' }];
    await afterNextPoll();
    expect(await slugs()).toEqual(['baronnies', 'cantine', 'locomotive']);
  });

  it('stops routing to a suspended partner, and says so for its ids', async () => {
    registered = registered.map((p) => (p.slug === 'cantine' ? { ...p, status: 'SUSPENDED' } : p));
    await afterNextPoll();
    expect(await slugs()).toEqual(['baronnies', 'locomotive']);
    const answer = await post(
      gateway.graphqlUrl,
      `{ space(id: "cantine:space:6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31") { name } }`,
    );
    expect(answer).toMatchObject({
      data: { space: null },
      errors: [{ extensions: { code: 'PARTNER_SUSPENDED', partner: 'cantine' } }],
    });
  });

  it('says it is alive at /health and lists the partners with their status at /ready', async () => {
    expect(await (await fetch(`${gateway.url}/health`)).json()).toEqual({ status: 'ok' });
    const asCoordinator = { authorization: `Bearer ${await tokens.coordinator()}` };
    const ready = (await (
      await fetch(`${gateway.url}/ready`, { headers: asCoordinator })
    ).json()) as {
      status: string;
      partners: { slug: string; status: string; lastOutcome: string | null }[];
    };
    expect(ready.status).toBe('ready');
    expect(ready.partners.map((p) => [p.slug, p.status, p.lastOutcome])).toEqual([
      ['baronnies', 'ACTIVE', 'ok'],
      ['cantine', 'SUSPENDED', 'ok'],
      ['locomotive', 'ACTIVE', 'ok'],
    ]);
  });

  it('keeps the last known partners when the registry cannot be read', async () => {
    const working = registered;
    registered = null as unknown as PartnerEntry[];
    await afterNextPoll();
    expect(await slugs()).toEqual(['baronnies', 'locomotive']);
    registered = working;
  });
});

describe('readiness', () => {
  let partner: RunningPartner;
  beforeAll(async () => {
    partner = await startPartner('cantine');
  });
  afterAll(() => partner?.close());

  const ready = async (url: string) => (await fetch(`${url}/ready`)).status;

  it('waits for the registry to be read once, and stays ready when a later poll fails', async () => {
    let answer: PartnerEntry[] | null = null;
    const gateway = await startGateway({
      partners: [{ slug: 'cantine', url: partner.url, status: 'ACTIVE' }],
      registry: async () => {
        if (!answer) throw new Error('registry unreachable');
        return answer;
      },
      registryPollMs: 100,
    });
    try {
      expect(await ready(gateway.url!)).toBe(503);
      answer = [{ slug: 'cantine', url: partner.url, status: 'ACTIVE' }];
      await gateway.registry.refresh();
      expect(await ready(gateway.url!)).toBe(200);
      answer = null;
      await gateway.registry.refresh();
      expect(await ready(gateway.url!)).toBe(200);
    } finally {
      await gateway.stop();
    }
  });
});
