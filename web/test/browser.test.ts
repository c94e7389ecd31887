import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startSeededNetwork } from '@tiers-lieux/gateway/testing';
import { publicSite } from '../src/server/index.js';

/** Debian's chromium, installed by .ci/steps/browsers.sh in CI. */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = fileURLToPath(new URL('./__screenshots__/', import.meta.url));
const CI = ['true', '1'].includes(process.env.CI ?? '');
const present = existsSync(CHROMIUM);
if (!present && !CI)
  console.warn(
    `web/test/browser.test.ts skipped: ${CHROMIUM} is missing (apt-get install chromium, as .ci/steps/browsers.sh does)`,
  );

const SERRES_PASS = 'XM5B-659N-D5F7';

describe.skipIf(!present && !CI)('the web page in Chromium', () => {
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  let baseUrl: string;
  let context: BrowserContext;
  let profile: string;
  let page: Page;

  const shot = async (name: string) => {
    const path = join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  };

  beforeAll(async () => {
    if (!present)
      throw new Error(`${CHROMIUM} is missing: CI must install it (.ci/steps/browsers.sh)`);
    await mkdir(SCREENSHOTS, { recursive: true });
    console.log(`screenshots in ${SCREENSHOTS}`);
    net = await startSeededNetwork({ routes: publicSite({ log: () => {} }) });
    baseUrl = net.gateway.url!;
    profile = await mkdtemp(join(tmpdir(), 'tiers-lieux-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      locale: 'fr-FR',
      // Neither Paris nor UTC: the page computes "Thursday 15:00" in Paris time itself.
      timezoneId: 'America/New_York',
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
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
      'Horaires : Du lundi au vendredi, de 9h à 18h',
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
    await page.getByText('C’est noté : votre place est réservée').waitFor();
    expect(await seats.innerText()).toBe(`${before - 1} places restantes sur 12`);
    await shot('04-inscription-invite');

    const answer = await post(
      net.gateway.graphqlUrl,
      `query ($id: ID!) { event(id: $id) { seatsLeft } }`,
      {
        id: event.url.split('/evenements/')[1],
      },
    );
    expect(answer.data?.event.seatsLeft).toBe(before - 1);

    await page.getByLabel('Nom et prénom').fill('Camille Dupont');
    await page.getByLabel('Adresse e-mail').fill('camille.dupont@example.org');
    await page.getByRole('button', { name: 'S’inscrire' }).click();
    await page.getByText('Cette adresse e-mail est déjà inscrite à cet événement.').waitFor();
  });

  it('checks a pass: entries left, expiry, where it is valid', async () => {
    await page.getByRole('link', { name: 'Mon pass' }).click();
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
    await page.getByRole('link', { name: 'Annuaire' }).click();
    const notice = page.locator('#avis-partenaires .avis');
    await notice.waitFor();
    expect(await notice.innerText()).toContain(
      'Le partenaire « La Cantine » ne répond pas pour le moment',
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
