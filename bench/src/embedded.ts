import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './gateways.js';
import { startProcess } from './processes.js';

export interface EmbeddedStart {
  /** From the start command to the first answered query, in milliseconds. */
  firstAnswerMs: number;
  /** Largest resident memory of the process tree over the start and a few queries, in bytes. */
  rssBytes: number;
}

export interface EmbeddedResult {
  firstStart: EmbeddedStart;
  restart: EmbeddedStart;
}

const QUERY = JSON.stringify({
  query: '{ spaces(first: 5) { totalCount edges { node { name address { commune } } } } }',
});
const START_TIMEOUT_MS = 180_000;

async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The embedded network's own ports: its seeded registry names the partners at 4101 to 4104,
 * and the gateway routes by the registry, so on other ports it would answer only errors.
 */
const GATEWAY_PORT = 4000;
const NETWORK_PORT = 4100;
const PORTS = [GATEWAY_PORT, ...Array.from({ length: 5 }, (_, i) => NETWORK_PORT + i)];

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

/** Runs the start command once on `dataDir` and measures it; stops the network after. */
async function startOnce(dataDir: string): Promise<EmbeddedStart> {
  const taken = (await Promise.all(PORTS.map(async (p) => ((await isFree(p)) ? null : p)))).filter(
    (p) => p !== null,
  );
  if (taken.length)
    throw new Error(`ports ${taken.join(', ')} are in use (another embedded network?)`);
  const started = performance.now();
  const { child, output } = await startProcess({
    command: join(REPO_ROOT, 'node_modules/.bin/tsx'),
    args: ['gateway/src/embedded.ts'],
    cwd: REPO_ROOT,
    env: { DATA_DIR: dataDir, PORT: String(GATEWAY_PORT), NETWORK_PORT: String(NETWORK_PORT) },
    timeoutMs: START_TIMEOUT_MS,
  });
  try {
    const url = `http://127.0.0.1:${GATEWAY_PORT}/graphql`;
    let rss = 0;
    for (;;) {
      rss = Math.max(rss, child.rss());
      if (await answers(url)) break;
      if (!child.running()) throw new Error(`the embedded network exited:\n${output()}`);
      if (performance.now() - started > START_TIMEOUT_MS)
        throw new Error(`the embedded network did not answer within ${START_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const firstAnswerMs = performance.now() - started;
    for (let i = 0; i < 20; i++) {
      await answers(url);
      rss = Math.max(rss, child.rss());
    }
    return { firstAnswerMs, rssBytes: rss };
  } finally {
    await child.stop();
  }
}

/**
 * The embedded network (`tsx gateway/src/embedded.ts`, what `pnpm start` runs) started in a
 * child process on a fresh data folder, then restarted on the folder it made.
 */
export async function measureEmbedded(): Promise<EmbeddedResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tiers-lieux-bench-embedded-'));
  try {
    const firstStart = await startOnce(dataDir);
    const restart = await startOnce(dataDir);
    return { firstStart, restart };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
