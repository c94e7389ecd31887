import { fromSchemaLieuDeMediationNumerique } from '@gouvfr-anct/lieux-de-mediation-numerique';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startSeededNetwork, tokens } from '@tiers-lieux/gateway/testing';
import { parseCsv } from '../src/opendata/csv.js';
import { formatReport, importLieux, readLieux } from '../src/opendata/import.js';
import { COLUMNS, type Lieu } from '../src/opendata/lieux.js';
import { calendarRoutes, openDataRoutes } from '../src/server/index.js';

const SERRES = 'baronnies:space:6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31';
const HORIZON = { pastDays: 30, futureMonths: 24 };

function parseFeed(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zone = calendar.getFirstSubcomponent('vtimezone');
  if (zone) ICAL.TimezoneService.register(zone);
  return {
    calendar,
    zone,
    events: calendar.getAllSubcomponents('vevent').map((c) => ({
      uid: String(c.getFirstPropertyValue('uid')),
      summary: String(c.getFirstPropertyValue('summary')),
      status: String(c.getFirstPropertyValue('status')),
      categories: String(c.getFirstPropertyValue('categories')),
      event: new ICAL.Event(c),
    })),
  };
}

/** The last Sunday of a month (1-12) of a year, as a UTC date. */
function lastSunday(year: number, month: number): Date {
  const last = new Date(Date.UTC(year, month, 0));
  return new Date(Date.UTC(year, month - 1, last.getUTCDate() - last.getUTCDay()));
}

