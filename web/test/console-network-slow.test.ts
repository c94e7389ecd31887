import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startSeededNetwork, tokens } from '@tiers-lieux/gateway/testing';
import { publicSite } from '../src/server/index.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'];
const SCREENSHOTS = fileURLToPath(new URL('./__screenshots__/', import.meta.url));
const CI = ['true', '1'].includes(process.env.CI ?? '');
const present = existsSync(CHROMIUM);
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PAGES = ['/reseau/partenaires', '/reseau/pass', '/reseau/reglements', '/reseau/statistiques'];

describe.skipIf(!present && !CI)('the Réseau console in Chromium', () => {
  let net: Awaited<ReturnType<typeof startSeededNetwork>>;
  let baseUrl: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let coordinator: string;

  const as = async (token: string) => {
    await context.setExtraHTTPHeaders({ authorization: `Bearer ${token}` });
  };
  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const seriousViolations = async () => {
    // Evaluated through the DevTools protocol: the page's CSP refuses inline scripts.
    await page.evaluate(await readFile(AXE, 'utf8'));
    const result = (await page.evaluate(() =>
      (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run(),
    )) as { violations: { id: string; impact: string | null }[] };
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id);
  };

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    net = await startSeededNetwork({ routes: publicSite({ log: () => {} }) });
    baseUrl = net.gateway.url!;
    coordinator = await tokens.coordinator();
    profile = await mkdtemp(join(tmpdir(), 'tiers-lieux-console-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      locale: 'fr-FR',
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
  }, 900_000);
  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
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

  it('plots the entries per host that the settlement sums', async () => {
    await as(coordinator);
    await page.goto(`${baseUrl}/reseau/statistiques`);
    await page.locator('#graphique-hotes').waitFor();
    const plotted = JSON.parse(
      (await page.locator('#graphique-hotes').getAttribute('data-valeurs'))!,
    ) as { labels: string[]; values: number[][] };
    const period = await page.evaluate(() => {
      const form = document.querySelector('form')!;
      return {
        from: (form.elements.namedItem('du') as HTMLInputElement).value,
        to: (form.elements.namedItem('au') as HTMLInputElement).value,
      };
    });
    const api = await post(
      net.gateway.graphqlUrl,
      `query ($from: Date!, $to: Date!) { settlement(from: $from, to: $to) { lines(first: 10100) { host { name } entries } } }`,
      period,
      coordinator,
    );
    const expected = new Map<string, number>();
    for (const line of api.data!.settlement.lines as { host: { name: string }; entries: number }[])
      expected.set(line.host.name, (expected.get(line.host.name) ?? 0) + line.entries);
    expect(plotted).toEqual({ labels: [...expected.keys()], values: [[...expected.values()]] });
    await shot('reseau-03-statistiques');
  });

  it('reaches every action of the partners page by keyboard', async () => {
    await page.goto(`${baseUrl}/reseau/partenaires`);
    await page.locator('.console-corps table').first().waitFor();
    await page.waitForLoadState('networkidle');
    const actions = await page.$$eval(
      '.console button, .console a[href], .console input, .console select',
      (elements) => elements.map((e) => e.outerHTML.slice(0, 80)),
    );
    const reached = new Set<string>();
    await page.locator('body').focus();
    for (let i = 0; i < actions.length + 60; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80));
      if (focused) reached.add(focused);
    }
    expect(actions.filter((a) => !reached.has(a))).toEqual([]);
  });
});
