/**
 * Signing a seeded person in and out in the browser tests, through the development provider
 * (`@tiers-lieux/dev-provider`) and its French pages.
 */
import type { DevProvider } from '@tiers-lieux/dev-provider';
import { SEEDED_PASSWORD } from '@tiers-lieux/schema/seed-people';
import type { Page } from 'playwright-core';

/** The site's client at the provider, as the gateway's `signIn` configuration names it. */
export const SITE_CLIENT = {
  clientId: 'network-site',
  clientSecret: 'network-site-secret-0123456789',
};

/** Registers the site (one origin per gateway replica) as the provider's first-party client. */
export function registerSite(provider: DevProvider, sites: readonly string[]): void {
  provider.addClient({
    ...SITE_CLIENT,
    name: 'Réseau des tiers-lieux',
    firstParty: true,
    redirectUris: sites.map((site) => `${site}/auth/callback`),
    postLogoutRedirectUris: sites.map((site) => `${site}/`),
  });
}

/** On the provider's sign-in page: the person's email and the seeded password, sent. */
export async function signInAtProvider(page: Page, email: string): Promise<void> {
  await page.getByRole('heading', { name: 'Connexion au réseau des tiers-lieux' }).waitFor();
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(SEEDED_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** From any page of the site: "Se connecter", the provider's French page, back where one was. */
export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  const before = new URL(page.url()).pathname;
  await page.getByRole('link', { name: 'Se connecter', exact: true }).first().click();
  await signInAtProvider(page, email);
  await page.waitForURL((url) => url.origin === baseUrl && url.pathname === before);
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
}

/** "Se déconnecter" in the header, and yes at the provider: back home, signed out. */
export async function signOut(page: Page, baseUrl: string): Promise<void> {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('button', { name: 'Oui, me déconnecter' }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.getByRole('link', { name: 'Se connecter' }).waitFor();
}
