import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { startDevProvider, type DevProvider } from '@tiers-lieux/dev-provider';
import { startGateway, startSeededNetwork } from '@tiers-lieux/gateway/testing';
import { composeOrThrow, networkSubgraphs } from '@tiers-lieux/schema/compose';
import { SEEDED_PASSWORD, SEEDED_PEOPLE, seededPersonId } from '@tiers-lieux/schema/seed-people';
import { signLinkToken, type Db } from '@tiers-lieux/subgraph-shell';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicSite } from '../src/server/index.js';
import {
  type Chromium,
  SERIOUS,
  axeViolations,
  openChromium,
  withoutChromium,
} from './chromium.js';
import {
  registerSite,
  SITE_CLIENT,
  signIn as signInAs,
  signInAtProvider,
  signOut as signOutOf,
} from './sign-in.js';

const INES = 'ines.benali@example.org';
const MANAGER = 'karim.haddad@lacantine.example';
const COORDINATOR = 'helene.duval@reseau-tiers-lieux.example';
const THOMAS = 'thomas.garcia@example.org';
/** La Locomotive's shared lunch: a partner where Inès is no member. */
const LOCOMOTIVE_LUNCH = 'locomotive:event:4a5c7e9f-1b3d-4f5b-8d7e-9a1c3d5f7b41';

