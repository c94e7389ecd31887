import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startSeededNetwork } from '@tiers-lieux/gateway/testing';
import { publicSite } from '../src/server/index.js';
import {
  type Chromium,
  SCREENSHOTS,
  axeViolations,
  openChromium,
  withoutChromium,
} from './chromium.js';

const SERRES_PASS = 'XM5B-659N-D5F7';

/** The schema.org `Place` properties a JSON-LD validator checks, with their types. */
function placeProblems(place: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const address = place.address as Record<string, unknown> | undefined;
  const geo = place.geo as Record<string, unknown> | undefined;
  if (place['@context'] !== 'https://schema.org') problems.push('@context');
  if (place['@type'] !== 'Place') problems.push('@type');
  if (typeof place.name !== 'string' || !place.name) problems.push('name');
  if (typeof place.url !== 'string' || !URL.canParse(place.url)) problems.push('url');
  if (address?.['@type'] !== 'PostalAddress') problems.push('address.@type');
  for (const key of ['postalCode', 'addressLocality', 'addressCountry'])
    if (typeof address?.[key] !== 'string') problems.push(`address.${key}`);
  if (geo?.['@type'] !== 'GeoCoordinates') problems.push('geo.@type');
  for (const key of ['latitude', 'longitude'])
    if (typeof geo?.[key] !== 'number') problems.push(`geo.${key}`);
  const hours = place.openingHours;
  if (
    hours !== undefined &&
    !(
      Array.isArray(hours) &&
      hours.every((h) =>
        /^(Mo|Tu|We|Th|Fr|Sa|Su)([-,](Mo|Tu|We|Th|Fr|Sa|Su))* \d\d:\d\d-\d\d:\d\d$/.test(h),
      )
    )
  )
    problems.push('openingHours');
  const known = new Set([
    '@context',
    '@type',
    'name',
    'url',
    'address',
    'geo',
    'description',
    'openingHours',
    'email',
    'telephone',
    'sameAs',
    'hasMap',
    'maximumAttendeeCapacity',
  ]);
  for (const key of Object.keys(place)) if (!known.has(key)) problems.push(`unknown ${key}`);
  return problems;
}