const day = (d: Date, offsetDays: number) =>
  new Date(d.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('calendar feeds and open data, through the gateway', () => {
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  let manager: string;
  const created: Record<string, string> = {};

  const get = (path: string) => fetch(`${net.gateway.url}${path}`);

  beforeAll(async () => {
    net = await startSeededNetwork({
      routes: async (app) => {
        // Small pages, so that every feed here is read over several; a horizon that holds the
        // next year's daylight-saving changes whatever the month the test runs in.
        await app.register(calendarRoutes({ pageSize: 5, horizon: HORIZON }));
        await app.register(openDataRoutes());
      },
    });
    manager = await tokens.manager('baronnies');
    const year = new Date().getUTCFullYear() + 1;
    const spring = lastSunday(year, 3);
    const autumn = lastSunday(year, 10);
    const events = {
      beforeSpring: `${day(spring, -1)}T10:00:00+01:00`,
      afterSpring: `${day(spring, 1)}T10:00:00+02:00`,
      beforeAutumn: `${day(autumn, -1)}T10:00:00+02:00`,
      afterAutumn: `${day(autumn, 1)}T10:00:00+01:00`,
    };
    for (const [name, startsAt] of Object.entries(events)) {
      const answer = await post(
        net.gateway.graphqlUrl,
        `mutation ($input: CreateEventInput!) { createEvent(input: $input) { event { id } error { code message } } }`,
        {
          input: {
            spaceId: SERRES,
            title: `Atelier numérique, ${name}`,
            kind: 'TRAINING',
            startsAt,
            endsAt: new Date(new Date(startsAt).getTime() + 2 * 3_600_000).toISOString(),
            capacity: 8,
          },
        },
        manager,
      );
      expect(answer.data?.createEvent.error).toBeNull();
      created[name] = answer.data!.createEvent.event.id;
    }
    const cancelled = await post(
      net.gateway.graphqlUrl,
      `mutation ($id: ID!) { cancelEvent(input: { id: $id }) { event { status } } }`,
      { id: created.afterAutumn },
      manager,
    );
    expect(cancelled.data?.cancelEvent.event.status).toBe('CANCELLED');
  });
  afterAll(() => net?.stop());

  it('serves the network feed: VTIMEZONE, stable UIDs, Paris times across both DST changes', async () => {
    const response = await get('/calendar/network.ics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await response.text();
    expect(text.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)).toBe(
      true,
    );
    const feed = parseFeed(text);
    expect(feed.zone?.getFirstPropertyValue('tzid')).toBe('Europe/Paris');
    const byUid = new Map(feed.events.map((e) => [e.uid, e]));
    // The eight seeded events of the four partners, and the four created ones.
    expect(feed.events).toHaveLength(8 + 4);
    for (const [name, instant] of [
      ['beforeSpring', '09:00:00.000Z'],
      ['afterSpring', '08:00:00.000Z'],
      ['beforeAutumn', '08:00:00.000Z'],
      ['afterAutumn', '09:00:00.000Z'],
    ] as const) {
      const event = byUid.get(created[name]!)!.event;
      expect(event.startDate.zone?.tzid).toBe('Europe/Paris');
      expect(event.startDate.hour).toBe(10);
      expect(event.startDate.toJSDate().toISOString().slice(11)).toBe(instant);
      expect(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime()).toBe(
        2 * 3_600_000,
      );
    }
    expect(byUid.get(created.afterAutumn!)!.status).toBe('CANCELLED');
    expect(byUid.get(created.beforeAutumn!)!.status).toBe('CONFIRMED');
    const again = parseFeed(await (await get('/calendar/network.ics')).text());
    expect(again.events.map((e) => e.uid).sort()).toEqual([...byUid.keys()].sort());
  });

  it('filters by kind, and serves one space and one partner', async () => {
    const training = parseFeed(await (await get('/calendar/network.ics?kind=TRAINING')).text());
    expect(new Set(training.events.map((e) => e.categories))).toEqual(new Set(['Formation']));
    expect(training.events.map((e) => e.summary)).toContain(
      'Une heure de formation : les outils collaboratifs',
    );
    expect(training.events).toHaveLength(5);

    const space = parseFeed(await (await get(`/calendar/spaces/${SERRES}.ics`)).text());
    expect(space.calendar.getFirstPropertyValue('x-wr-calname')).toBe('Agenda — La Serre (Serres)');
    expect(space.events.map((e) => e.summary).sort()).toEqual(
      [
        'Réunion d’information : coworker à la MSAP',
        ...Object.keys(created).map((name) => `Atelier numérique, ${name}`),
      ].sort(),
    );

    const partner = parseFeed(await (await get('/calendar/partners/cantine.ics')).text());
    expect(partner.events.map((e) => e.uid.split(':')[0])).toEqual(['cantine', 'cantine']);
    expect(partner.calendar.getFirstPropertyValue('x-wr-calname')).toBe('Agenda — La Cantine');
  });

  it('holds every event of its horizon, says where it stops, and nothing past it', async () => {
    const monthsAhead = (months: number) => {
      const at = new Date();
      at.setUTCMonth(at.getUTCMonth() + months);
      return at;
    };
    const ids: Record<string, string> = {};
    for (const [name, startsAt] of [
      ['inside', monthsAhead(HORIZON.futureMonths).getTime() - 2 * 86_400_000],
      ['past it', monthsAhead(HORIZON.futureMonths).getTime() + 2 * 86_400_000],
    ] as const) {
      const answer = await post(
        net.gateway.graphqlUrl,
        `mutation ($input: CreateEventInput!) { createEvent(input: $input) { event { id } error { code } } }`,
        {
          input: {
            spaceId: SERRES,
            title: `Repas partagé, ${name}`,
            kind: 'SHARED_MEAL',
            startsAt: new Date(startsAt).toISOString(),
            endsAt: new Date(startsAt + 3_600_000).toISOString(),
            capacity: 20,
          },
        },
        manager,
      );
      expect(answer.data?.createEvent.error).toBeNull();
      ids[name] = answer.data!.createEvent.event.id;
    }

    const feed = parseFeed(await (await get('/calendar/network.ics')).text());
    const uids = feed.events.map((e) => e.uid);
    expect(uids).toContain(ids.inside);
    expect(uids).not.toContain(ids['past it']);
    // Paged by 5: the seeded events, the four of the daylight-saving changes and this one.
    expect(new Set(uids).size).toBe(8 + 4 + 1);
    const until = new Intl.DateTimeFormat('fr-FR', {
      dateStyle: 'long',
      timeZone: 'Europe/Paris',
    }).format(monthsAhead(HORIZON.futureMonths));
    expect(String(feed.calendar.getFirstPropertyValue('x-wr-caldesc'))).toMatch(
      new RegExp(`Tous les événements du .+ au ${until}`),
    );
  });

  it('answers 400, 404 for what does not exist', async () => {
    expect((await get('/calendar/network.ics?kind=PICNIC')).status).toBe(400);
    expect((await get('/calendar/partners/nowhere.ics')).status).toBe(404);
    expect((await get('/calendar/spaces/not-an-id.ics')).status).toBe(404);
    // Percent-encoding that does not decode.
    expect((await get('/calendar/spaces/%E0%A4%A.ics')).status).toBe(404);
    expect((await get('/calendar/partners/%E0.ics')).status).toBe(404);
    expect(
      (await get('/calendar/spaces/baronnies:space:00000000-0000-4000-8000-000000000000.ics'))
        .status,
    ).toBe(404);
  });

  it('imports a file in the national schema into one partner, reporting rejections', async () => {
    const header =
      'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,horaires,services,date_maj';
    const csv = [
      header,
      'nyons-1,00000000000000,Espace numérique de Nyons,Nyons,26110,26220,Place Joseph Buffaven,44.3608,5.1403,"Mo-Fr 09:00-12:00,14:00-17:00",Accès internet et matériel informatique|Aide aux démarches administratives,2026-10-01',
      'bad-cp,00000000000000,Point numérique,Rémuzat,2611,26258,Grande Rue,44.4119,5.3592,,,2026-10-01',
      'bad-hours,00000000000000,Tiers-lieu de Séderon,Séderon,26560,26340,Le Village,44.2058,5.5358,lundi 9h,,2026-10-01',
      'no-insee,00000000000000,Fab lab de Dieulefit,Dieulefit,26220,,Rue du Bourg,44.5256,5.0619,,,2026-10-01',
      'nyons-2,00000000000000,Espace numérique de NYONS,Nyons,26110,26220,Place Joseph Buffaven,44.3608,5.1403,,,2026-10-01',
    ].join('\r\n');
    const progress: number[] = [];
    const report = await importLieux({
      lines: readLieux('lieux.csv', csv),
      partner: 'baronnies',
      endpoint: net.gateway.graphqlUrl,
      token: manager,
      onProgress: (done) => progress.push(done),
    });
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(report.created).toEqual([
      { line: 2, id: expect.stringMatching(/^baronnies:space:/), nom: 'Espace numérique de Nyons' },
    ]);
    expect(report.skipped).toEqual([
      { line: 6, nom: 'Espace numérique de NYONS', existing: report.created[0]!.id },
    ]);
    expect(report.rejected.map((r) => [r.line, r.id])).toEqual([
      [3, 'bad-cp'],
      [4, 'bad-hours'],
      [5, 'no-insee'],
    ]);
    expect(report.rejected[0]!.raison).toBe("code_postal : Le code postal 2611 n'est pas valide");
    expect(report.rejected[1]!.raison).toMatch(
      /^input\.openingHours is not valid opening_hours: lundi 9h/,
    );
    expect(report.rejected[2]!.raison).toMatch(/^code_insee : /);
    expect(formatReport(report)).toContain('5 lieux lus : 1 créés, 1 déjà présents, 3 rejetés.');

    const space = await post(
      net.gateway.graphqlUrl,
      `query ($id: ID!) { space(id: $id) { kinds services amenities address { department } openingHours } }`,
      { id: report.created[0]!.id },
    );
    expect(space.data?.space).toEqual({
      kinds: ['ESPACE_PUBLIC_NUMERIQUE'],
      services: ['DIGITAL_INCLUSION'],
      amenities: ['WIFI'],
      address: { department: '26' },
      openingHours: 'Mo-Fr 09:00-12:00,14:00-17:00',
    });

    const twice = await importLieux({
      lines: readLieux('lieux.csv', csv),
      partner: 'baronnies',
      endpoint: net.gateway.graphqlUrl,
      token: manager,
    });
    expect([twice.created.length, twice.skipped.length, twice.rejected.length]).toEqual([0, 2, 3]);
  });

  it('exports the open spaces in the national schema, as the ANCT library validates them', async () => {
    const json = await get('/opendata/lieux.json');
    expect(json.status).toBe(200);
    const lieux = (await json.json()) as Lieu[];
    // The seeded places publish no street, which the schema requires: only the imported one.
    expect(lieux.map((l) => l.nom)).toEqual(['Espace numérique de Nyons']);
    expect(json.headers.get('x-lieux-exclus')).toBe('5');
    for (const lieu of lieux) expect(() => fromSchemaLieuDeMediationNumerique(lieu)).not.toThrow();
    expect(lieux[0]).toMatchObject({
      pivot: '00000000000000',
      code_insee: '26220',
      adresse: 'Place Joseph Buffaven',
      typologie: 'EPN',
      horaires: 'Mo-Fr 09:00-12:00,14:00-17:00',
      source: 'Réseau des tiers-lieux',
      date_maj: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });

    const excluded = (await (await get('/opendata/lieux-exclus.json')).json()) as {
      nom: string;
      raison: string;
    }[];
    expect(excluded.map((e) => e.nom).sort()).toEqual([
      'La Cantine',
      'La Locomotive',
      'La Serre',
      'La Serre',
      'Les Tuves',
    ]);
    expect(excluded[0]!.raison).toMatch(/^adresse : /);

    const csv = await get('/opendata/lieux.csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe(COLUMNS.join(','));
    const rows = parseCsv(text);
    expect(rows.map((r) => r.values.nom)).toEqual(['Espace numérique de Nyons']);
    const row = Object.fromEntries(Object.entries(rows[0]!.values).filter(([, v]) => v !== ''));
    expect(() =>
      fromSchemaLieuDeMediationNumerique({
        ...(row as unknown as Lieu),
        latitude: Number(row.latitude),
        longitude: Number(row.longitude),
      }),
    ).not.toThrow();
  });

  it('refuses a feed or an export a stopped partner would leave incomplete', async () => {
    await net.partners.find((p) => p.slug === 'cantine')!.close();
    const feed = await get('/calendar/network.ics');
    expect(feed.status).toBe(503);
    expect(feed.headers.get('retry-after')).toBe('300');
    expect(await feed.text()).toMatch(/cantine \(PARTNER_/);
    expect((await get('/calendar/partners/baronnies.ics')).status).toBe(200);
    expect((await get(`/calendar/spaces/${SERRES}.ics`)).status).toBe(200);
    expect((await get('/calendar/partners/cantine.ics')).status).toBe(503);
    expect((await get('/opendata/lieux.csv')).status).toBe(503);
  });
});
