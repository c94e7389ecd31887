/**
 * Scaffolding of the tests that SIGKILL a service's process mid-work and prove what the next
 * start recovers: a database that outlives the processes, and the child run as node itself.
 * The test and its child scripts share the `CRASH_DATABASE_URL` / `CRASH_PGLITE_DIR` variables.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase, testDatabaseUrl } from '@tiers-lieux/schema/testkit';
import type { DatabaseConfig } from './db.js';

/** The repository's root, where a child's `tsx` and workspace packages resolve. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** How a child ended: 0 when it got through, or the signal that killed it (`'SIGKILL'`). */
export type ChildEnding = number | string;

export interface CrashDatabase {
  /** The variables that point a child (and `crashDatabaseConfig`) at the database. */
  env: Record<string, string>;
  /** Drops the scratch database, or removes the PGlite folder. */
  cleanup(): Promise<void>;
}

/**
 * A database every child of a crash test opens in turn: a scratch database on the real server
 * (`TEST_DATABASE_URL`), or a PGlite folder on disk.
 */
export async function createCrashDatabase(
  engine: 'pglite' | 'postgres',
  prefix: string,
): Promise<CrashDatabase> {
  if (engine === 'postgres') {
    const serverUrl = testDatabaseUrl();
    if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
    const scratch = await createScratchDatabase(serverUrl, prefix);
    return { env: { CRASH_DATABASE_URL: scratch.url }, cleanup: () => scratch.drop() };
  }
  const dir = await mkdtemp(join(tmpdir(), `${prefix.replaceAll('_', '-')}-`));
  return {
    env: { CRASH_PGLITE_DIR: dir },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The `createDb` configuration of a crash database, from its variables (a child's `process.env`). */
export function crashDatabaseConfig(
  env: Record<string, string | undefined> = process.env,
): DatabaseConfig {
  return env.CRASH_DATABASE_URL
    ? { url: env.CRASH_DATABASE_URL }
    : { pgliteDir: env.CRASH_PGLITE_DIR };
}

/**
 * Runs a child script once, under tsx, with the test's environment plus `env`; resolves with
 * how it ended, rejects when it exited with an error (with its stderr).
 */
export function runCrashChild(script: string, env: Record<string, string>): Promise<ChildEnding> {
  return new Promise((resolve, reject) => {
    // node itself, not the tsx wrapper, so the SIGKILL is seen as the child's own end.
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== null && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve(signal ?? code ?? -1);
    });
  });
}

/** How many of the endings were SIGKILLs. */
export const killsAmong = (endings: readonly ChildEnding[]): number =>
  endings.filter((ending) => ending === 'SIGKILL').length;
