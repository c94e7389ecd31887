/**
 * Builds the web page with esbuild: one JavaScript and one CSS bundle named by their content
 * hash, and the HTML page that loads them. `buildSite()` builds in memory; `writeSite` writes
 * the files to a folder: `pnpm build` into `web/dist/site`, where the gateway run from the build
 * serves them from (`loadSite`), and `pnpm --filter @tiers-lieux/web build` run as a script,
 * for a static host.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// From `src/build.ts` and from its build, `dist/build.js`: the page is bundled from its sources.
const APP = fileURLToPath(new URL('../src/app/', import.meta.url));
const ASSETS = '/assets';

export interface SiteFile {
  body: Uint8Array;
  contentType: string;
  /** Named by its content hash: cacheable forever. */
  immutable: boolean;
}

export interface Site {
  /** The HTML page of every route of the application. */
  page: SiteFile;
  /** Files by URL path (`/assets/main-3FQ2X7.js`). */
  assets: Map<string, SiteFile>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export async function buildSite(options: { minify?: boolean } = {}): Promise<Site> {
  const result = await build({
    entryPoints: [
      { in: join(APP, 'main.ts'), out: 'main' },
      { in: join(APP, 'map.css'), out: 'map' },
    ],
    bundle: true,
    write: false,
    outdir: ASSETS,
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    // "Mon espace" is a chunk of its own, fetched only when a signed-in person opens it.
    // The consoles and the charting library are chunks loaded only on the pages that use them.
    // The map (Leaflet) is a chunk of its own, fetched only when a visitor shows the map.
    splitting: true,
    format: 'esm',
    // ES2022: class fields as they are (no helper the map's chunk would share with the main bundle).
    target: ['es2022'],
    minify: options.minify ?? true,
    legalComments: 'none',
    loader: { '.png': 'file', '.svg': 'file' },
    assetNames: '[name]-[hash]',
    logLevel: 'silent',
    // The workspace packages it imports (`@tiers-lieux/schema/paris-time`) from their sources
    // too: their `dist/` exists only after a build, and the page must build without one.
    conditions: ['source'],
    metafile: true,
  });
  // The page's own entries: a lazy chunk may share an entry's name (`console/main.ts`: `main-…`).
  const ENTRIES = [join(APP, 'main.ts'), join(APP, 'map.css')];
  const entries = new Set(
    Object.entries(result.metafile.outputs)
      .filter(([, output]) => output.entryPoint && ENTRIES.includes(resolve(output.entryPoint)))
      .map(([path]) => `/${relative('/', resolve(path))}`),
  );
  const assets = new Map<string, SiteFile>();
  for (const file of result.outputFiles) {
    const path = `/${relative('/', file.path)}`;
    const extension = path.slice(path.lastIndexOf('.'));
    assets.set(path, {
      body: file.contents,
      contentType: TYPES[extension] ?? 'application/octet-stream',
      immutable: true,
    });
  }
  const find = (name: string, extension: string) => {
    const path = [...assets.keys()].find(
      (p) =>
        p.startsWith(`${ASSETS}/${name}-`) &&
        p.endsWith(extension) &&
        (extension !== '.js' || entries.has(p)),
    );
    if (!path) throw new Error(`esbuild produced no ${name} ${extension} bundle`);
    return path;
  };
  const html = (await readFile(join(APP, 'index.html'), 'utf8'))
    .replace('%APP_JS%', find('main', '.js'))
    .replace('%APP_CSS%', find('main', '.css'))
    .replace('%MAP_CSS%', find('map', '.css'));
  return {
    page: {
      body: new TextEncoder().encode(html),
      contentType: 'text/html; charset=utf-8',
      immutable: false,
    },
    assets,
  };
}

/** Where `pnpm build` writes the page, beside the server's build. */
export const BUILT_SITE = fileURLToPath(new URL('../dist/site/', import.meta.url));

/** Writes the page into `target`: `index.html` and the assets under their URL paths. */
export async function writeSite(site: Site, target: string): Promise<void> {
  await mkdir(join(target, ASSETS), { recursive: true });
  await writeFile(join(target, 'index.html'), site.page.body);
  for (const [path, file] of site.assets) {
    await mkdir(dirname(join(target, path)), { recursive: true });
    await writeFile(join(target, path), file.body);
  }
}

/** The page `writeSite` wrote into `folder`, or null when it holds none. */
export async function readSite(folder: string): Promise<Site | null> {
  let page: Uint8Array;
  try {
    page = await readFile(join(folder, 'index.html'));
  } catch {
    return null;
  }
  const assets = new Map<string, SiteFile>();
  for (const name of await readdir(join(folder, ASSETS), { recursive: true })) {
    const file = join(folder, ASSETS, name);
    if (!(await stat(file)).isFile()) continue;
    const path = `/${relative(folder, file)}`;
    assets.set(path, {
      body: await readFile(file),
      contentType: TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream',
      immutable: true,
    });
  }
  return {
    page: { body: page, contentType: 'text/html; charset=utf-8', immutable: false },
    assets,
  };
}

/**
 * The page to serve. Run from the build (`dist/`, which `pnpm build` writes with the page), the
 * page built with it: a start does not bundle it again, which took a core for half a second
 * just as the first requests came. Run from the sources (`pnpm dev`, the tests), bundled now.
 */
export async function loadSite(): Promise<Site> {
  const fromBuild = fileURLToPath(import.meta.url).endsWith('/dist/build.js');
  return (fromBuild && (await readSite(BUILT_SITE))) || buildSite();
}

/** `tsx web/src/build.ts [folder]`: builds the page into `folder` (by default `BUILT_SITE`). */
async function buildInto(target: string): Promise<void> {
  const site = await buildSite();
  await writeSite(site, target);
  console.log(`web page built into ${target} (${site.assets.size} assets)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildInto(process.argv[2] ?? BUILT_SITE).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
