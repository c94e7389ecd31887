import { startSeededNetwork, post } from '@tiers-lieux/gateway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { french } from '../src/app/typography.js';
import { publicSite } from '../src/server/index.js';

/** The HTML as text, its no-break spaces written as characters (linkedom writes `&#160;`). */
const page = async (answer: Response) => (await answer.text()).replace(/&#160;/g, '\u00a0');

const jsonLd = (html: string) =>
  JSON.parse(/<script[^>]*id="jsonld"[^>]*>(.*?)<\/script>/s.exec(html)![1]!);

describe('the pages the server renders (no JavaScript needed)', () => {
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  let base: string;
  let serres: { id: string; events: { id: string; title: string }[] };

  beforeAll(async () => {
    net = await startSeededNetwork({
      routes: async (app) => {
        await app.register(publicSite({ log: () => {} }));
        // Another branch's route, registered after the site: the fallback must not take it.
        await app.register(async (other) => {
          other.get('/auth/login', async () => ({ ok: true }));
        });
      },
    });
    base = net.gateway.url!;
    const answer = await post(
      net.gateway.graphqlUrl,
      `{ spaces(filter: { text: "serres" }) { edges { node { id events(first: 5) { id title } } } } }`,
    );
    serres = answer.data!.spaces.edges[0].node;
  });
  afterAll(() => net?.stop());

  it('sends a space page with its name, hours, events and a schema.org Place', async () => {
    const answer = await fetch(`${base}/lieux/${serres.id}`);
    const html = await page(answer);
    expect(answer.status).toBe(200);
    expect(html).toContain('<h1 tabindex="-1">La Serre<span class="commune"> — Serres</span></h1>');
    expect(html).toContain('<li>Lundi et mardi, de 9h à 17h</li><li>Jeudi, de 14h à 17h</li>');
    for (const event of serres.events) expect(html).toContain(`>${french(event.title)}</a>`);
    expect(html).toContain('<title>La Serre (Serres) – Réseau des tiers-lieux</title>');
    expect(html).not.toContain('Chargement de la page');
    expect(jsonLd(html)).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Place',
      name: 'La Serre',
      url: `${base}/lieux/${serres.id}`,
      address: { '@type': 'PostalAddress', postalCode: '05700', addressLocality: 'Serres' },
      geo: { '@type': 'GeoCoordinates' },
      openingHours: ['Mo,Tu 09:00-17:00', 'Th 14:00-17:00'],
    });
  });

  it('sends an event page with its schema.org Event', async () => {
    const event = serres.events[0]!;
    const answer = await fetch(`${base}/evenements/${event.id}`);
    const html = await page(answer);
    expect(answer.status).toBe(200);
    expect(html).toContain(`<h1 tabindex="-1">${french(event.title)}</h1>`);
    expect(jsonLd(html)).toMatchObject({ '@type': 'Event', name: event.title });
  });

  it('sends the directory’s first page with every space', async () => {
    const html = await (await fetch(`${base}/`)).text();
    expect(html.match(/<article [^>]*data-lieu=/g)).toHaveLength(5);
    expect(html).toContain('5 lieux trouvés');
    expect(html).toContain('<title>Annuaire des tiers-lieux – Réseau des tiers-lieux</title>');
    expect(html.match(/<main /g)).toHaveLength(1);
    const nyons = await (await fetch(`${base}/?pres=26220&rayon=50`)).text();
    expect(nyons).toContain('value="Nyons (26110)"');
    expect(nyons.match(/<article [^>]*data-lieu=/g)).toHaveLength(2);
    expect(nyons).toMatch(/Les Tuves.*à \d+ km.*La Serre.*à \d+ km/s);
  });

  it('invites to sign in on /mon-espace, with a link that needs no script', async () => {
    const answer = await fetch(`${base}/mon-espace`);
    const html = await page(answer);
    expect(answer.status).toBe(200);
    expect(html).toContain('<h1 tabindex="-1">Mon espace</h1>');
    expect(html).toContain(
      'Connectez-vous pour voir votre espace\u00a0: vos inscriptions, vos pass, vos adhésions et votre profil.',
    );
    expect(html).toContain(
      '<a class="bouton" href="/auth/login?returnTo=%2Fmon-espace">Se connecter</a>',
    );
    // The header's link comes back to the page as well.
    expect(html).toContain(
      '<a href="/auth/login?returnTo=%2Fmon-espace" class="connexion">Se connecter</a>',
    );
    expect(html).toContain('<title>Mon espace – Réseau des tiers-lieux</title>');
    expect(html).not.toContain('Chargement de la page');
    const login = await fetch(`${base}/auth/login?returnTo=%2Fmon-espace`);
    expect(await login.json()).toEqual({ ok: true });
  });

  it('answers 404 in French for an unknown space, an unknown path, and JSON under /graphql', async () => {
    const unknownSpace = await fetch(
      `${base}/lieux/baronnies:space:00000000-0000-4000-8000-000000000000`,
    );
    expect(unknownSpace.status).toBe(404);
    expect(await unknownSpace.text()).toContain('Page introuvable');
    for (const path of ['/admin', '/connexion', '/lieux', '/assets/nothing.js']) {
      const answer = await fetch(`${base}${path}`);
      expect(answer.status, path).toBe(404);
      expect(answer.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      const html = await answer.text();
      expect(html, path).toContain('<html lang="fr"');
      expect(html, path).toContain('<h1 tabindex="-1">Page introuvable</h1>');
      expect(html, path).toContain('<a href="/agenda">Agenda</a>');
    }
    const api = await fetch(`${base}/graphql/nothing`);
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: 'Not found' });
    expect(await (await fetch(`${base}/auth/login`)).json()).toEqual({ ok: true });
  });
});
