import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './gateways.js';
import { startProcess } from './processes.js';

export interface EmbeddedStart {
  /** From the start command to the first answered query, in milliseconds. */
  firstAnswerMs: number;
  /** Largest resident memory of the process tree over the start and a few queries, in bytes. */
  rssBytes: number;
  /**
   * CPU time of the process tree up to the first answer, in milliseconds (user and system):
   * the work of the start, which the machine's load stretches less than the time it takes.
   */
  cpuMs: number;
}

export interface EmbeddedResult {
  /** On a fresh data folder, nothing kept from earlier starts: a newcomer's first start. */
  firstStart: EmbeddedStart;
  restart: EmbeddedStart;
  /**
   * Restarted again with the bundles' V8 code cache removed (it is saved anew): what the code
   * cache saves, side by side with `restart`. Only for the `start` runner, the bundles'.
   */
  restartWithoutCodeCache?: EmbeddedStart | undefined;
  /**
   * On another fresh data folder, once the migrated clusters the first start made are kept in
   * the temp folder (a developer's `rm -rf .data`).
   */
  newFolder?: EmbeddedStart | undefined;
  /**
   * `pnpm build` from nothing (every `dist/` removed first): what a fresh clone's first
   * `pnpm start` does before its first start, in milliseconds.
   */
  buildMs?: number | undefined;
}

const QUERY = JSON.stringify({
  query: '{ spaces(first: 5) { totalCount edges { node { name address { commune } } } } }',
});
const START_TIMEOUT_MS = 180_000;

/**
 * How the network is started: `start` runs `pnpm start`'s own command, read from the root
 * package.json (the build's up-to-date check, then `node gateway/dist/bundle/embedded.cjs`), without
 * pnpm's own start-up; `tsx` the sources, as `pnpm start` did before the build, for comparison.
 */
export type EmbeddedRunner = 'start' | 'tsx';

function commandOf(runner: EmbeddedRunner): { command: string; args: string[] } {
  if (runner === 'tsx')
    return {
      command: join(REPO_ROOT, 'node_modules/.bin/tsx'),
      args: ['--conditions=source', 'gateway/src/embedded.ts'],
    };
  const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  return { command: '/bin/sh', args: ['-c', scripts.start] };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: QUERY,
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await response.json()) as { data?: { spaces?: { totalCount?: number } } };
    return typeof body.data?.spaces?.totalCount === 'number';
  } catch {
    return false;
  }
}

/**
 * Runs the start command once on `dataDir` and measures it; stops the network after. Every
 * service listens on a free port (`BASE_PORT=0`); the gateway's is read from its output.
 */
async function startOnce(
  dataDir: string,
  runner: EmbeddedRunner,
  tempDir: string,
): Promise<EmbeddedStart> {
  const started = performance.now();
  const { child, output } = await startProcess({
    ...commandOf(runner),
    cwd: REPO_ROOT,
    env: { DATA_DIR: dataDir, BASE_PORT: '0', TMPDIR: tempDir },
    timeoutMs: START_TIMEOUT_MS,
  });
  try {
    let url: string | null = null;
    let rss = 0;
    for (;;) {
      rss = Math.max(rss, child.rss());
      url ??= /the network graph is at (http:\/\/\S+\/graphql)/.exec(output())?.[1] ?? null;
      if (url && (await answers(url))) break;
      if (!child.running()) throw new Error(`the embedded network exited:\n${output()}`);
      if (performance.now() - started > START_TIMEOUT_MS)
        throw new Error(`the embedded network did not answer within ${START_TIMEOUT_MS} ms`);
      // Often enough to see the first answer within 50 ms; the memory is read from the
      // process tree alone, not the machine's whole process table (which took a core's share
      // from the start it measured on a busy machine).
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const firstAnswerMs = performance.now() - started;
    const cpuMs = child.cpuMs();
    for (let i = 0; i < 20; i++) {
      await answers(url!);
      rss = Math.max(rss, child.rss());
    }
    return { firstAnswerMs, rssBytes: rss, cpuMs };
  } finally {
    await child.stop();
  }
}

/**
 * The embedded network (`pnpm start`'s command) started in a child process on a fresh data
 * folder, then restarted on the folder it made. A full build (`pnpm build`) runs first, timed
 * on its own (`buildMs`) and part of no start's figure; its up-to-date check, which
 * `pnpm start` makes each time, is.
 */
export async function measureEmbedded(runner: EmbeddedRunner = 'start'): Promise<EmbeddedResult> {
  let buildMs: number | undefined;
  if (runner === 'start') {
    // A full build, as a fresh clone's first `pnpm start` makes (it rebuilds every dist/).
    const built = performance.now();
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
    buildMs = performance.now() - built;
  }
  // Its own temp folder: the clusters a start keeps there for the next fresh folder (and the
  // tests') must not make the first start look like a second one.
  const root = await mkdtemp(join(tmpdir(), 'tiers-lieux-bench-embedded-'));
  const [dataDir, otherDir, tempDir] = ['data', 'other', 'tmp'].map((name) => join(root, name));
  try {
    await mkdir(tempDir!);
    const firstStart = await startOnce(dataDir!, runner, tempDir!);
    const restart = await startOnce(dataDir!, runner, tempDir!);
    let restartWithoutCodeCache: EmbeddedStart | undefined;
    if (runner === 'start') {
      await rm(join(REPO_ROOT, 'gateway/dist/bundle/code-cache'), { recursive: true, force: true });
      restartWithoutCodeCache = await startOnce(dataDir!, runner, tempDir!);
    }
    const newFolder = await startOnce(otherDir!, runner, tempDir!);
    return { firstStart, restart, restartWithoutCodeCache, newFolder, buildMs };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
