// `pnpm build`: compiles every service's TypeScript to JavaScript, file by file, into its
// package's `dist/` (the same layout as `src/`, so paths read from `import.meta.url` still
// land on the package's SDL, migrations and web sources). Workspace packages find each
// other's `dist/` through the `default` condition of their `exports`; tools that run the
// sources (tsx, vitest, tsc) ask for the `source` condition instead (docs/architecture.md).
//
//   node scripts/build.mjs              build everything
//   node scripts/build.mjs --if-needed  build only when a source is newer than the last build
//
// The embedded network (`pnpm start`) then runs from bundles of its entry points and every
// module they import (`BUNDLES`): finding, reading and compiling some three thousand files one
// by one took half its restart. Node 20 has no compile cache either: the bundles are CommonJS,
// which its `vm` module can compile with V8's code cache (gateway/src/code-cache.ts).
//
// Plain JavaScript, so that `pnpm start` can run it before anything is compiled.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The packages that run in production, and the folders of `src/` that are not theirs to run. */
export const PACKAGES = [
  { dir: 'schema', skip: [] },
  { dir: 'subgraphs/shell', skip: [] },
  { dir: 'subgraphs/space', skip: [] },
  { dir: 'subgraphs/network', skip: [] },
  { dir: 'provider', skip: [] },
  { dir: 'gateway', skip: [] },
  // The web page's browser code is bundled by web/src/build.ts, from its sources, into
  // web/dist/site (below); src/app is compiled too, since the server renders its pages.
  { dir: 'web', skip: [] },
];

const STAMP = 'dist/.built';

/**
 * Entry points bundled after the packages are built, from their `dist/`, into one folder, each
 * into one CommonJS file (`.cjs`) with all it imports: the embedded network's light entry, which
 * starts the partners' worker thread before anything heavy is loaded, the main thread's part and
 * the worker's, each loaded through V8's code cache (the entry loads the main thread's, and
 * `embedded-bundle-worker` the worker's).
 */
export const BUNDLES = [
  {
    entries: [
      'gateway/dist/embedded.js',
      'gateway/dist/embedded-network.js',
      'gateway/dist/embedded-partners.js',
      'gateway/dist/embedded-bundle-worker.js',
    ],
    outdir: 'gateway/dist/bundle',
  },
];

/**
 * Packages that stay outside the bundles, loaded from node_modules: PGlite reads its
 * WebAssembly and data files next to its own modules; esbuild runs its own binary.
 */
const UNBUNDLED = ['@electric-sql/pglite', '@electric-sql/pglite/*', 'esbuild'];

const BUNDLE_STAMP = '.built';

/** Every file of a package's `src/`, but the skipped folders and type declarations. */
function filesOf({ dir, skip }) {
  const found = [];
  const walk = (folder) => {
    for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (skip.includes(path.slice(dir.length + 1))) continue;
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith('.d.ts')) found.push(path);
    }
  };
  walk(join(dir, 'src'));
  return found.sort();
}

/**
 * An export that points at a source file without a `default` in `dist/` would make `node`
 * load TypeScript: refused at build time, naming it. Exports into `test/` are for tests only.
 */
function checkExports({ dir }) {
  const { exports = {} } = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
  const problems = [];
  for (const [name, target] of Object.entries(exports)) {
    if (typeof target === 'string') {
      if (!target.startsWith('./test/'))
        problems.push(
          `${dir}/package.json exports "${name}": use { "source": "${target}", "default": "${target.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '.js')}" }`,
        );
    } else if (!target.default?.startsWith('./dist/') || !target.source?.startsWith('./src/')) {
      problems.push(
        `${dir}/package.json exports "${name}": needs "source" (./src/…) and "default" (./dist/…)`,
      );
    }
  }
  return problems;
}

/** A fingerprint of the sources and package manifests: names, sizes and modification times. */
function fingerprint(pkg, files = filesOf(pkg)) {
  return [...files, join(pkg.dir, 'package.json')]
    .map((path) => {
      const stat = statSync(join(ROOT, path));
      return `${path} ${stat.size} ${stat.mtimeMs}`;
    })
    .join('\n');
}

function upToDate(pkg) {
  try {
    return readFileSync(join(ROOT, pkg.dir, STAMP), 'utf8') === fingerprint(pkg);
  } catch {
    return false;
  }
}

/**
 * Our modules find their SDL, migrations and web sources from `import.meta.url`: in a bundle,
 * each is given its own file's URL back, computed from the bundle's (`__filename`, in CommonJS),
 * so that the bundle still works wherever the repository is.
 */
function ownUrlsOf(outdir) {
  const ours = new RegExp(
    `^${ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(${PACKAGES.map((pkg) => pkg.dir).join('|')})/dist/.*\\.js$`,
  );
  return {
    name: 'own-urls',
    setup(build) {
      build.onLoad({ filter: ours }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const fromBundle = JSON.stringify(relative(outdir, path));
        return {
          contents: source.replaceAll(
            'import.meta.url',
            `new URL(${fromBundle}, require("node:url").pathToFileURL(__filename)).href`,
          ),
          loader: 'js',
          resolveDir: dirname(path),
        };
      });
    },
  };
}

