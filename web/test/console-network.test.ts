import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parisDate } from '@tiers-lieux/schema';
import { post, startSeededNetwork, tokens } from '@tiers-lieux/gateway/testing';
import { french } from '../src/app/typography.js';
import { publicSite } from '../src/server/index.js';
import {
  type Chromium,
  SERIOUS,
  axeViolations,
  openChromium,
  withoutChromium,
} from './chromium.js';

const PAGES = ['/reseau/partenaires', '/reseau/pass', '/reseau/reglements', '/reseau/statistiques'];

/** The statistics page's figures, asked of the gateway by the test itself. */
const FIGURES = `query ($from: Date!, $to: Date!) {
  visitsByWeek(from: $from, to: $to, first: 500) { week visits space { id name address { commune } } }
  occupancyByHour(from: $from, to: $to) { weekday hour visitorHours }
  eventAttendance(from: $from, to: $to, first: 50) { capacity confirmed waiting event { title startsAt } }
  directoryOptIns(from: $from, to: $to) { month members }
  settlement(from: $from, to: $to) { lines(first: 1000) { host { name } entries } }
}`;
interface Figures {
  visitsByWeek: {
    week: string;
    visits: number;
    space: { id: string; name: string; address: { commune: string } | null };
  }[];
  occupancyByHour: { weekday: number; hour: number; visitorHours: number }[];
  eventAttendance: {
    capacity: number | null;
    confirmed: number;
    waiting: number;
    event: { title: string; startsAt: string };
  }[];
  directoryOptIns: { month: string; members: number }[];
  settlement: { lines: { host: { name: string }; entries: number }[] };
}
/** What a chart plots, as its Chart.js instance holds it (written on the canvas by the page). */
interface Plotted {
  labels: string[];
  datasets: { label: string; data: number[] }[];
}

