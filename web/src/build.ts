/**
 * Builds the web page with esbuild: one JavaScript and one CSS bundle named by their content
 * hash, and the HTML page that loads them. `buildSite()` builds in memory (the gateway serves
 * the result); run as a script, it writes the files to a folder (`pnpm --filter
 * @tiers-lieux/web build`, into `web/dist`).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const APP = fileURLToPath(new URL('./app/', import.meta.url));
const CONSOLE = fileURLToPath(new URL('./console/', import.meta.url));
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
  /** The HTML page of the console (`/gestion/…`), which alone loads the console's bundle. */
  consolePage: SiteFile;
  /** Files by URL path (`/assets/main-3FQ2X7.js`). */
  assets: Map<string, SiteFile>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export async function buildSite(options: { minify?: boolean } = {}): Promise<Site> {
  const common: BuildOptions = {
    bundle: true,
    write: false,
    outdir: ASSETS,
    entryNames: '[name]-[hash]',
    format: 'esm',
    target: ['es2020'],
    minify: options.minify ?? true,
    legalComments: 'none',
    logLevel: 'silent',
  };
  // The console is built on its own, split into chunks that its pages fetch when they need
  // them (the hours editor's parser, the series' rules): the public page shares nothing with it.
  const [site, consoleSite] = await Promise.all([
    build({ ...common, entryPoints: { main: join(APP, 'main.ts') } }),
    build({
      ...common,
      entryPoints: { gestion: join(CONSOLE, 'main.ts') },
      splitting: true,
      chunkNames: 'gestion-partie-[hash]',
    }),
  ]);
  const assets = new Map<string, SiteFile>();
  for (const file of [...(site.outputFiles ?? []), ...(consoleSite.outputFiles ?? [])]) {
    const path = `/${relative('/', file.path)}`;
    const extension = path.slice(path.lastIndexOf('.'));
    assets.set(path, {
      body: file.contents,
      contentType: TYPES[extension] ?? 'application/octet-stream',
      immutable: true,
    });
  }
  const find = (entry: string, extension: string) => {
    const path = [...assets.keys()].find((p) =>
      new RegExp(`^${ASSETS}/${entry}-[A-Z0-9]+\\${extension}$`).test(p),
    );
    if (!path) throw new Error(`esbuild produced no ${entry} ${extension} bundle`);
    return path;
  };
  const page = async (folder: string, entry: string): Promise<SiteFile> => ({
    body: new TextEncoder().encode(
      (await readFile(join(folder, 'index.html'), 'utf8'))
        .replace('%APP_JS%', find(entry, '.js'))
        .replace('%APP_CSS%', find(entry, '.css')),
    ),
    contentType: 'text/html; charset=utf-8',
    immutable: false,
  });
  return { page: await page(APP, 'main'), consolePage: await page(CONSOLE, 'gestion'), assets };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = process.argv[2] ?? fileURLToPath(new URL('../dist/', import.meta.url));
  const site = await buildSite();
  await mkdir(join(target, ASSETS), { recursive: true });
  await writeFile(join(target, 'index.html'), site.page.body);
  await writeFile(join(target, 'gestion.html'), site.consolePage.body);
  for (const [path, file] of site.assets) {
    await mkdir(dirname(join(target, path)), { recursive: true });
    await writeFile(join(target, path), file.body);
  }
  console.log(`web page built into ${target} (${site.assets.size} assets)`);
}