/**
 * `@apollo/utils.createhash` finds Node's crypto through `module.require`, which a bundled
 * CommonJS module lacks: it would fall back to hashing in JavaScript (the gateway hashes every
 * operation). In the bundles it is Node's `createHash` itself.
 */
const nodeHashes = {
  name: 'node-hashes',
  setup(build) {
    build.onResolve({ filter: /^@apollo\/utils\.createhash$/ }, () => ({
      path: 'createhash',
      namespace: 'node-hashes',
    }));
    build.onLoad({ filter: /.*/, namespace: 'node-hashes' }, () => ({
      contents: "export { createHash } from 'node:crypto';",
      loader: 'js',
    }));
  },
};

/**
 * What a bundle (or the web page) is made of: the built packages, the dependencies the
 * lockfile pins, and this script's way of bundling.
 */
function bundleFingerprint() {
  return [...PACKAGES.map((pkg) => join(pkg.dir, STAMP)), 'pnpm-lock.yaml', 'scripts/build.mjs']
    .map((path) => {
      const stat = statSync(join(ROOT, path));
      return `${path} ${stat.size} ${stat.mtimeMs}`;
    })
    .join('\n');
}

async function bundle(build, { entries, outdir }) {
  const folder = join(ROOT, outdir);
  rmSync(folder, { recursive: true, force: true });
  await build({
    entryPoints: entries.map((entry) => join(ROOT, entry)),
    outdir: folder,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    target: 'node20',
    // Every `import()` becomes a `require`: Node 20 loses the callback dynamic imports go
    // through for code V8 takes from its cache (gateway/src/code-cache.ts).
    supported: { 'dynamic-import': false },
    external: UNBUNDLED,
    plugins: [ownUrlsOf(folder), nodeHashes],
    logLevel: 'warning',
  });
}

export async function buildAll({ ifNeeded = false } = {}) {
  // Loaded only when there is something to build: `pnpm start` checks at every start.
  let esbuild;
  const build = async (options) => (esbuild ??= await import('esbuild')).build(options);
  const problems = PACKAGES.flatMap(checkExports);
  if (problems.length > 0) throw new Error(`cannot build:\n  ${problems.join('\n  ')}`);
  const started = performance.now();
  const due = PACKAGES.filter((pkg) => !ifNeeded || !upToDate(pkg));
  await Promise.all(
    due.map(async (pkg) => {
      const files = filesOf(pkg);
      const print = fingerprint(pkg, files);
      const outdir = join(ROOT, pkg.dir, 'dist');
      rmSync(outdir, { recursive: true, force: true });
      await build({
        // The TypeScript compiled; the other files (styles, scripts served as they are) copied.
        entryPoints: files.filter((path) => path.endsWith('.ts')).map((path) => join(ROOT, path)),
        outbase: join(ROOT, pkg.dir, 'src'),
        outdir,
        bundle: false,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: 'linked',
        logLevel: 'warning',
      });
      // Read beside their module from `import.meta.url`, in `dist/` as in `src/`.
      for (const path of files.filter((path) => !path.endsWith('.ts'))) {
        const target = join(outdir, relative(join(ROOT, pkg.dir, 'src'), join(ROOT, path)));
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(join(ROOT, path), target);
      }
      writeFileSync(join(ROOT, pkg.dir, STAMP), print);
    }),
  );
  // The web page, bundled for the browser beside the server's build, which serves it from there
  // (web/src/build.ts): after the packages, since it bundles the sources of several and the
  // packages the lockfile pins. Written beside and renamed into place, its stamp last.
  const siteStamp = join(ROOT, 'web/dist/site', BUNDLE_STAMP);
  const sitePrint = bundleFingerprint();
  if (!ifNeeded || !existsSync(siteStamp) || readFileSync(siteStamp, 'utf8') !== sitePrint) {
    const { buildSite, writeSite, BUILT_SITE } = await import(join(ROOT, 'web/dist/build.js'));
    const partial = join(ROOT, `web/dist/site.partial-${process.pid}`);
    rmSync(partial, { recursive: true, force: true });
    await writeSite(await buildSite(), partial);
    writeFileSync(join(partial, BUNDLE_STAMP), sitePrint);
    rmSync(BUILT_SITE, { recursive: true, force: true });
    renameSync(partial, BUILT_SITE);
  }
  const bundled = [];
  for (const target of BUNDLES) {
    const stamp = join(ROOT, target.outdir, BUNDLE_STAMP);
    const print = bundleFingerprint();
    if (ifNeeded && existsSync(stamp) && readFileSync(stamp, 'utf8') === print) continue;
    await bundle(build, target);
    writeFileSync(stamp, print);
    bundled.push(target.outdir);
  }
  return { built: [...due.map((pkg) => pkg.dir), ...bundled], ms: performance.now() - started };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { built, ms } = await buildAll({ ifNeeded: process.argv.includes('--if-needed') });
  if (built.length > 0)
    console.error(`built ${built.join(', ')} into dist/ in ${(ms / 1000).toFixed(1)} s`);
  else if (!process.argv.includes('--if-needed')) console.error('nothing to build');
}
