import { createHash } from 'node:crypto';
import { startGateway } from '@tiers-lieux/gateway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicSite } from '../src/server/index.js';

describe('the public site mounted on the gateway', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    gateway = await startGateway({ partners: [], routes: publicSite({ log: () => {} }) });
  });
  afterAll(() => gateway?.stop());

  it('sends security headers on the web page, its assets, the feeds and the /api console', async () => {
    const page = await fetch(`${gateway.url}/agenda`);
    const asset = /src="(\/assets\/[^"]+)"/.exec(await page.text())![1]!;
    for (const path of ['/agenda', asset, '/calendar/nowhere.ics', '/api']) {
      const answer = await fetch(`${gateway.url}${path}`);
      expect(answer.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(answer.headers.get('strict-transport-security'), path).toBeTruthy();
      expect(answer.headers.get('content-security-policy'), path).toContain(
        "frame-ancestors 'none'",
      );
    }
  });

  it('serves the /api explorer and its files from the package, nothing from elsewhere', async () => {
    const answer = await fetch(`${gateway.url}/api`);
    const html = await answer.text();
    const csp = answer.headers.get('content-security-policy')!;
    expect(answer.status).toBe(200);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    expect(html).not.toMatch(/<script>|(src|href)="https?:/);
    const files = [...html.matchAll(/(?:src|href)="(\/api\/[^"]+)"/g)].map((m) => m[1]!);
    expect(files).toEqual(
      expect.arrayContaining([
        '/api/assets/graphiql.css',
        '/api/assets/react.js',
        '/api/assets/react-dom.js',
        '/api/assets/graphiql.js',
        '/api/assets/explorer.js',
        '/api/schema.graphql',
        '/api/schema.json',
      ]),
    );
    for (const path of files) expect((await fetch(`${gateway.url}${path}`)).status, path).toBe(200);
  });

  it('serves the public schema without federation machinery nor inaccessible fields', async () => {
    const sdl = await (await fetch(`${gateway.url}/api/schema.graphql`)).text();
    expect(sdl).toContain('type Space');
    expect(sdl).toContain('spaces(');
    expect(sdl).not.toMatch(/_entities|join__|signIn\(/);
    const json = await (await fetch(`${gateway.url}/api/schema.json`)).json();
    expect(json.data.__schema.queryType.name).toBe('Query');
  });

  it('finds communes of France by name or postcode, accents and case aside', async () => {
    const find = async (q: string) =>
      (await (await fetch(`${gateway.url}/communes?q=${encodeURIComponent(q)}`)).json()).communes;
    expect((await find('nyons'))[0]).toMatchObject({
      code: '26220',
      name: 'Nyons',
      department: '26',
      postcodes: ['26110'],
      approximate: false,
    });
    expect((await find('05200'))[0]).toMatchObject({ code: '05046', name: 'Embrun' });
    expect((await find('BRIANCON'))[0]).toMatchObject({ name: 'Briançon', department: '05' });
    expect((await find('st etienne'))[0]).toMatchObject({ name: 'Saint-Étienne' });
    expect(await find('x')).toEqual([]);
    const embrun = await fetch(`${gateway.url}/communes/05046`);
    expect(await embrun.json()).toMatchObject({ name: 'Embrun', lat: expect.any(Number) });
    expect((await fetch(`${gateway.url}/communes/99999`)).status).toBe(404);
  });
});
