import { PGlite } from '@electric-sql/pglite';
import { startDevProvider, type DevProvider } from '@tiers-lieux/dev-provider';
import { post, startSeededNetwork, tokens } from '@tiers-lieux/gateway/testing';
import { parisDate } from '@tiers-lieux/schema/paris-time';
import { seededPersonId } from '@tiers-lieux/schema/seed-people';
import type { Db } from '@tiers-lieux/subgraph-shell';
import { drizzle } from 'drizzle-orm/pglite';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spacePath } from '../src/paths.js';
import { publicSite } from '../src/server/index.js';
import {
  type Chromium,
  SERIOUS,
  axeViolations,
  openChromium,
  withoutChromium,
} from './chromium.js';
import { registerSite, SITE_CLIENT, signIn as signInAs, signOut as signOutOf } from './sign-in.js';

const INES = 'ines.benali@example.org';
/** La Locomotive's front desk. */
const LEA = 'lea.fabre@lalocomotive.example';
const LOCOMOTIVE = 'locomotive:space:e1c3a5b7-9d0f-4b2e-a4c6-8f0e2d4b6a74';
const RURAL_PASS = 'pass-product:be8b75cc-036f-4b27-a87e-9e879ba8d092';

/** A weekday (La Locomotive opens Monday to Friday) at least `days` days ahead, `2026-12-03`. */
function weekdayAhead(days: number): string {
  for (let ahead = days; ; ahead++) {
    const date = parisDate(new Date(Date.now() + ahead * 86_400_000));
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday >= 1 && weekday <= 5) return date;
  }
}

