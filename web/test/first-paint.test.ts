/**
 * Page weight and first contentful paint of the public page in Chromium, for BENCHMARKS.md:
 * `FIRST_PAINT=1 npx vitest run web/test/first-paint.test.ts` (skipped otherwise: a measure, not
 * a test). A seeded network on loopback, a fresh browser profile per load (nothing cached), the
 * median of several loads.
 */
import { it } from 'vitest';
import { startSeededNetwork } from '@tiers-lieux/gateway/testing';
import { publicSite } from '../src/server/index.js';
import { openChromium } from './chromium.js';

const LOADS = Number(process.env.LOADS ?? 7);
const SERRES = 'baronnies:space:5b0f6a52-3f0e-4b8e-9d55-0c3c8d9b1a01';

interface Load {
  firstContentfulPaintMs: number;
  /** Largest contentful paint: when the page's main content is painted. */
  largestContentfulPaintMs: number;
  /** When the page's main content (h1 with the data) is on screen. */
  contentMs: number;
  transferredBytes: number;
  /** The document, scripts and styles: what the page weighs before any data. */
  pageBytes: number;
  requests: number;
}

async function measure(url: string, ready: string): Promise<Load> {
  const browser = await openChromium();
  try {
    const { context, page } = browser;
    let transferredBytes = 0;
    let pageBytes = 0;
    let requests = 0;
    const types = new Map<string, string>();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
    cdp.on('Network.loadingFinished', (e) => {
      transferredBytes += e.encodedDataLength;
      if (['Document', 'Script', 'Stylesheet'].includes(types.get(e.requestId) ?? ''))
        pageBytes += e.encodedDataLength;
      requests += 1;
    });
    const started = Date.now();
    await page.goto(url);
    await page.locator(ready).first().waitFor();
    const contentMs = Date.now() - started;
    await page.waitForLoadState('networkidle');
    const fcp = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
    );
    const lcp = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => {
            const entries = list.getEntries();
            resolve(entries[entries.length - 1]?.startTime ?? -1);
          }).observe({ type: 'largest-contentful-paint', buffered: true });
          setTimeout(() => resolve(-1), 2000);
        }),
    );
    return {
      firstContentfulPaintMs: fcp,
      largestContentfulPaintMs: lcp,
      contentMs,
      transferredBytes,
      pageBytes,
      requests,
    };
  } finally {
    await browser.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

it.skipIf(!process.env.FIRST_PAINT)(
  'measures the first contentful paint of / and a space page',
  async () => {
    const net = await startSeededNetwork({ routes: publicSite({ log: () => {} }) });
    try {
      const base = net.gateway.url!;
      const serres = await fetch(`${net.gateway.graphqlUrl}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ spaces(filter: { text: "serres" }) { edges { node { id name } } } }',
        }),
      }).then(
        (r) => r.json() as Promise<{ data: { spaces: { edges: { node: { id: string } }[] } } }>,
      );
      const spaceId = serres.data.spaces.edges[0]?.node.id ?? SERRES;
      await measure(`${base}/`, 'article[data-lieu]'); // warms the build and the gateway
      for (const [name, url, ready] of [
        ['/', `${base}/`, 'article[data-lieu]'],
        ['space page', `${base}/lieux/${spaceId}`, 'h1 .commune'],
      ] as const) {
        const loads: Load[] = [];
        for (let i = 0; i < LOADS; i++) loads.push(await measure(url, ready));
        console.log(
          `${name}: FCP ${median(loads.map((l) => l.firstContentfulPaintMs)).toFixed(0)} ms, ` +
            `LCP ${median(loads.map((l) => l.largestContentfulPaintMs)).toFixed(0)} ms, ` +
            `content ${median(loads.map((l) => l.contentMs))} ms, ` +
            `page ${(median(loads.map((l) => l.pageBytes)) / 1024).toFixed(1)} KB, ` +
            `${(median(loads.map((l) => l.transferredBytes)) / 1024).toFixed(1)} KB transferred in ` +
            `${median(loads.map((l) => l.requests))} requests (median of ${LOADS})`,
        );
      }
    } finally {
      await net.stop();
    }
  },
  600_000,
);
