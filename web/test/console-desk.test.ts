import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startSeededNetwork, tokens } from '@tiers-lieux/gateway/testing';
import { seededPersonId } from '@tiers-lieux/schema/seed-people';
import { publicSite } from '../src/server/index.js';
import {
  type Chromium,
  SCREENSHOTS,
  SERIOUS,
  axeViolations,
  openChromium,
  withoutChromium,
} from './chromium.js';
import { everyControlByTab, recordClickListeners } from './keyboard.js';

const LA_SERRE = 'laserre:space:2b4d6f80-a1c3-4e5f-b7d9-0c2e4a6b8d85';
const INES_PASS = 'DMVX-A3W0-KMQ4';

describe.skipIf(withoutChromium)('the Espace gestion of a partner, in Chromium', () => {
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  let baseUrl: string;
  let browser: Chromium;
  let page: Page;

  const shot = (name: string) => browser.shot(name);
  /** Signs the browser in as a seeded person: the development token of their email on every request. */
  const signInAs = async (token: Promise<string>) =>
    page.setExtraHTTPHeaders({ authorization: `Bearer ${await token}` });
  const api = async (query: string, variables: Record<string, unknown>) =>
    post(net.gateway.graphqlUrl, query, variables, await tokens.coordinator());

  /** No serious or critical violation of axe-core's rules on the page as it is. */
  const accessible = async (name: string) => {
    expect(await axeViolations(page, { impacts: SERIOUS }), name).toEqual([]);
  };

  /** Every control of the page reached with Tab, in order, with a visible focus. */
  const keyboardReachable = (name: string) => everyControlByTab(page, name);

  beforeAll(async () => {
    console.log(`screenshots in ${SCREENSHOTS}`);
    net = await startSeededNetwork({ routes: publicSite({ log: () => {} }) });
    baseUrl = net.gateway.url!;
    browser = await openChromium({
      timezoneId: 'America/New_York',
      // axe-core is injected by the test; the page's own policy stays as served.
      bypassCSP: true,
      timeout: 20_000,
    });
    await browser.context.addInitScript(recordClickListeners);
    page = browser.page;
    page.on('dialog', (dialog) => void dialog.accept());
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await net?.stop();
  });

  it("renders the console in the site's page, its code in a chunk the public page does not load", async () => {
    const publicHtml = await (await fetch(`${baseUrl}/`)).text();
    const consoleHtml = await (await fetch(`${baseUrl}/gestion/laserre/accueil`)).text();
    const script = /\/assets\/main-\w+\.js/.exec(publicHtml)?.[0];
    expect(script).toBeDefined();
    expect(consoleHtml).toContain(script);
    const entry = await (await fetch(`${baseUrl}${script}`)).text();
    // The desk's words are in the consoles' chunk, fetched by the router on console paths only.
    expect(entry).not.toContain('Confirmer le passage');
    expect(entry).toMatch(/import\(["'][^"']*\/main-\w+\.js["']\)/);
  });

  it('refuses a manager of La Cantine the console of La Serre, in French and without data', async () => {
    await signInAs(tokens.manager('cantine'));
    const operations: string[] = [];
    const listen = (request: { url(): string; postData(): string | null }) => {
      if (request.url().endsWith('/graphql'))
        operations.push(/(query|mutation) (\w+)/.exec(request.postData() ?? '')?.[2] ?? '?');
    };
    page.on('request', listen);
    await page.goto(`${baseUrl}/gestion/laserre/accueil`);
    await page.getByRole('heading', { level: 1, name: 'Accès réservé' }).waitFor();
    expect(await page.getByRole('alert').innerText()).toContain(
      'Votre compte n’a pas de rôle chez ce partenaire',
    );
    expect(await page.getByText('Marc Giraud').count()).toBe(0);
    page.off('request', listen);
    expect(operations).toEqual(['ConsoleViewer']);
    await accessible('refus');
    await shot('01-refus-cantine-vers-laserre');
  });

  it('edits hours with the editor: a French entry refused with its reason, the preview as the API computes it', async () => {
    await signInAs(tokens.manager('laserre'));
    await page.goto(`${baseUrl}/gestion/laserre/lieux/${encodeURIComponent(LA_SERRE)}`);
    await page.getByRole('heading', { level: 1, name: /La Serre — Toulouse/ }).waitFor();
    const raw = page.getByLabel('Horaires au format OpenStreetMap');
    await raw.fill('lundi 9h-18h');
    await page.getByText('Ces horaires ne peuvent pas être enregistrés').waitFor();
    expect(await raw.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#horaires-lecture').innerText()).toMatch(/«\sMo 09:00-18:00\s»/);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Corrigez les horaires avant d’enregistrer').waitFor();
    await shot('02-horaires-refuses');

    await raw.fill('Mo,Tu 09:00-17:00; Th 14:00-17:00');
    await page.getByText('Lecture en français').waitFor();
    expect(await page.locator('#horaires-lecture ul.horaires').innerText()).toBe(
      'Lundi et mardi, de 9h à 17h\nJeudi, de 14h à 17h',
    );
    expect(await page.locator('#jour-0-ouvert').isChecked()).toBe(true);
    expect(await page.locator('#jour-4-ouvert').isChecked()).toBe(false);
    // Friday morning in the day-by-day form: the string follows it.
    await page.locator('#jour-4-ouvert').focus();
    await page.keyboard.press('Space');
    await page.locator('#jour-4-de').fill('10:00');
    await page.locator('#jour-4-a').fill('12:30');
    await expect
      .poll(() => raw.inputValue())
      .toBe('Mo,Tu 09:00-17:00; Th 14:00-17:00; Fr 10:00-12:30');
    const preview = await page
      .locator('#apercu-ouvertures li')
      .evaluateAll((items) =>
        items.map((li) => [li.getAttribute('data-ouverture'), li.getAttribute('data-fermeture')]),
      );
    expect(preview.length).toBe(5);
    await accessible('lieu');
    await keyboardReachable('lieu');
    await shot('03-horaires-apercu');

    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Modifications enregistrées.').waitFor();
    const truth = await api(
      `query ($id: ID!) { space(id: $id) { openingHours nextOpenings(count: 5) { opensAt closesAt } } }`,
      { id: LA_SERRE },
    );
    expect(truth.data!.space.openingHours).toBe(
      'Mo,Tu 09:00-17:00; Th 14:00-17:00; Fr 10:00-12:30',
    );
    // A period under way starts "now", a moment apart in the page and at the partner.
    const underWay = (opensAt: string) =>
      Date.parse(opensAt) <= Date.now() ? 'en cours' : opensAt;
    expect(
      truth.data!.space.nextOpenings.map((o: { opensAt: string; closesAt: string }) => [
        underWay(new Date(o.opensAt).toISOString()),
        new Date(o.closesAt).toISOString(),
      ]),
    ).toEqual(preview.map(([opensAt, closesAt]) => [underWay(opensAt!), closesAt]));
  });

  it('creates a weekly series and moves one occurrence', async () => {
    await page.goto(`${baseUrl}/gestion/laserre/evenements`);
    await page.getByRole('heading', { level: 1, name: 'Événements' }).waitFor();
    const thursday = new Date(Date.now() + 7 * 86_400_000);
    while (thursday.getUTCDay() !== 4) thursday.setUTCDate(thursday.getUTCDate() + 1);
    const date = thursday.toISOString().slice(0, 10);
    await page.getByLabel('Titre').fill('Réunion d’information hebdomadaire');
    await page.getByLabel('Date (heure de Paris)').fill(date);
    await page.getByLabel('Heure de début').fill('12:30');
    await page.getByLabel('Places (vide : sans limite)').fill('12');
    await page.getByLabel('Répétition').selectOption('WEEKLY');
    await page.getByLabel('Nombre de séances').fill('4');
    await page.getByLabel('Nombre de séances').dispatchEvent('change');
    await expect
      .poll(() => page.getByLabel('Règle de récurrence (RFC 5545)').inputValue())
      .toBe('FREQ=WEEKLY;BYDAY=TH;COUNT=4');
    expect(await page.locator('#apercu-serie ol li').count()).toBe(4);
    await accessible('événements');
    await keyboardReachable('événements');
    await shot('04-serie-apercu');
    await page.getByRole('button', { name: 'Créer' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Réunion d’information hebdomadaire' })
      .waitFor();
    await page.locator('details.serie summary').click();
    await page.locator('details.serie li a').nth(1).click();
    await page
      .getByRole('heading', { level: 1, name: 'Réunion d’information hebdomadaire' })
      .waitFor();
    const second = decodeURIComponent(page.url().split('/evenements/')[1]!);
    const friday = new Date(Date.parse(`${date}T12:00:00Z`) + 8 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const form = page.locator('form.gestion');
    await form.getByLabel('Appliquer à').selectOption('one');
    await form.getByLabel('Date (heure de Paris)').fill(friday);
    await form.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByText('Séance modifiée.').waitFor();
    await accessible('événement');
    await keyboardReachable('événement');
    await shot('05-seance-deplacee');

    const truth = await api(
      `query ($id: ID!) { event(id: $id) { startsAt series { occurrences { id startsAt } } } }`,
      { id: second },
    );
    const starts = truth.data!.event.series.occurrences.map((o: { startsAt: string }) =>
      o.startsAt.slice(0, 16),
    );
    const week = (n: number) =>
      new Date(Date.parse(`${date}T12:00:00Z`) + n * 7 * 86_400_000).toISOString().slice(0, 10);
    expect(starts).toEqual([
      `${week(0)}T12:30`,
      `${friday}T12:30`,
      `${week(2)}T12:30`,
      `${week(3)}T12:30`,
    ]);
  });

  it('redeems a pass at the desk once, through a double click and a lost answer', async () => {
    await signInAs(tokens.staff('laserre'));
    const left = async () =>
      (await api(`query ($c: String!) { pass(code: $c) { entriesLeft } }`, { c: INES_PASS })).data!
        .pass.entriesLeft as number;
    const before = await left();
    await page.goto(`${baseUrl}/gestion/laserre/accueil`);
    await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
    const code = page.getByLabel('Code du pass');
    await code.fill('DMVX-A3W0-KMQ5');
    await page.getByText('Faute de frappe : la clé de contrôle').waitFor();
    await code.fill(INES_PASS.toLowerCase());
    await page.getByText('Code bien formé.').waitFor();
    await code.press('Enter');
    await page.locator('#entrees-restantes').waitFor();
    expect(await page.locator('#entrees-restantes').innerText()).toBe(`${before} sur 10`);
    expect(await page.locator('.pass').innerText()).toMatch(/Valable jusqu’au\s+\d{1,2} \S+ \d{4}/);
    expect(await page.locator('.pass li').allInnerTexts()).toEqual(
      expect.arrayContaining(['La Serre — Toulouse']),
    );
    await accessible('accueil');
    await keyboardReachable('accueil');
    await shot('06-pass-verifie');

    // The first redemption reaches the network, then its answer is lost on the way back.
    const keys: string[] = [];
    let lost = false;
    await page.route('**/graphql', async (route) => {
      const body = route.request().postData() ?? '';
      if (!body.includes('RedeemDeskPass')) return route.continue();
      keys.push(JSON.parse(body).variables.input.idempotencyKey);
      if (lost) return route.continue();
      lost = true;
      await route.fetch();
      return route.abort('connectionreset');
    });
    await page.locator('#confirmer-passage').dblclick();
    await page.getByText('La connexion a été interrompue avant la réponse').waitFor();
    await page.locator('#confirmer-passage').click();
    await page.getByText(/Passage enregistré\s:\s1 entrée utilisée/).waitFor();
    await page.unroute('**/graphql');
    expect(keys.length).toBe(2);
    expect(new Set(keys).size).toBe(1);
    expect(await left()).toBe(before - 1);
    await shot('07-pass-passe-une-fois');
  });

  it('checks in a visitor from another partner picked by card number or e-mail, their name confirmed first', async () => {
    const ines = await post(
      net.gateway.graphqlUrl,
      `{ me { id cardNumber } }`,
      {},
      await tokens.person('ines.benali@example.org'),
    );
    const card = ines.data!.me.cardNumber as string;
    expect(ines.data!.me.id).toBe(seededPersonId('ines.benali@example.org'));
    await signInAs(tokens.staff('locomotive'));
    await page.goto(`${baseUrl}/gestion/locomotive/accueil`);
    await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
    const who = page.getByLabel('E-mail ou numéro de carte du visiteur');
    const find = page.getByRole('button', { name: 'Trouver la personne' });

    // Mistakes are told in French, and nobody is shown for a partial value.
    await who.fill('ines');
    await find.click();
    await page
      .getByText('Tapez l’adresse e-mail du compte de la personne, ou son numéro de carte')
      .waitFor();
    expect(await who.getAttribute('aria-invalid')).toBe('true');
    await who.fill('benali@example.org');
    await find.click();
    await page.getByText('Aucun compte du réseau ne correspond').waitFor();
    expect(await page.getByText('Inès Benali').count()).toBe(0);

    // Her card number as she reads it out, in lower case with spaces.
    await who.fill(card.toLowerCase().replace(/-/g, ' '));
    await who.press('Enter');
    await page.locator('#visiteur-nom').waitFor();
    expect(await page.locator('#visiteur-nom').innerText()).toBe('Inès Benali');
    await accessible('visiteur trouvé');
    await keyboardReachable('visiteur trouvé');
    await shot('08-visiteur-trouve');
    await page.getByRole('button', { name: 'Enregistrer l’arrivée de Inès Benali' }).click();
    await page.getByText('Arrivée de Inès Benali enregistrée.').waitFor();
    const row = page.locator('section.presence tr', { hasText: 'Inès Benali' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Visiteur du réseau');

    // Found again by her e-mail, she cannot be checked in twice: the refusal is in French.
    await page.getByLabel('E-mail ou numéro de carte du visiteur').fill('INES.BENALI@example.org');
    await page.getByRole('button', { name: 'Trouver la personne' }).click();
    await page.getByRole('button', { name: 'Enregistrer l’arrivée de Inès Benali' }).click();
    await page.getByText('Cette personne est déjà enregistrée dans un lieu.').waitFor();
    expect(await page.locator('.console-statut').innerText()).not.toMatch(/[Cc]hecked|already/);
    await accessible('accueil visiteur');
    await shot('09-visiteur-present');
  });

  it('lists members, shows one and adds a membership, refusing the same one twice in French', async () => {
    await signInAs(tokens.manager('laserre'));
    await page.goto(`${baseUrl}/gestion/laserre/membres`);
    await page.getByRole('heading', { level: 1, name: 'Membres' }).waitFor();
    await accessible('membres');
    await keyboardReachable('membres');
    await page.locator('table a').first().click();
    await page.getByRole('heading', { level: 2, name: 'Ajouter un abonnement' }).waitFor();
    const memberId = decodeURIComponent(page.url().split('/membres/')[1]!);
    await accessible('membre');
    await keyboardReachable('membre');

    await page.getByLabel('Lieu').selectOption(LA_SERRE);
    await page.getByLabel('Formule').fill('Carte 10 entrées du test');
    await page.getByLabel('Depuis le').fill('2031-01-05');
    await page.getByRole('button', { name: 'Ajouter l’abonnement' }).click();
    await page.getByText('Abonnement ajouté : Carte 10 entrées du test à La Serre.').waitFor();
    await page.locator('#abonnements tr', { hasText: 'Carte 10 entrées du test' }).waitFor();
    const truth = await api(
      `query ($id: ID!) { member(id: $id) { memberships { plan since until space { id } } } }`,
      {
        id: memberId,
      },
    );
    expect(truth.data!.member.memberships).toContainEqual({
      plan: 'Carte 10 entrées du test',
      since: '2031-01-05',
      until: null,
      space: { id: LA_SERRE },
    });

    await page.getByRole('button', { name: 'Ajouter l’abonnement' }).click();
    await page
      .getByText(
        'Abonnement non ajouté : Cette personne a déjà cette formule dans ce lieu sur une période qui chevauche.',
      )
      .waitFor();
    await accessible('membre abonnement refusé');
    await shot('10-membre-abonnement');
  });
});
