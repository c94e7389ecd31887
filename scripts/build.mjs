// `pnpm build`: compiles every service's TypeScript to JavaScript, file by file, into its
// package's `dist/` (the same layout as `src/`, so paths read from `import.meta.url` still
// land on the package's SDL, migrations and web sources). Workspace packages find each
// other's `dist/` through the `default` condition of their `exports`; tools that run the
// sources (tsx, vitest, tsc) ask for the `source` condition instead (docs/architecture.md).
//
//   node scripts/build.mjs              build everything
//   node scripts/build.mjs --if-needed  build only when a source is newer than the last build
//
// Plain JavaScript, so that `pnpm start` can run it before anything is compiled.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The packages that run in production, and the folders of `src/` that are not theirs to run. */
export const PACKAGES = [
  { dir: 'schema', skip: [] },
  { dir: 'subgraphs/shell', skip: [] },
  { dir: 'subgraphs/space', skip: [] },
  { dir: 'subgraphs/network', skip: [] },
  { dir: 'provider', skip: [] },
  { dir: 'gateway', skip: [] },
  // The web page's browser code is bundled by web/src/build.ts, from its sources, at start;
  // src/app is compiled too, since the server renders its pages (web/src/server/render.ts).
  { dir: 'web', skip: [] },
];

const STAMP = 'dist/.built';

function sourcesOf({ dir, skip }) {
  const found = [];
  const walk = (folder) => {
    for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (skip.includes(path.slice(dir.length + 1))) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path);
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
function fingerprint(pkg) {
  return [...sourcesOf(pkg), join(pkg.dir, 'package.json')]
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

export async function buildAll({ ifNeeded = false } = {}) {
  const problems = PACKAGES.flatMap(checkExports);
  if (problems.length > 0) throw new Error(`cannot build:\n  ${problems.join('\n  ')}`);
  const started = performance.now();
  const due = PACKAGES.filter((pkg) => !ifNeeded || !upToDate(pkg));
  await Promise.all(
    due.map(async (pkg) => {
      const print = fingerprint(pkg);
      const outdir = join(ROOT, pkg.dir, 'dist');
      rmSync(outdir, { recursive: true, force: true });
      await build({
        entryPoints: sourcesOf(pkg).map((path) => join(ROOT, path)),
        outbase: join(ROOT, pkg.dir, 'src'),
        outdir,
        bundle: false,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: 'linked',
        logLevel: 'warning',
      });
      writeFileSync(join(ROOT, pkg.dir, STAMP), print);
    }),
  );
  return { built: due.map((pkg) => pkg.dir), ms: performance.now() - started };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { built, ms } = await buildAll({ ifNeeded: process.argv.includes('--if-needed') });
  if (built.length > 0)
    console.error(`built ${built.join(', ')} into dist/ in ${(ms / 1000).toFixed(1)} s`);
  else if (!process.argv.includes('--if-needed')) console.error('nothing to build');
}