describe.skipIf(withoutChromium)('the Réseau console in Chromium', () => {
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  let baseUrl: string;
  let browser: Chromium;
  let context: BrowserContext;
  let page: Page;
  let coordinator: string;

  const as = async (token: string) => {
    await context.setExtraHTTPHeaders({ authorization: `Bearer ${token}` });
  };
  const shot = (name: string) => browser.shot(name);
  const seriousViolations = () => axeViolations(page, { impacts: SERIOUS });

  beforeAll(async () => {
    net = await startSeededNetwork({ routes: publicSite({ log: () => {} }) });
    baseUrl = net.gateway.url!;
    coordinator = await tokens.coordinator();
    browser = await openChromium({ timeout: 20_000 });
    ({ context, page } = browser);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await net?.stop();
  });

  it('refuses a manager in French, with no data', async () => {
    await as(await tokens.manager('cantine'));
    const graphql: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql')) graphql.push(r.postData() ?? '');
    });
    await page.goto(`${baseUrl}/reseau/reglements`);
    await page.getByRole('heading', { level: 1, name: 'Accès réservé' }).waitFor();
    // French typography: no-break spaces inside « ».
    expect(await page.locator('.refus').innerText()).toContain(
      'Votre compte n’a pas le rôle nécessaire pour ouvrir «\u00a0Réseau\u00a0»',
    );
    expect(graphql.every((body) => body.includes('ConsoleViewer'))).toBe(true);
    expect(await page.locator('table').count()).toBe(0);
    await shot('reseau-01-refus-gestionnaire');
    page.removeAllListeners('request');
  });

  it('passes axe with no serious or critical violation on every page, as a coordinator', async () => {
    await as(coordinator);
    for (const path of PAGES) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator('.console-corps h1').waitFor();
      await page.waitForLoadState('networkidle');
      expect({ path, violations: await seriousViolations() }).toEqual({ path, violations: [] });
      await shot(`reseau-02-${path.split('/').pop()}`);
    }
  });

  it('downloads the settlement CSV the API answers', async () => {
    await as(coordinator);
    await page.goto(`${baseUrl}/reseau/reglements`);
    await page.locator('main h1').waitFor();
    await page.getByRole('link', { name: 'Télécharger le CSV' }).waitFor();
    const period = await page.evaluate(() => {
      const form = document.querySelector('form')!;
      return {
        from: (form.elements.namedItem('du') as HTMLInputElement).value,
        to: (form.elements.namedItem('au') as HTMLInputElement).value,
      };
    });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger le CSV' }).click(),
    ]);
    const downloaded = await readFile((await download.path())!, 'utf8');
    const api = await post(
      net.gateway.graphqlUrl,
      `query ($from: Date!, $to: Date!) { settlement(from: $from, to: $to) { csv } }`,
      period,
      coordinator,
    );
    expect(downloaded).toBe(api.data?.settlement.csv);
    expect(downloaded.startsWith('from,to,seller,')).toBe(true);
  });

  it('plots on every chart, and lists beside it, the figures the API answers', async () => {
    await as(coordinator);
    // Ninety days back and three weeks ahead: the seeded visits, passes, opt-ins and events.
    const day = 86_400_000;
    const period = {
      from: parisDate(new Date(Date.now() - 89 * day)),
      to: parisDate(new Date(Date.now() + 21 * day)),
    };
    await page.goto(`${baseUrl}/reseau/statistiques?du=${period.from}&au=${period.to}`);
    await page.locator('#graphique-annuaire[data-valeurs]').waitFor();
    const api = await post(net.gateway.graphqlUrl, FIGURES, period, coordinator);
    expect(api.errors).toBeUndefined();
    const figures = api.data as unknown as Figures;

    const plotted = async (id: string) =>
      JSON.parse((await page.locator(`#${id}`).getAttribute('data-valeurs'))!) as Plotted;
    /** The cells of each body row of the table with this caption, as written in the page. */
    const table = (caption: string) =>
      page
        .locator('table', { has: page.locator('caption', { hasText: caption }) })
        .locator('tbody tr')
        .evaluateAll((rows) =>
          rows.map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent)),
        );
    /** A row as the page writes it: every text in French typography (no-break space before « : »…). */
    const written = (cells: (string | number)[]) => cells.map((cell) => french(String(cell)));
    const total = (values: number[]) => values.reduce((a, b) => a + b, 0);

    // Visits per space per week: one stacked series per space.
    const weeks = [...new Set(figures.visitsByWeek.map((v) => v.week))].sort();
    const place = (v: Figures['visitsByWeek'][number]) =>
      `${v.space.name} — ${v.space.address?.commune ?? ''}`;
    const spaces = [...new Map(figures.visitsByWeek.map((v) => [v.space.id, place(v)]))];
    expect(await plotted('graphique-visites')).toEqual({
      labels: weeks,
      datasets: spaces.map(([id, label]) => ({
        label,
        data: weeks.map(
          (w) => figures.visitsByWeek.find((v) => v.week === w && v.space.id === id)?.visits ?? 0,
        ),
      })),
    });
    expect(total(figures.visitsByWeek.map((v) => v.visits))).toBeGreaterThan(0);
    expect(await table('Visites par lieu et par semaine')).toEqual(
      figures.visitsByWeek.map((v) => written([v.week, place(v), v.visits])),
    );

    // Occupancy: a heat map drawn as a table, 7h to 21h.
    expect(total(figures.occupancyByHour.map((c) => c.visitorHours))).toBeGreaterThan(0);
    const heat = await page
      .locator('#carte-occupation tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((c) => Number(c.textContent))),
      );
    expect(heat).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((weekday) =>
        Array.from(
          { length: 15 },
          (_, i) =>
            figures.occupancyByHour.find((c) => c.weekday === weekday && c.hour === i + 7)
              ?.visitorHours ?? 0,
        ),
      ),
    );

    // Events: registrations against seats.
    const events = figures.eventAttendance;
    expect(total(events.map((e) => e.confirmed))).toBeGreaterThan(0);
    expect(await plotted('graphique-evenements')).toEqual({
      labels: events.map((e) => e.event.title),
      datasets: [
        { label: 'Inscrits', data: events.map((e) => e.confirmed) },
        { label: 'Places', data: events.map((e) => e.capacity ?? 0) },
      ],
    });
    expect(await table('Événements et remplissage')).toEqual(
      events.map((e) =>
        written([
          e.event.title,
          new Date(e.event.startsAt).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' }),
          e.confirmed,
          e.capacity ?? 'illimitées',
          e.waiting,
        ]),
      ),
    );

    // Pass entries spent per host, summed from the settlement's lines.
    const hosts = new Map<string, number>();
    for (const line of figures.settlement.lines)
      hosts.set(line.host.name, (hosts.get(line.host.name) ?? 0) + line.entries);
    expect(total([...hosts.values()])).toBeGreaterThan(0);
    expect(await plotted('graphique-hotes')).toEqual({
      labels: [...hosts.keys()],
      datasets: [{ label: 'Entrées dépensées', data: [...hosts.values()] }],
    });
    expect(await table('Entrées de pass dépensées par hôte')).toEqual(
      [...hosts].map(([name, entries]) => written([name, entries])),
    );

    // Members in the directory: the running total of the opt-ins month by month.
    let running = 0;
    const months = figures.directoryOptIns.map((m) => ({ ...m, total: (running += m.members) }));
    expect(running).toBeGreaterThan(0);
    expect(await plotted('graphique-annuaire')).toEqual({
      labels: months.map((m) => m.month),
      datasets: [{ label: 'Membres dans l’annuaire (cumul)', data: months.map((m) => m.total) }],
    });
    expect(await table('Membres inscrits à l’annuaire')).toEqual(
      months.map((m) => written([m.month, m.members, m.total])),
    );
    await shot('reseau-03-statistiques');
  });
});