describe.skipIf(withoutChromium)('booking a resource on the web page, in Chromium', () => {
  let provider: DevProvider;
  let sessionsDb: PGlite;
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  let baseUrl: string;
  let browser: Chromium;
  let page: Page;
  let passCode: string;

  const shot = (name: string) => browser.shot(name);

  /** axe-core on a part of the page: no serious or critical violation. */
  async function checkAccessibility(selector: string, what: string) {
    expect(await axeViolations(page, { include: selector, impacts: SERIOUS }), what).toEqual([]);
  }

  const signIn = (email: string) => signInAs(page, baseUrl, email);
  const signOut = () => signOutOf(page, baseUrl);

  async function entriesLeft(): Promise<number> {
    const answer = await post(
      `${baseUrl}/graphql`,
      `query ($code: String!) { pass(code: $code) { entriesLeft } }`,
      { code: passCode },
    );
    return (answer.data as { pass: { entriesLeft: number } }).pass.entriesLeft;
  }

  /** The outcome of the booking form once it is known: a confirmation or a French error. */
  async function outcomeOf(booking: ReturnType<Page['locator']>) {
    const outcome = booking.locator('.resultat > .succes, .resultat > .erreur').first();
    await outcome.waitFor();
    return outcome;
  }

  /** The room, on a day, from the first free slot of that day. */
  async function chooseFirstSlot(resource: string, date: string) {
    const booking = page.locator('section[aria-labelledby="titre-reserver"]');
    await booking.getByLabel('Ressource', { exact: true }).selectOption({ label: resource });
    await booking.getByLabel('Jour', { exact: true }).fill(date);
    await booking.getByLabel('Jour', { exact: true }).dispatchEvent('change');
    const firstSlot = booking.locator('.liste-creneaux button').first();
    await firstSlot.waitFor();
    await firstSlot.focus();
    await page.keyboard.press('Enter');
    expect(await booking.getByLabel('Début', { exact: true }).inputValue()).toMatch(/^\d\d:\d\d$/);
    return booking;
  }

  beforeAll(async () => {
    provider = await startDevProvider();
    sessionsDb = await PGlite.create();
    const sessionDatabase = drizzle({ client: sessionsDb }) as unknown as Db<
      Record<string, unknown>
    >;
    net = await startSeededNetwork({
      routes: publicSite({ log: () => {}, signInOrigin: provider.issuer }),
      signIn: { issuerUrl: provider.issuer, ...SITE_CLIENT },
      sessionDatabase,
    });
    baseUrl = net.gateway.url!;
    registerSite(provider, [baseUrl]);
    // Inès holds no pass valid at La Locomotive: the coordinator issues her a rural one.
    const issued = await post(
      `${baseUrl}/graphql`,
      `mutation ($input: IssuePassInput!) { issuePass(input: $input) { pass { code } error { code } } }`,
      { input: { productId: RURAL_PASS, holderPersonId: seededPersonId(INES) } },
      await tokens.coordinator(),
    );
    const payload = (issued.data as { issuePass: { pass: { code: string } | null } } | null)
      ?.issuePass;
    if (!payload?.pass) throw new Error(`issuePass failed: ${JSON.stringify(issued)}`);
    passCode = payload.pass.code;
    browser = await openChromium({ timezoneId: 'Europe/Paris', acceptDownloads: true });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await net?.stop();
    await sessionsDb?.close();
    await provider?.stop();
  });

  it('shows a visitor the resources, their prices and rules, and the free slots of a day', async () => {
    await page.goto(`${baseUrl}${spacePath(LOCOMOTIVE)}`);
    const booking = page.locator('section[aria-labelledby="titre-reserver"]');
    await page.waitForTimeout(5000);
    console.log('MAIN', page.url(), (await page.content()).slice(0, 3000));
    await booking.getByRole('heading', { level: 3, name: 'Salle de réunion' }).waitFor();
    const text = await booking.innerText();
    expect(text).toMatch(/jusqu’à 8 personnes/);
    expect(text).toMatch(/15\s€ l’heure · 50\s€ la demi-journée · 90\s€ la journée/);
    expect(text).toMatch(/annulation sans frais jusqu’à 24 h avant/);
    await chooseFirstSlot('Salle de réunion', weekdayAhead(3));
    await booking.getByRole('link', { name: 'Se connecter pour réserver' }).waitFor();
    await checkAccessibility('section[aria-labelledby="titre-reserver"]', 'the booking section');
  });

  it('lets Inès book La Locomotive’s meeting room with her rural pass, once for a double click', async () => {
    await signIn(INES);
    expect(await entriesLeft()).toBe(6);
    const booking = await chooseFirstSlot('Salle de réunion', weekdayAhead(3));
    await booking.getByLabel('Avec un pass du réseau').check();
    await booking.getByLabel('Code du pass').fill(passCode);
    await checkAccessibility('section[aria-labelledby="titre-reserver"]', 'the booking form');
    await booking.getByRole('button', { name: 'Réserver', exact: true }).dblclick();
    const confirmed = await outcomeOf(booking);
    expect(await confirmed.innerText()).toMatch(/Réservation confirmée\s:\sSalle de réunion/);
    expect(await confirmed.innerText()).toMatch(/Payée avec votre pass \(1 entrée\)/);
    expect(await entriesLeft()).toBe(5);
    const ics = await confirmed
      .getByRole('link', { name: /Ajouter à mon agenda/ })
      .evaluate((link: HTMLAnchorElement) => ({ download: link.download, href: link.href }));
    const icsText = decodeURIComponent(ics.href.replace(/^data:text\/calendar;charset=utf-8,/, ''));
    expect(ics.download).toBe('reservation.ics');
    expect(icsText).toMatch(
      /BEGIN:VEVENT[\s\S]*DTSTART:\d{8}T\d{6}Z[\s\S]*SUMMARY:Salle de réunion — La Locomotive/,
    );
    await shot('reservation-01-confirmee');
  });

  // Skipped: in the seeded test network the host's booking of a pass-paid booking is not read
  // back (`me { bookings }` and the front desk's `Space.bookings` answer it empty, and
  // `PassBooking.booking`'s fields are null), so "Mes réservations" cannot list it yet.
  it('shows the booking in Mes réservations, and cancelling it gives the entries back', async () => {
    await page.getByRole('link', { name: 'Voir mes réservations' }).click();
    const mine = page.locator('section[aria-labelledby="titre-reservations"]');
    const item = mine.locator('li', { hasText: 'Salle de réunion' }).first();
    await item.waitFor();
    expect(await item.innerText()).toMatch(/Payée avec un pass du réseau/);
    expect(await item.innerText()).toMatch(/Annulation sans frais jusqu’au/);
    await checkAccessibility('section[aria-labelledby="titre-reservations"]', 'Mes réservations');
    await item.getByRole('button', { name: /Annuler la réservation/ }).click();
    await item
      .getByText('Réservation annulée : les entrées de votre pass vous sont rendues.')
      .waitFor();
    expect(await entriesLeft()).toBe(6);
    await shot('reservation-02-annulee');
  });

  it('lets La Locomotive’s front desk book the room for a visitor, paid at the desk', async () => {
    await signOut();
    await page.goto(`${baseUrl}${spacePath(LOCOMOTIVE)}`);
    await page.locator('section[aria-labelledby="titre-reserver"] form').waitFor();
    await signIn(LEA);
    const booking = await chooseFirstSlot('Salle de réunion', weekdayAhead(4));
    await booking.getByLabel('Pour un visiteur (accueil)').fill('Marc Visiteur');
    await booking.getByRole('button', { name: 'Réserver', exact: true }).click();
    const confirmed = await outcomeOf(booking);
    expect(await confirmed.innerText()).toMatch(/au nom de Marc Visiteur/);
    expect(await confirmed.innerText()).toMatch(/À régler sur place\s:\s15\s€/);
    // The same slot is no longer free.
    await booking.locator('.liste-creneaux').waitFor();
    await checkAccessibility('section[aria-labelledby="titre-reserver"]', 'the front desk form');
  });
});
