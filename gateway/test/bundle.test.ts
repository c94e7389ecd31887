import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from '@tiers-lieux/subgraph-shell/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { graphql, ROOT, startProgram, type Program } from './processes.js';

/**
 * `pnpm start` runs the embedded network from its bundle (`gateway/dist/bundle/`, made by the
 * build global setup runs): what the sources serve, the bundle must serve too. Bundling breaks
 * what finds files next to its own module or reaches a package's own copy of a dependency, so
 * each kind of answer is asked here once: the graph from every partner (on the worker thread),
 * the API schema, the page, a feed, the open data, the sign-in, the traces. They are asked of a
 * restart, which compiles the bundle from the V8 code cache the first start saved: the code
 * that cache gives back must do all the first start's did.
 */
describe("the embedded network from pnpm start's bundle, restarted", () => {
  let dataDir: string;
  let first: Program | undefined;
  let program: Program;
  let base: string;
  let receiver: OtlpReceiver;
  const start = (env: Record<string, string> = {}) =>
    startProgram(['gateway/dist/bundle/embedded.cjs'], {
      DATA_DIR: dataDir,
      BASE_PORT: '0',
      START_TIMING: '1',
      ...env,
    });
  const graphAt = /the network graph is at (http:\/\/\S+)\/graphql/;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'embedded-bundle-'));
    first = start();
    await first.waitFor(graphAt, 180_000);
    // Each thread saves its code cache once it has started, if there was none for this build;
    // the restart below says whether it took it.
    const cached = async () => {
      const files = await readdir(join(ROOT, 'gateway/dist/bundle/code-cache')).catch(() => []);
      return ['embedded-network.cjs-', 'embedded-partners.cjs-'].every((part) =>
        files.some((file) => file.startsWith(part) && !file.includes('.partial-')),
      );
    };
    await vi.waitFor(
      async () => {
        if (!(await cached())) throw new Error('no code cache saved for this build');
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(await first.stop()).toBe(0);

    receiver = await startOtlpReceiver();
    program = start({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    const [, url] = await program.waitFor(graphAt, 180_000);
    base = url!;
  }, 300_000);
  afterAll(async () => {
    await first?.stop();
    await program?.stop();
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('compiled both threads from the code cache', () => {
    expect(program.output()).toContain('network part loaded, compiled from the code cache');
    expect(program.output()).toContain('partners part loaded, compiled from the code cache');
  });

  it("answers with every seeded partner's spaces", async () => {
    const answer = await graphql(
      `${base}/graphql`,
      '{ spaces(first: 100) { totalCount edges { node { name partner { name } } } } }',
    );
    expect(answer.errors).toBeUndefined();
    const partners = new Set(
      (answer.data!.spaces.edges as { node: { partner: { name: string } } }[]).map(
        (edge) => edge.node.partner.name,
      ),
    );
    expect(partners.size).toBe(4);
  });

  it('serves the public API schema, as SDL and as introspection', async () => {
    const sdl = await fetch(`${base}/api/schema.graphql`);
    expect(sdl.status).toBe(200);
    expect(await sdl.text()).toMatch(/^type Query \{$/m);
    const json = (await (await fetch(`${base}/api/schema.json`)).json()) as {
      data: { __schema: { queryType: { name: string }; types: { name: string }[] } };
    };
    expect(json.data.__schema.queryType.name).toBe('Query');
    expect(json.data.__schema.types.map((t) => t.name)).toContain('Space');
  });

  it('serves the web page and its script, the calendar feed and the open data', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<title>[^<]*Réseau des tiers-lieux<\/title>/);
    // Its script, bundled by `pnpm build` into web/dist/site and served from there.
    const script = await fetch(`${base}${/src="(\/assets\/main-[^"]+\.js)"/.exec(html)![1]}`);
    expect([script.status, script.headers.get('content-type')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
    const feed = await fetch(`${base}/calendar/network.ics`);
    expect(await feed.text()).toMatch(/^BEGIN:VCALENDAR/);
    const csv = await fetch(`${base}/opendata/lieux.csv`);
    expect(csv.status).toBe(200);
    // The national schema's columns (the ANCT library, loaded from the bundle).
    expect((await csv.text()).split('\n')[0]).toMatch(/(^|,)nom(,|$)/);
  });

  it("sends a sign-in to the embedded provider's login page", async () => {
    const login = await fetch(`${base}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    let next = await fetch(login.headers.get('location')!, { redirect: 'manual' });
    // The provider sets its own interaction cookie on the way to its page.
    const providerCookie = next.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    if (next.status === 303 || next.status === 302)
      next = await fetch(new URL(next.headers.get('location')!, login.headers.get('location')!), {
        headers: { cookie: [cookie, providerCookie].filter(Boolean).join('; ') },
      });
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('Connexion');
  });

  it('stops on SIGTERM with every thread, exit code 0, its traces exported by then', async () => {
    expect(await program.stop()).toBe(0);
    const services = new Set(receiver.spans.map((span) => span.service));
    expect([...services].sort()).toEqual([
      'gateway',
      'network',
      'partner:baronnies',
      'partner:cantine',
      'partner:laserre',
      'partner:locomotive',
    ]);
  });
});