describe.skipIf(withoutChromium)('a signed-in person on the web page, in Chromium', () => {
  let provider: DevProvider;
  let sessionsDb: PGlite;
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  let replica: Awaited<ReturnType<typeof startGateway>>;
  let baseUrl: string;
  let browser: Chromium;
  let context: BrowserContext;
  let page: Page;
  const shot = (name: string) => browser.shot(name);

  /** axe-core on the page as it is: no serious or critical violation. */
  async function checkAccessibility(what: string) {
    expect(await axeViolations(page, { impacts: SERIOUS }), what).toEqual([]);
  }

  const signIn = (email: string) => signInAs(page, baseUrl, email);
  const signOut = () => signOutOf(page, baseUrl);

  async function openMySpace() {
    await page.getByRole('link', { name: 'Mon espace' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon espace' }).waitFor();
    await page.locator('.mon-espace').waitFor();
  }

  async function sessionCookie(): Promise<string> {
    const cookie = (await context.cookies(baseUrl)).find((c) => c.name === 'tl_session');
    if (!cookie) throw new Error('no session cookie');
    return `tl_session=${cookie.value}`;
  }

  const sessionAt = async (url: string, cookie: string) =>
    (await (await fetch(`${url}/auth/session`, { headers: { cookie } })).json()) as {
      signedIn: boolean;
    };

  beforeAll(async () => {
    provider = await startDevProvider();
    sessionsDb = await PGlite.create();
    // Both gateways keep their sessions in one store: two replicas of the site.
    const sessionDatabase = drizzle({ client: sessionsDb }) as unknown as Db<
      Record<string, unknown>
    >;
    const signIn = { issuerUrl: provider.issuer, ...SITE_CLIENT };
    net = await startSeededNetwork({
      routes: publicSite({ log: () => {}, signInOrigin: provider.issuer }),
      signIn,
      sessionDatabase,
    });
    replica = await startGateway({
      supergraphSdl: composeOrThrow(networkSubgraphs()),
      people: undefined,
      subgraphUrls: { network: net.networkUrl },
      partners: net.partners.map((p) => ({ slug: p.slug, url: p.url, status: 'ACTIVE' })),
      routes: publicSite({ log: () => {}, signInOrigin: provider.issuer }),
      signIn,
      sessionDatabase,
    });
    baseUrl = net.gateway.url!;
    const sites = [baseUrl, replica.url!];
    registerSite(provider, sites);
    browser = await openChromium({ timezoneId: 'Europe/Paris', acceptDownloads: true });
    ({ context, page } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await replica?.stop();
    await net?.stop();
    await sessionsDb?.close();
    await provider?.stop();
  });

  it('invites to sign in on Mon espace without JavaScript, and signs in from there', async () => {
    const bare = await openChromium({ javaScriptEnabled: false, timezoneId: 'Europe/Paris' });
    try {
      const answer = await bare.page.goto(`${baseUrl}/mon-espace`);
      expect(answer!.status()).toBe(200);
      await bare.page.getByRole('heading', { level: 1, name: 'Mon espace' }).waitFor();
      expect(await bare.page.locator('main').innerText()).toContain(
        'Connectez-vous pour voir votre espace',
      );
      const link = bare.page.locator('main').getByRole('link', { name: 'Se connecter' });
      expect(await link.getAttribute('href')).toBe('/auth/login?returnTo=%2Fmon-espace');
      await bare.shot('20-mon-espace-sans-javascript');
      await link.click();
      await signInAtProvider(bare.page, INES);
      await bare.page.waitForURL(`${baseUrl}/mon-espace`);
      const cookie = (await bare.context.cookies(baseUrl)).find((c) => c.name === 'tl_session');
      expect(cookie).toBeDefined();
      expect(await sessionAt(baseUrl, `tl_session=${cookie!.value}`)).toMatchObject({
        signedIn: true,
      });
    } finally {
      await bare.close();
    }
  });

  it('offers "Se connecter" to a visitor, and brings Inès back to the page she was on', async () => {
    await page.goto(`${baseUrl}/agenda`);
    await page.getByRole('heading', { level: 1, name: 'Agenda du réseau' }).waitFor();
    const link = page.getByRole('link', { name: 'Se connecter' });
    await link.waitFor();
    await link.focus();
    expect(await link.getAttribute('href')).toBe('/auth/login?returnTo=%2Fagenda');
    await signIn(INES);
    const header = page.locator('header.entete');
    await header.getByText('Inès Benali').waitFor();
    expect(await header.getByRole('link', { name: 'Mon espace' }).getAttribute('href')).toBe(
      '/mon-espace',
    );
    await checkAccessibility('the header of a signed-in person');
    await shot('compte-01-connectee');
  });

  it('shows Mon espace: registrations at both her partners, her pass and where she used it, her memberships', async () => {
    await openMySpace();
    // Her card number, for the front desks of the network: the end of her person id.
    expect(await page.locator('#numero-carte').innerText()).toBe(
      seededPersonId(INES)
        .slice(-12)
        .toUpperCase()
        .replace(/(.{4})(?=.)/g, '$1-'),
    );
    const registrations = page.locator('section[aria-labelledby="titre-inscriptions"]');
    await registrations
      .getByRole('link', { name: 'Une heure de formation : les outils collaboratifs' })
      .waitFor();
    await registrations
      .getByRole('link', { name: 'Réunion d’information hebdomadaire' })
      .first()
      .waitFor();
    const passes = await page.locator('section[aria-labelledby="titre-mes-pass"]').innerText();
    expect(passes).toMatch(/La Cantine \(Toulouse\)/);
    expect(passes).toMatch(/La Serre \(Toulouse\)/);
    expect(passes).toContain('annulé, entrées rendues');
    const memberships = page.locator('section[aria-labelledby="titre-adhesions"] h3');
    expect(await memberships.allInnerTexts()).toEqual(
      expect.arrayContaining(['La Cantine', 'La Serre']),
    );
    expect(await page.locator('section[aria-labelledby="titre-roles"]').count()).toBe(0);
    await checkAccessibility('Mon espace');
    await shot('compte-02-mon-espace');
  });

  it('registers her as herself at a third partner with one button, and cancels it from Mon espace', async () => {
    await page.goto(`${baseUrl}/evenements/${LOCOMOTIVE_LUNCH}`);
    await page.getByRole('heading', { level: 1, name: 'Repas partagé' }).waitFor();
    await page.getByText('Vous vous inscrivez en tant que Inès Benali.').waitFor();
    expect(await page.getByLabel('Nom et prénom').count()).toBe(0);
    const seats = page.locator('#places-restantes');
    const before = Number(/^(\d+) places restantes/.exec(await seats.innerText())?.[1]);
    await page.getByRole('button', { name: 'M’inscrire' }).click();
    await page
      .getByText('Vous êtes inscrit(e) à « Repas partagé » : votre place est réservée.')
      .waitFor();
    expect(await seats.innerText()).toMatch(new RegExp(`^${before - 1} places restantes`));
    await checkAccessibility('an event page, signed in');
    await shot('compte-03-inscrite-comme-elle-meme');

    await page
      .getByRole('link', { name: /Mon espace/ })
      .last()
      .click();
    await page.locator('.mon-espace').waitFor();
    const lunch = page.locator('li[data-inscription^="locomotive:registration:"]');
    await lunch.getByText('Place réservée').waitFor();
    await lunch
      .getByRole('button', { name: 'Annuler mon inscription à « Repas partagé »' })
      .click();
    await lunch.getByText('Votre inscription à « Repas partagé » est annulée.').waitFor();
    expect(await lunch.locator('.etat').innerText()).toBe('Annulée');

    await page.goto(`${baseUrl}/evenements/${LOCOMOTIVE_LUNCH}`);
    expect(await page.locator('#places-restantes').innerText()).toMatch(
      new RegExp(`^${before} places restantes`),
    );
    await page.getByRole('button', { name: 'M’inscrire' }).waitFor();
  });

  it('downloads everything the network holds on her as one JSON file', async () => {
    await page.goto(`${baseUrl}/mon-espace`);
    await page.locator('.mon-espace').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger mes données' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^mes-donnees-tiers-lieux-\d{4}-\d{2}-\d{2}\.json$/,
    );
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(file.missing).toEqual([]);
    expect(file.me).toMatchObject({ displayName: 'Inès Benali', email: INES });
    const partners = (ids: { id: string }[]) => new Set(ids.map((r) => r.id.split(':')[0]));
    expect(partners(file.me.memberships)).toEqual(new Set(['cantine', 'laserre']));
    expect(partners(file.me.registrations)).toEqual(new Set(['cantine', 'laserre', 'locomotive']));
    expect(file.me.passes[0].redemptions.length).toBeGreaterThan(3);
    expect(file.me.identities[0]).toMatchObject({ issuer: provider.issuer });
  });

  it('chooses her messages from the keyboard: what a mail’s link turned off shows, the choice holds at every partner and the network', async () => {
    const ines = SEEDED_PEOPLE.find((p) => p.email === INES)!;
    // She once followed the one-click link of a reminder La Serre mailed to her member record
    // (signed with the development link secret the test partners run with).
    const token = signLinkToken(
      'development-link-secret-not-for-production',
      'unsubscribe',
      `member:${ines.members!.laserre} reminder`,
    );
    const unsubscribed = await page.request.post(`${baseUrl}/desabonnement/laserre/${token}`, {
      form: {},
    });
    expect(unsubscribed.status()).toBe(200);
    // Loaded afresh, after the link's choice.
    await page.goto(`${baseUrl}/mon-espace`);
    await page.locator('.mon-espace').waitFor();
    const messages = page.locator('section[aria-labelledby="titre-messages"]');
    const reminder = messages.getByRole('checkbox', {
      name: 'Le rappel la veille d’un événement auquel je suis inscrit(e)',
    });
    const runningLow = messages.getByRole('checkbox', {
      name: 'L’alerte quand mon pass n’a presque plus d’entrées',
    });
    const expiring = messages.getByRole('checkbox', {
      name: 'L’alerte quand mon pass arrive à expiration',
    });
    await reminder.waitFor();
    expect(await reminder.isChecked()).toBe(false);
    expect(await runningLow.isChecked()).toBe(true);
    expect(await expiring.isChecked()).toBe(true);
    const byLink = messages.getByText(/^Rappels désactivés par le lien/);
    // French typography: no-break spaces inside « » and before the colon.
    expect(await byLink.innerText()).toContain(
      'Ne plus recevoir ce type de message\u00a0» d’un courriel de\u00a0: La Serre.',
    );
    await checkAccessibility('Mon espace, ses messages');
    await shot('compte-05-messages');

    await reminder.focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await runningLow.evaluate((box) => box === document.activeElement)).toBe(true);
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await messages.getByText('Vos choix de messages sont enregistrés.').waitFor();
    expect(await messages.getByText(/Rappels désactivés/).isVisible()).toBe(false);
    await checkAccessibility('Mon espace, ses messages enregistrés');

    await page.reload();
    await reminder.waitFor();
    expect(await reminder.isChecked()).toBe(true);
    expect(await runningLow.isChecked()).toBe(false);
    expect(await expiring.isChecked()).toBe(true);
    for (const partner of net.partners) {
      const answer = (await partner.db.execute(
        sql`select subscribed, by_link from message_preferences where subject = ${`person:${ines.uuid}`}`,
      )) as unknown as { rows?: unknown[] } | unknown[];
      const rows = Array.isArray(answer) ? answer : answer.rows;
      expect(rows, partner.slug).toEqual([{ subscribed: true, by_link: false }]);
    }
  });

  it('signs her out: the session cookie no longer works, on a second gateway sharing the store either', async () => {
    const cookie = await sessionCookie();
    expect(await sessionAt(replica.url!, cookie)).toMatchObject({ signedIn: true });
    await signOut();
    await checkAccessibility('the home page, signed out');
    for (const site of [baseUrl, replica.url!]) {
      expect(await sessionAt(site, cookie)).toEqual({ signedIn: false });
      const answer = await fetch(`${site}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(await answer.json()).toEqual({ data: { me: null } });
    }
  });

  it('shows a manager and a coordinator their roles in words', async () => {
    await signIn(MANAGER);
    await openMySpace();
    expect(await page.locator('ul.roles li').allInnerTexts()).toEqual([
      'Gestionnaire de La Cantine',
    ]);
    await signOut();
    await signIn(COORDINATOR);
    await openMySpace();
    expect(await page.locator('ul.roles li').allInnerTexts()).toEqual(['Coordination du réseau']);
    await shot('compte-04-coordination');
    await signOut();
  });

  it('closes an account: the partners erase what is personal, the ledger stays, the person is signed out', async () => {
    const before = (await net.dump()) as Record<string, Record<string, Record<string, unknown>[]>>;
    await signIn(THOMAS);
    await openMySpace();
    await page.getByRole('button', { name: 'Fermer mon compte…' }).click();
    await page.getByRole('button', { name: 'Fermer définitivement mon compte' }).click();
    await page.getByText('Cochez la case pour confirmer').waitFor();
    await page.getByLabel(/Je comprends que la fermeture est définitive/).check();
    await page.getByRole('button', { name: 'Fermer définitivement mon compte' }).click();
    await page.getByRole('button', { name: 'Oui, me déconnecter' }).click();
    await page.waitForURL(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Se connecter' }).waitFor();

    const after = (await net.dump()) as typeof before;
    expect(JSON.stringify(after.cantine!.members)).not.toContain('thomas.garcia');
    expect(JSON.stringify(after.cantine!.registrations)).not.toContain('Thomas Garcia');
    expect(after.network!.ledger_entries).toEqual(before.network!.ledger_entries);
    expect(after.network!.passes).toEqual(before.network!.passes);
  });
});
