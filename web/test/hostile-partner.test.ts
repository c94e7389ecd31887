import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  everyObject,
  HostilePartner,
  post,
  startPartner,
  startSeededNetwork,
  tokens,
  type Behaviour,
  type Json,
  type RunningPartner,
} from '@tiers-lieux/gateway/testing';
import { CALENDAR, DIRECTORY, SPACE_PAGE } from '@tiers-lieux/web/operations';
import { publicSite } from '@tiers-lieux/web/server';

/**
 * A partner registered through `registerPartner` on a running network, that passes the
 * contract check and then lies, floods, redirects, injects errors and stalls; seen as the
 * public sees the network: the web page's own queries on `/graphql`, the calendar feeds and
 * the open-data export. Whatever it does, the honest partners' data is served whole and
 * unchanged, nothing of it appears under another partner's ids, and a coded error names it.
 */

const CANTINE_SPACE = 'cantine:space:c8b6a4e2-0d1f-4e3a-b5c7-9e1d3f5a7b63';
/** What the attacker wants the public to read, and must never read. */
const DECOY = 'Fermée, payez par virement : FR76 3000 6000 0112 3456 7890 189';
const PHISHING = 'Session expirée, reconnectez-vous sur https://evil.example/login';
const HUGE_NAME = 'Pirate '.repeat(1_500_000);
const MARKERS = [DECOY, 'evil.example', 'Pirate Pirate', 'Le Repaire (faux)'];

type Edge = { node: Json };
interface GraphQLAnswer {
  status: number;
  text: string;
  data: Json | null;
  errors: { message: string; extensions?: Json }[];
}
interface TextAnswer {
  status: number;
  retryAfter: string | null;
  text: string;
}
interface FeedEvent {
  uid: string;
  summary: string;
  location: string;
  start: string;
}

/** What the public sees of the network at one moment. */
interface Observation {
  directory: GraphQLAnswer;
  calendar: GraphQLAnswer;
  spacePage: GraphQLAnswer;
  attackerPage: GraphQLAnswer;
  networkFeed: TextAnswer;
  cantineFeed: TextAnswer;
  lieux: TextAnswer;
}

const isEvil = (id: unknown) => typeof id === 'string' && id.startsWith('evil:');

/** A space's card without what changes with the clock (open now, next openings). */
function stable(node: Json): Json {
  const { openNow: _openNow, nextOpenings: _nextOpenings, ...rest } = node;
  return rest;
}

const edgesOf = (answer: GraphQLAnswer, field: string): Edge[] =>
  ((answer.data?.[field] as { edges?: Edge[] } | null)?.edges ?? []) as Edge[];

function feedEvents(text: string): FeedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((c) => ({
    uid: String(c.getFirstPropertyValue('uid')),
    summary: String(c.getFirstPropertyValue('summary')),
    location: String(c.getFirstPropertyValue('location')),
    start: String(c.getFirstPropertyValue('dtstart')),
  }));
}

/** The honest part of what the public sees: everything but the attacker's own items. */
function honest(seen: Observation) {
  return {
    directory: edgesOf(seen.directory, 'spaces')
      .filter((e) => !isEvil(e.node.id))
      .map((e) => stable(e.node)),
    calendar: edgesOf(seen.calendar, 'events')
      .filter((e) => !isEvil(e.node.id))
      .map((e) => e.node),
    spacePage: seen.spacePage.data,
    cantineFeed: feedEvents(seen.cantineFeed.text),
    networkFeed:
      seen.networkFeed.status === 200
        ? feedEvents(seen.networkFeed.text).filter((e) => !isEvil(e.uid))
        : REFUSED,
    lieux:
      seen.lieux.status === 200
        ? (JSON.parse(seen.lieux.text) as Json[]).filter((l) => !isEvil(l.id))
        : REFUSED,
  };
}

/** A feed or an export the public site refused to serve (see the checks of its status). */
const REFUSED = 'refused';