describe.skipIf(withoutChromium)('the web page in Chromium', () => {
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  let baseUrl: string;
  let browser: Chromium;
  let context: BrowserContext;
  let page: Page;
  const shot = (name: string) => browser.shot(name);

  beforeAll(async () => {
    console.log(`screenshots in ${SCREENSHOTS}`);
    // Tiles from this gateway, which has none: the machine has no internet, and the map must
    // work without them.
    net = await startSeededNetwork({
      routes: publicSite({ log: () => {}, tileUrl: '/tuiles/{z}/{x}/{y}.png' }),
    });
    baseUrl = net.gateway.url!;
    // Neither Paris nor UTC: the page computes "Thursday 15:00" in Paris time itself.
    browser = await openChromium({ timezoneId: 'America/New_York' });
    ({ context, page } = browser);
  });
  /** axe-core on the page as it is: no violation of any rule (WCAG 2.1 AA and best practices). */
  async function checkAccessibility(what: string) {
    expect(await axeViolations(page), what).toEqual([]);
  }

  afterAll(async () => {
    await browser?.close();
    await net?.stop();
  });

  it('finds Les Tuves by typing "tuves", with its hours', async () => {
    await page.goto(`${baseUrl}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    const search = page.getByLabel('Rechercher un lieu ou une commune');
    await search.focus();
    await page.keyboard.type('tuves', { delay: 40 });
    await page.getByText('1 lieu trouvé').waitFor();
    const card = page.locator('article[data-lieu]');
    expect(await card.count()).toBe(1);
    expect(await card.locator('h2').innerText()).toBe('Les Tuves — Buis-les-Baronnies');
    expect(await card.locator('.horaires').innerText()).toBe(
      'Horaires\u00a0: Du lundi au vendredi, de 9h à 18h',
    );
    expect(await card.locator('.badge').innerText()).toMatch(
      /^(Ouvert maintenant|Ouvre .+ à \d+h)/,
    );
    expect(await card.getByRole('link', { name: /OpenStreetMap/ }).getAttribute('href')).toMatch(
      /^https:\/\/www\.openstreetmap\.org\/\?mlat=44\.2756&mlon=5\.2711/,
    );
    expect(page.url()).toBe(`${baseUrl}/?q=tuves`);
    await shot('01-recherche-tuves');
  });

  it('filters the spaces open on Thursday at 15:00 in the Hautes-Alpes: La Serre (Serres)', async () => {
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
    await page.getByText('5 lieux trouvés').waitFor();
    await page.getByLabel('Département').selectOption('05');
    await page.getByText('2 lieux trouvés').waitFor();
    await page.getByLabel('Ouvert le jour et à l’heure choisis').check();
    await page.getByLabel('Jour', { exact: true }).selectOption({ label: 'jeudi' });
    await page.getByLabel('Heure', { exact: true }).selectOption({ label: '13h' });
    await page.getByText('1 lieu trouvé').waitFor();
    expect(await page.locator('article[data-lieu] h2').allInnerTexts()).toEqual([
      'La Locomotive — Gap',
    ]);
    await page.getByLabel('Heure', { exact: true }).selectOption({ label: '15h' });
    await page.getByText('2 lieux trouvés').waitFor();
    expect(await page.locator('article[data-lieu] h2').allInnerTexts()).toEqual([
      'La Locomotive — Gap',
      'La Serre — Serres',
    ]);
    await shot('02-ouvert-jeudi-15h-hautes-alpes');
  });

  it('registers a guest for an event and shows one seat less', async () => {
    await page.getByRole('link', { name: 'La Serre', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'La Serre — Serres' }).waitFor();
    const place = JSON.parse((await page.locator('#jsonld').textContent())!);
    expect(place).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Place',
      name: 'La Serre',
      address: { postalCode: '05700', addressLocality: 'Serres' },
      openingHours: ['Mo,Tu 09:00-17:00', 'Th 14:00-17:00'],
    });
    expect(await page.locator('ul.horaires').innerText()).toBe(
      'Lundi et mardi, de 9h à 17h\nJeudi, de 14h à 17h',
    );
    await shot('03-lieu-la-serre-serres');

    await page.getByRole('link', { name: 'Réunion d’information : coworker à la MSAP' }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    const seats = page.locator('#places-restantes');
    const before = Number(/^(\d+) places restantes sur 12$/.exec(await seats.innerText())?.[1]);
    expect(before).toBeGreaterThan(1);
    const event = JSON.parse((await page.locator('#jsonld').textContent())!);
    expect(event).toMatchObject({
      '@type': 'Event',
      name: 'Réunion d’information : coworker à la MSAP',
      eventStatus: 'https://schema.org/EventScheduled',
      location: { '@type': 'Place', name: 'La Serre' },
      remainingAttendeeCapacity: before,
    });

    await page.getByRole('button', { name: 'S’inscrire' }).click();
    expect(await page.getByLabel('Nom et prénom').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Nom et prénom').fill('Camille Dupont');
    await page.getByLabel('Adresse e-mail').fill('camille.dupont@example.org');
    await page.getByRole('button', { name: 'S’inscrire' }).click();
    // A guest's seat is held until the guest confirms by the link mailed (issue 15): the page
    // says a mail is on its way, whatever applies, and the seat is held meanwhile.
    await page.getByText('Un mail est en route vers camille.dupont@example.org').waitFor();
    await shot('04-inscription-invite');

    const answer = await post(
      net.gateway.graphqlUrl,
      `query ($id: ID!) { event(id: $id) { seatsLeft } }`,
      {
        id: event.url.split('/evenements/')[1],
      },
    );
    expect(answer.data?.event.seatsLeft).toBe(before - 1);

    // The same address again: the page tells nobody whether it was registered already.
    await page.getByLabel('Nom et prénom').fill('Camille Dupont');
    await page.getByLabel('Adresse e-mail').fill('camille.dupont@example.org');
    await page.getByRole('button', { name: 'S’inscrire' }).click();
    await page.getByText('Un mail est en route vers camille.dupont@example.org').waitFor();
  });

  it('searches near Nyons, then near the postcode 05200 (Embrun): nearest first, with distances', async () => {
    await page.goto(`${baseUrl}/`);
    const near = page.getByLabel('Près de');
    await near.fill('Nyons');
    await near.press('Enter');
    await page.getByText('Lieux classés du plus proche au plus lointain de Nyons.').waitFor();
    await page.waitForURL(/pres=26220/);
    await page.getByText('2 lieux trouvés').waitFor();
    const distances = async () =>
      page
        .locator('article[data-lieu]')
        .evaluateAll((cards) =>
          cards.map((c) => [
            c.querySelector('h2')!.textContent,
            Number(
              /à ([\d,]+) km/
                .exec(c.querySelector('.distance')!.textContent!)![1]!
                .replace(',', '.'),
            ),
          ]),
        );
    const fromNyons = await distances();
    expect(fromNyons.map(([name]) => name)).toEqual([
      'Les Tuves — Buis-les-Baronnies',
      'La Serre — Serres',
    ]);
    expect(fromNyons[0]![1]).toBeLessThan(fromNyons[1]![1] as number);
    expect(await near.inputValue()).toBe('Nyons (26110)');
    await shot('08-pres-de-nyons');

    await near.fill('05200');
    await near.press('Enter');
    await page.getByText('Lieux classés du plus proche au plus lointain de Embrun.').waitFor();
    await page.getByLabel('Dans un rayon de').selectOption('100');
    await page.waitForURL(/pres=05046&rayon=100/);
    // Nyons also found two: wait for Embrun's two, not for the count.
    await expect
      .poll(async () => (await distances()).map(([name]) => name))
      .toEqual(['La Locomotive — Gap', 'La Serre — Serres']);
    const fromEmbrun = await distances();
    expect(fromEmbrun[0]![1]).toBeGreaterThan(20);
    expect(fromEmbrun[0]![1]).toBeLessThan(fromEmbrun[1]![1] as number);
    // The same search, reloaded from its URL, is rendered by the server then by the script.
    await page.reload();
    await page.getByText('2 lieux trouvés').waitFor();
    expect(await near.inputValue()).toBe('Embrun (05200)');
  });

  it('says on every card whether the space is open on Thursday at 15h, or at 13h', async () => {
    const badges = () =>
      page
        .locator('article[data-lieu]')
        .evaluateAll((cards) =>
          Object.fromEntries(
            cards.map((c) => [
              c.querySelector('h2')!.textContent,
              c.querySelector('.badge')!.textContent,
            ]),
          ),
        );
    await page.goto(`${baseUrl}/?departement=05&ouvert=le&jour=4&heure=15:00&fermes=1`);
    await page.getByText('2 lieux trouvés').waitFor();
    // Thursday may be today or tomorrow for the machine running the test.
    const thursday = /^(Ouvert|Fermé) (jeudi|aujourd’hui|demain) à 15h$/;
    const at15 = await badges();
    expect(Object.keys(at15)).toEqual(['La Locomotive — Gap', 'La Serre — Serres']);
    for (const badge of Object.values(at15)) expect(badge).toMatch(thursday);
    expect(Object.values(at15).every((b) => b!.startsWith('Ouvert'))).toBe(true);

    await page.getByLabel('Heure', { exact: true }).selectOption({ label: '13h' });
    await page.waitForURL(/heure=13%3A00&fermes=1|heure=13:00&fermes=1/);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('article .badge')].some((b) => b.textContent!.includes('13h')),
    );
    const at13 = await badges();
    expect(at13['La Locomotive — Gap']).toMatch(/^Ouvert .+ à 13h$/);
    expect(at13['La Serre — Serres']).toMatch(/^Fermé .+ à 13h$/);
    await shot('09-jeudi-13h-ouvert-ferme');

    await page.getByLabel('Afficher aussi les lieux fermés à ce moment-là').uncheck();
    await page.getByText('1 lieu trouvé').waitFor();
    expect(await page.locator('article[data-lieu] h2').allInnerTexts()).toEqual([
      'La Locomotive — Gap',
    ]);
  });

  it('shows the results on a map whose markers follow the list, even without tiles', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByText('5 lieux trouvés').waitFor();
    const scripts = () =>
      page.evaluate(
        () =>
          performance.getEntriesByType('resource').filter((e) => /\/assets\/map-/.test(e.name))
            .length,
      );
    expect(await scripts()).toBe(0);
    await page.getByRole('button', { name: 'Afficher la carte' }).click();
    await page.waitForURL(/carte=1/);
    const markers = page.locator('.carte-lieux .repere span[data-lieu]');
    await page.waitForFunction(
      () => document.querySelectorAll('.carte-lieux .repere').length === 5,
    );
    expect(await scripts()).toBeGreaterThan(0);
    const listed = await page
      .locator('article[data-lieu]')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-lieu')));
    const marked = await markers.evaluateAll((spans) =>
      spans
        .map((s) => [Number(s.textContent), s.getAttribute('data-lieu')] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, id]) => id),
    );
    expect(marked).toEqual(listed);
    // Markers answer the keyboard too; the list stays the primary way through the results.
    const first = page.locator('.carte-lieux .repere', {
      has: page.locator('span', { hasText: /^1$/ }),
    });
    await first.focus();
    await page.keyboard.press('Enter');
    await page.locator('.leaflet-popup-content article[data-lieu] h2').waitFor();
    expect(await page.locator('.leaflet-popup-content article').getAttribute('data-lieu')).toBe(
      listed[0],
    );
    await shot('10-carte');
    await checkAccessibility('annuaire avec la carte');
  });

  it('sends a space page that needs no JavaScript, with its name, hours, events and a valid Place', async () => {
    const withoutScript = await openChromium({ javaScriptEnabled: false });
    const bare = withoutScript.page;
    try {
      const answer = await bare.goto(`${baseUrl}/?q=serres`);
      expect(answer!.status()).toBe(200);
      const serres = bare.getByRole('link', { name: 'La Serre', exact: true });
      const href = await serres.getAttribute('href');
      const space = await bare.goto(`${baseUrl}${href}`);
      expect(space!.status()).toBe(200);
      expect(await bare.locator('h1').innerText()).toBe('La Serre — Serres');
      expect(await bare.locator('ul.horaires').innerText()).toBe(
        'Lundi et mardi, de 9h à 17h\nJeudi, de 14h à 17h',
      );
      expect(
        await bare
          .getByRole('link', { name: 'Réunion d’information : coworker à la MSAP' })
          .count(),
      ).toBe(1);
      const place = JSON.parse((await bare.locator('#jsonld').textContent())!);
      expect(placeProblems(place)).toEqual([]);
      expect(place).toMatchObject({ name: 'La Serre', address: { addressLocality: 'Serres' } });
      const unknown = await bare.goto(
        `${baseUrl}/lieux/baronnies:space:00000000-0000-4000-8000-000000000000`,
      );
      expect(unknown!.status()).toBe(404);
      const admin = await bare.goto(`${baseUrl}/admin`);
      expect(admin!.status()).toBe(404);
      expect(admin!.headers()['content-type']).toBe('text/html; charset=utf-8');
      expect(await bare.locator('h1').innerText()).toBe('Page introuvable');
      expect(await bare.locator('html').getAttribute('lang')).toBe('fr');
    } finally {
      await withoutScript.close();
    }
  });

  it('adds an event to one’s calendar: its own .ics, Google and Outlook', async () => {
    await page.goto(`${baseUrl}/?q=serres`);
    await page.getByRole('link', { name: 'La Serre', exact: true }).click();
    await page.getByRole('link', { name: 'Réunion d’information : coworker à la MSAP' }).click();
    await page.getByRole('heading', { level: 2, name: 'Ajouter à mon agenda' }).waitFor();
    const file = await page.getByRole('link', { name: /Fichier iCalendar/ }).getAttribute('href');
    const ics = await fetch(`${baseUrl}${file}`);
    expect(ics.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const body = await ics.text();
    expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(body).toContain('SUMMARY:Réunion d’information : coworker à la MSAP');
    expect(await page.getByRole('link', { name: 'Google Agenda' }).getAttribute('href')).toMatch(
      /^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE&text=R%C3%A9union.+&dates=\d{8}T\d{6}Z%2F\d{8}T\d{6}Z/,
    );
    expect(await page.getByRole('link', { name: 'Outlook.com' }).getAttribute('href')).toMatch(
      /^https:\/\/outlook\.live\.com\/calendar\/0\/deeplink\/compose\?/,
    );
    await checkAccessibility('événement');
  });

  it('runs a query with variables in the /api explorer, and fits a 390 px phone', async () => {
    const phone = await context.newPage();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(`${baseUrl}/api`);
      await phone.getByRole('heading', { level: 1, name: 'L’API GraphQL du réseau' }).waitFor();
      await phone.locator('.graphiql-container').waitFor();
      await phone.getByRole('button', { name: /Execute query/ }).click();
      await phone.waitForFunction(() =>
        /"distanceKm"/.test(document.querySelector('.result-window')?.textContent ?? ''),
      );
      const result = await phone.locator('.result-window').innerText();
      expect(result).toContain('"totalCount"');
      expect(result).toContain('La Locomotive');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      );
      await phone.screenshot({ path: join(SCREENSHOTS, '11-api-390px.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  it('has no accessibility violation on any public page', async () => {
    for (const [path, ready] of [
      ['/', 'article[data-lieu]'],
      ['/?q=serres&ouvert=le&jour=4&heure=15:00&fermes=1', 'article[data-lieu]'],
      ['/agenda', 'h1'],
      ['/pass', 'h1'],
      ['/admin', 'h1'],
    ] as const) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator(ready).first().waitFor();
      await page.waitForFunction(() => !document.querySelector('[aria-busy]'));
      await checkAccessibility(path);
    }
    await page.goto(`${baseUrl}/?q=serres`);
    await page.getByRole('link', { name: 'La Serre', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'La Serre — Serres' }).waitFor();
    await checkAccessibility('lieu');
  });

  it('checks a pass: entries left, expiry, where it is valid', async () => {
    await page.getByRole('link', { name: 'Mon pass', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon pass' }).waitFor();
    const code = page.getByLabel('Code du pass');
    await code.fill('XM5B-659N-D5F8');
    await code.press('Enter');
    await page.getByText('Ce code n’est pas valide').waitFor();
    await code.fill(SERRES_PASS.toLowerCase());
    await code.press('Enter');
    await page.getByRole('heading', { level: 2, name: /Carte d’abonnement 10 entrées/ }).waitFor();
    const truth = await post(
      net.gateway.graphqlUrl,
      `query ($code: String!) { pass(code: $code) { entriesLeft entriesTotal } }`,
      { code: SERRES_PASS },
    );
    const { entriesLeft, entriesTotal } = truth.data!.pass;
    expect(await page.locator('#entrees-restantes').innerText()).toBe(
      `${entriesLeft} sur ${entriesTotal}`,
    );
    expect(await page.locator('.pass').innerText()).toMatch(/Valable jusqu’au\s+\d{1,2} \S+ \d{4}/);
    expect(await page.locator('.pass li').allInnerTexts()).toContain('La Serre — Serres');
    expect(await page.locator('.pass').innerText()).toContain(
      `${entriesTotal - entriesLeft} entrées utilisées depuis l’achat.`,
    );
    await shot('05-mon-pass');
  });

  it('names the missing partner when one stops, and shows the rest', async () => {
    await net.partners.find((p) => p.slug === 'cantine')!.close();
    await page.getByRole('link', { name: 'Annuaire', exact: true }).click();
    const notice = page.locator('#avis-partenaires .avis');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(
      /Le partenaire «\s?La Cantine\s?» ne répond pas pour le moment/,
    );
    await page.getByText('4 lieux trouvés').waitFor();
    const names = await page.locator('article[data-lieu] h2').allInnerTexts();
    expect(names).toContain('Les Tuves — Buis-les-Baronnies');
    expect(names.some((n) => n.startsWith('La Cantine'))).toBe(false);
    await shot('06-partenaire-absent');

    await page.getByRole('link', { name: 'Agenda', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Agenda du réseau' }).waitFor();
    await notice.waitFor();
    expect(
      await page.getByRole('link', { name: 'S’abonner à cet agenda' }).getAttribute('href'),
    ).toBe(`${baseUrl.replace('http:', 'webcal:')}/calendar/network.ics`);
    await shot('07-agenda-partenaire-absent');
  });
});
