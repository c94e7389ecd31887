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

  it('lets the /api console run its own inline script and style, and nothing from elsewhere', async () => {
    const answer = await fetch(`${gateway.url}/api`);
    const html = await answer.text();
    const csp = answer.headers.get('content-security-policy')!;
    const inline = (tag: string) => html.split(`<${tag}>`)[1]!.split(`</${tag}>`)[0]!;
    const hash = (text: string) => createHash('sha256').update(text).digest('base64');
    expect(answer.status).toBe(200);
    expect(csp).toContain(`script-src 'sha256-${hash(inline('script'))}'`);
    expect(csp).toContain(`style-src 'sha256-${hash(inline('style'))}'`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|unsafe-inline|\*/);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="https?:/);
  });
});
