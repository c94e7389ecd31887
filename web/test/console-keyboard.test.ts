import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededNetwork, tokens } from '@tiers-lieux/gateway/testing';
import { NETWORK_CONSOLE } from '../src/console/network/routes.js';
import { publicSite } from '../src/server/index.js';
import { type Chromium, openChromium, withoutChromium } from './chromium.js';
import { everyControlByTab, recordClickListeners, tabToControl } from './keyboard.js';

const LA_SERRE = 'laserre:space:2b4d6f80-a1c3-4e5f-b7d9-0c2e4a6b8d85';
const INES_PASS = 'DMVX-A3W0-KMQ4';
const FIRST_EVENT = 'laserre:event:5b6d8f0a-2c4e-4a6c-9e8f-0b2d4e6a8c52';

/**
 * Every page of both consoles, from the keyboard alone: each control is reached by Tab, in the
 * order of the page, with a visible focus; nothing clickable is out of the Tab order; and one
 * real action of the page is done with Enter or Space.
 */
describe.skipIf(withoutChromium)('the consoles from the keyboard, in Chromium', () => {
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  let baseUrl: string;
  let browser: Chromium;
  let context: BrowserContext;
  let page: Page;

  const as = async (token: Promise<string>) =>
    context.setExtraHTTPHeaders({ authorization: `Bearer ${await token}` });
  const open = async (path: string) => {
    await page.goto(`${baseUrl}${path}`);
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
  };

  const tabsThrough = (name: string) => everyControlByTab(page, name);
  const tabTo = (selector: string) => tabToControl(page, selector);

  beforeAll(async () => {
    net = await startSeededNetwork({ routes: publicSite({ log: () => {} }) });
    baseUrl = net.gateway.url!;
    browser = await openChromium({ timeout: 20_000 });
    ({ context, page } = browser);
    await context.addInitScript(recordClickListeners);
    page.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await browser?.close();
    await net?.stop();
  });

  it('covers every page of the Réseau console', () => {
    expect(NETWORK_CONSOLE.pages.map((p) => p.path)).toEqual([
      '/reseau/partenaires',
      '/reseau/pass',
      '/reseau/reglements',
      '/reseau/statistiques',
    ]);
  });

  it('Réseau › Partenaires: gives a role and takes it back with the keyboard', async () => {
    await as(tokens.coordinator());
    await open('/reseau/partenaires');
    await tabsThrough('partenaires');
    const revoke = page.getByRole('button', { name: 'Retirer le rôle de Nadia Perrin' });
    const before = await revoke.count();
    await tabTo('input[name=email]');
    await page.keyboard.type('nadia.perrin@baronnies.example');
    await tabTo('select[name=role]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('select[name=role]').inputValue()).toBe('STAFF');
    await tabTo('input[name=partner]');
    await page.keyboard.type('laserre');
    await tabTo('button[value=grant]');
    await page.keyboard.press('Space');
    await page.getByText('Le rôle est donné.').waitFor();
    await expect.poll(() => revoke.count()).toBe(before + 1);
    // The role just given: the row that names La Serre and « Accueil ».
    await page
      .locator('tr', { hasText: 'Accueil' })
      .filter({ hasText: /laserre|La Serre/ })
      .getByRole('button', { name: 'Retirer le rôle de Nadia Perrin' })
      .evaluate((b) => b.setAttribute('data-cible', ''));
    await tabTo('button[data-cible]');
    await page.keyboard.press('Enter');
    await page.getByText('Le rôle est retiré.').waitFor();
    await expect.poll(() => revoke.count()).toBe(before);
  });

  it('Réseau › Pass: searches the passes with the keyboard', async () => {
    await open('/reseau/pass');
    await tabsThrough('pass');
    await tabTo('input[name=q]');
    await page.keyboard.type(INES_PASS);
    await page.keyboard.press('Enter');
    await page.locator('caption', { hasText: `1 pass pour « ${INES_PASS} »` }).waitFor();
  });

  it('Réseau › Règlements: downloads the CSV with the keyboard', async () => {
    await open('/reseau/reglements');
    await tabsThrough('reglements');
    await tabTo('a[download]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.keyboard.press('Enter'),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
  });

  it('Réseau › Statistiques: changes the period with the keyboard', async () => {
    await open('/reseau/statistiques');
    await page.locator('#graphique-annuaire[data-valeurs]').waitFor();
    await tabsThrough('statistiques');
    await tabTo('input[name=du]');
    // A date field takes its parts in the order of the browser's locale: the same day and month.
    await page.keyboard.type('02022026');
    await tabTo('form[aria-label="Période"] button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/du=2026-02-02/);
    await page.locator('#graphique-annuaire[data-valeurs]').waitFor();
  });

  it('Espace gestion: opens a partner from the list', async () => {
    await as(tokens.manager('laserre'));
    await open('/gestion');
    await tabsThrough('gestion');
    await tabTo('a[href="/gestion/laserre/accueil"]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
  });

  it('Espace gestion › Accueil: checks a pass with the keyboard', async () => {
    await open('/gestion/laserre/accueil');
    await tabsThrough('accueil');
    await tabTo('#code-pass');
    await page.keyboard.type(INES_PASS);
    await page.keyboard.press('Enter');
    await page.locator('#entrees-restantes').waitFor();
    await tabsThrough('accueil, pass vérifié');
  });

  it('Espace gestion › Événements: opens an event, and notes an arrival there, with the keyboard', async () => {
    await open('/gestion/laserre/evenements');
    await tabsThrough('événements');
    await tabTo('main a[href^="/gestion/laserre/evenements/"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/evenements\/.+/);
    await page.locator('main h1').waitFor();
    // The partner's first seeded event, whose members are all registered.
    await open(`/gestion/laserre/evenements/${encodeURIComponent(FIRST_EVENT)}`);
    await tabsThrough('événement');
    const arrival = 'button[aria-pressed][aria-label^="Noter l’arrivée de"]';
    const name = (await page.locator(arrival).first().getAttribute('aria-label'))!.replace(
      'Noter l’arrivée de ',
      '',
    );
    await tabTo(arrival);
    await page.keyboard.press('Space');
    const undo = page.locator(`button[aria-label="Annuler l’arrivée de ${name}"]`);
    await expect.poll(() => undo.getAttribute('aria-pressed')).toBe('true');
    await tabTo(`button[aria-label="Annuler l’arrivée de ${name}"]`);
    await page.keyboard.press('Enter');
    await page.locator(`button[aria-label="Noter l’arrivée de ${name}"]`).waitFor();
  });

  it('Espace gestion › Lieux: opens a space and edits its hours with the keyboard', async () => {
    await open('/gestion/laserre/lieux');
    await tabsThrough('lieux');
    await tabTo(`main a[href="/gestion/laserre/lieux/${encodeURIComponent(LA_SERRE)}"]`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /La Serre — Toulouse/ }).waitFor();
    await page.waitForLoadState('networkidle');
    await tabsThrough('lieu');
    const raw = page.getByLabel('Horaires au format OpenStreetMap');
    const before = await raw.inputValue();
    const sunday = await page.locator('#jour-6-ouvert').isChecked();
    await tabTo('#jour-6-ouvert');
    await page.keyboard.press('Space');
    expect(await page.locator('#jour-6-ouvert').isChecked()).toBe(!sunday);
    await expect.poll(() => raw.inputValue()).not.toBe(before);
  });

  it('Espace gestion › Membres: searches and opens a member with the keyboard', async () => {
    await open('/gestion/laserre/membres');
    await tabsThrough('membres');
    await tabTo('input[type=search][name=q]');
    await page.keyboard.type('Inès');
    await page.keyboard.press('Enter');
    await page.locator('main table a', { hasText: 'Inès Benali' }).waitFor();
    await tabTo('main table a');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Inès Benali' }).waitFor();
    await page.waitForLoadState('networkidle');
    await tabsThrough('membre');
    // The member's page reads only; its action is the way back, through the menu.
    await tabTo('nav a[href="/gestion/laserre/membres"]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Membres' }).waitFor();
  });
});