describe('a hostile partner registered on a running network, seen as the public sees it', () => {
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  let upstream: RunningPartner;
  let evil: HostilePartner;
  let coordinator: string;
  let baseline: ReturnType<typeof honest>;
  let evilSpaceId: string | undefined;

  const url = (path: string) => `${net.gateway.url}${path}`;

  async function graphql(query: string, variables: Json): Promise<GraphQLAnswer> {
    const response = await fetch(url('/graphql'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { data?: Json | null; errors?: GraphQLAnswer['errors'] };
    return { status: response.status, text, data: body.data ?? null, errors: body.errors ?? [] };
  }

  async function get(path: string): Promise<TextAnswer> {
    const response = await fetch(url(path));
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      text: await response.text(),
    };
  }

  /** Everything the public reads, asked at once (a stalling partner then costs one budget). */
  async function observe(): Promise<Observation> {
    const [directory, calendar, spacePage, attackerPage, networkFeed, cantineFeed, lieux] =
      await Promise.all([
        graphql(DIRECTORY, { first: 50, at: new Date().toISOString() }),
        graphql(CALENDAR, { first: 100 }),
        graphql(SPACE_PAGE, { id: CANTINE_SPACE }),
        graphql(SPACE_PAGE, { id: evilSpaceId ?? CANTINE_SPACE }),
        get('/calendar/network.ics'),
        get('/calendar/partners/cantine.ics'),
        get('/opendata/lieux.json'),
      ]);
    return { directory, calendar, spacePage, attackerPage, networkFeed, cantineFeed, lieux };
  }

  beforeAll(async () => {
    net = await startSeededNetwork({
      registry: 'network',
      routes: publicSite({ log: () => {} }),
    });
    // An honest open-data record of La Cantine's, which the export publishes (the seeded spaces
    // publish no street, which the national schema requires).
    await net.partners
      .find((p) => p.slug === 'cantine')!
      .seed.space({
        name: 'La Cantine — Atelier',
        street: '27 rue d’Aubuisson',
        postalCode: '31000',
        commune: 'Toulouse',
        inseeCode: '31555',
        department: '31',
        lat: 43.6009,
        lon: 1.4522,
      });
    baseline = honest(await observe());

    // The attacker runs the network's own software, and answers through its own proxy.
    upstream = await startPartner('evil');
    const space = await upstream.seed.space({
      name: 'Le Repaire',
      description: 'Un tiers-lieu comme les autres',
      street: '1 quai des Pirates',
      postalCode: '31000',
      commune: 'Toulouse',
      inseeCode: '31555',
      department: '31',
      lat: 43.6,
      lon: 1.44,
    });
    evilSpaceId = space.publicId;
    await upstream.seed.event(space.id, { title: 'Atelier au Repaire' });
    evil = new HostilePartner('evil', { upstream: upstream.url });
    evil.behaviour = { kind: 'relay' };
    await evil.start();

    coordinator = await tokens.coordinator();
    const registered = await post(
      net.gateway.graphqlUrl,
      `mutation ($input: RegisterPartnerInput!) {
        registerPartner(input: $input) { partner { slug status } error { code message } }
      }`,
      {
        input: {
          slug: 'evil',
          name: 'Le Repaire',
          kind: 'ASSOCIATION',
          territory: 'Toulouse',
          subgraphUrl: evil.url,
        },
      },
      coordinator,
    );
    expect(registered.data?.registerPartner).toEqual({
      partner: { slug: 'evil', status: 'ACTIVE' },
      error: null,
    });
    // The gateway's next poll of the network subgraph's registry, now rather than in 10 s.
    await net.gateway.registry.refresh();
  });
  afterAll(async () => {
    await net?.stop();
    await evil?.close();
    await upstream?.close();
  });

  it('has the registry of the network subgraph route to the registered partner, checked', async () => {
    const ready = await fetch(url('/ready'), {
      headers: { authorization: `Bearer ${coordinator}` },
    });
    const report = (await ready.json()) as { partners: Json[] };
    expect(report.partners.find((p) => p.slug === 'evil')).toMatchObject({
      url: evil.url,
      status: 'ACTIVE',
      routed: true,
      conformance: { verdict: 'compatible', error: null, missing: [] },
    });
  });

  it('serves the partner like any other while it behaves', async () => {
    const seen = await observe();
    expect(honest(seen)).toEqual(baseline);
    for (const answer of [seen.directory, seen.calendar, seen.spacePage, seen.attackerPage])
      expect(answer.errors).toEqual([]);
    expect(seen.attackerPage.data?.space).toMatchObject({
      id: evilSpaceId,
      name: 'Le Repaire',
      description: 'Un tiers-lieu comme les autres',
      partner: { slug: 'evil', name: 'Le Repaire' },
    });
    expect(edgesOf(seen.directory, 'spaces').map((e) => e.node.id)).toContain(evilSpaceId);
    expect(edgesOf(seen.calendar, 'events').map((e) => e.node.title)).toContain(
      'Atelier au Repaire',
    );
    expect(feedEvents(seen.networkFeed.text).map((e) => e.summary)).toContain('Atelier au Repaire');
    expect((JSON.parse(seen.lieux.text) as Json[]).map((l) => l.id)).toContain(evilSpaceId);
    expect(seen.cantineFeed.text).not.toContain('Repaire');
  });

  /** Every object of the attacker's answer that is one of its spaces, or one of its events. */
  const spaces = (data: Json, change: (space: Json) => void) =>
    void everyObject(data, (o) => {
      if (typeof o.id === 'string' && o.id.startsWith('evil:space:')) change(o);
    });
  const events = (data: Json, change: (event: Json) => void) =>
    void everyObject(data, (o) => {
      if (typeof o.id === 'string' && o.id.startsWith('evil:event:')) change(o);
    });

  /** Its spaces' names and its events' titles, wherever they are selected, set to `value`. */
  const naming = (value: unknown): Behaviour => ({
    kind: 'relay',
    rewrite: (data) => {
      spaces(data, (space) => 'name' in space && (space.name = value));
      events(data, (event) => 'title' in event && (event.title = value));
    },
  });

  /**
   * `codes`: the codes of the errors that name the attacker on `/graphql`; `feeds`: the status of
   * the network feed (200 when the attacker answered, only breaking the contract: served without
   * what it broke; 503 when its part is missing); `lieux`: the export's, the feed's unless the
   * breach is in no field the export selects.
   */
  const cases: {
    name: string;
    behaviour: () => Behaviour;
    codes: string[];
    feeds?: 200 | 503;
    lieux?: 200 | 503;
  }[] = [
    {
      name: 'spoofs ids and partner fields naming cantine',
      behaviour: () => ({
        kind: 'relay',
        rewrite: (data) =>
          void everyObject(data, (o) => {
            for (const [key, value] of Object.entries(o)) {
              if (isEvil(value)) o[key] = `cantine:${(value as string).slice('evil:'.length)}`;
              if (key === 'partnerSlug' || key === 'slug') o[key] = 'cantine';
            }
            if (typeof o.name === 'string') o.name = 'Le Repaire (faux)';
          }),
      }),
      codes: ['PARTNER_BAD_RESPONSE'],
      feeds: 200,
    },
    {
      name: "sends La Cantine's real space id with its own description",
      behaviour: () => ({
        kind: 'relay',
        rewrite: (data) => {
          const impersonate = (space: Json) => {
            space.id = CANTINE_SPACE;
            if ('name' in space) space.name = 'La Cantine';
            if ('description' in space) space.description = DECOY;
            if ('partnerSlug' in space) space.partnerSlug = 'cantine';
          };
          events(data, (event) => {
            if ('description' in event) event.description = DECOY;
          });
          spaces(data, impersonate);
        },
      }),
      codes: ['PARTNER_BAD_RESPONSE'],
      feeds: 200,
    },
    {
      name: 'sends null for non-null fields',
      behaviour: () => naming(null),
      codes: ['PARTNER_BAD_RESPONSE'],
      feeds: 200,
    },
    {
      name: 'counts its items with a string',
      behaviour: () => ({
        kind: 'relay',
        rewrite: (data) =>
          void everyObject(data, (o) => {
            if (typeof o.totalCount === 'number') o.totalCount = String(o.totalCount);
          }),
      }),
      codes: ['PARTNER_BAD_RESPONSE'],
      feeds: 200,
      // The export pages through the spaces without counting them.
      lieux: 200,
    },
    {
      name: 'sends a 10 MB name',
      behaviour: () => naming(HUGE_NAME),
      codes: ['PARTNER_BAD_RESPONSE'],
    },
    {
      name: 'sends 100,000 items',
      behaviour: () => ({ kind: 'relay', copies: 100_000 }),
      codes: ['PARTNER_BAD_RESPONSE'],
    },
    {
      name: 'redirects to the network subgraph (307)',
      behaviour: () => ({ kind: 'raw', status: 307, headers: { location: net.networkUrl } }),
      codes: ['PARTNER_BAD_RESPONSE'],
    },
    {
      name: 'injects error text and extensions.http.status 401',
      behaviour: () => ({
        kind: 'relay',
        errors: (request) => [
          {
            message: PHISHING,
            path: [request.rootFields[0] ?? 'spaces'],
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          },
        ],
      }),
      codes: ['UNAUTHENTICATED'],
    },
    {
      name: 'claims that another partner is down',
      behaviour: () => ({
        kind: 'relay',
        errors: () => [
          {
            message: 'Partner "cantine" is unavailable: https://evil.example/status',
            extensions: { code: 'PARTNER_UNAVAILABLE', partner: 'cantine' },
          },
        ],
      }),
      codes: ['PARTNER_ERROR'],
    },
    { name: 'never answers', behaviour: () => ({ kind: 'hang' }), codes: ['PARTNER_TIMEOUT'] },
    {
      name: 'answers one byte a second, without end',
      behaviour: () => ({ kind: 'trickle' }),
      codes: ['PARTNER_TIMEOUT'],
    },
    {
      name: 'answers megabytes without end',
      behaviour: () => ({ kind: 'flood' }),
      codes: ['PARTNER_BAD_RESPONSE'],
    },
  ];

  for (const { name, behaviour, codes, feeds = 503, lieux = feeds } of cases) {
    it(`keeps the honest partners whole when it ${name}`, async () => {
      evil.behaviour = behaviour();
      const health = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return (await fetch(url('/health'))).status;
      })();
      const seen = await observe();
      evil.behaviour = { kind: 'relay' };

      // A coded error names the attacker, and only the attacker.
      for (const answer of [seen.directory, seen.calendar]) {
        expect(answer.errors.length).toBeGreaterThan(0);
        for (const error of answer.errors) {
          expect(error.extensions).toMatchObject({ partner: 'evil' });
          expect(codes).toContain(error.extensions!.code);
          expect(error.extensions).not.toHaveProperty('http');
          expect(error.message).not.toContain('cantine');
        }
      }
      // La Cantine's page and feed do not depend on the attacker at all.
      expect(seen.spacePage.errors).toEqual([]);
      expect(seen.cantineFeed.status).toBe(200);
      // The attacker's own page shows its own space or nothing, and only errors naming it.
      expect(seen.attackerPage.status).toBe(200);
      const page = seen.attackerPage.data?.space as Json | null;
      if (page) expect(page.id).toBe(evilSpaceId);
      for (const error of seen.attackerPage.errors)
        expect(error.extensions).toMatchObject({ partner: 'evil' });
      // The network feed and the export: served without what the attacker sent wrong when it
      // answered, refused until later (naming it, never a 500) when its part is missing.
      expect([seen.networkFeed.status, seen.lieux.status]).toEqual([feeds, lieux]);
      for (const answer of [seen.networkFeed, seen.lieux]) {
        if (answer.status === 200) continue;
        expect(answer.retryAfter).toBe('300');
        expect(answer.text).toMatch(/^Partner evil\b/);
        expect(answer.text).not.toContain('cantine');
      }
      // The honest partners' data, whole and unchanged, and nothing of the attacker's under
      // another partner's ids.
      expect(honest(seen)).toEqual({
        ...baseline,
        ...(seen.networkFeed.status === 200 ? {} : { networkFeed: REFUSED }),
        ...(seen.lieux.status === 200 ? {} : { lieux: REFUSED }),
      });
      for (const answer of [seen.directory, seen.calendar, seen.spacePage, seen.attackerPage]) {
        expect(answer.status).toBe(200);
        for (const marker of MARKERS) expect(answer.text).not.toContain(marker);
      }
      for (const answer of [seen.networkFeed, seen.cantineFeed, seen.lieux])
        for (const marker of MARKERS) expect(answer.text).not.toContain(marker);

      // The gateway stays up. How fast it answers is checked in gateway/test/hostile-partner.test.ts
      // (1 s), where the attacker's answers are written ahead of time: here the attacker writes
      // its floods in this process, which the gateway and every subgraph share.
      expect(await health).toBe(200);
    });
  }
});
