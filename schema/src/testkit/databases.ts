import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/**
 * The real PostgreSQL server the suites also run on, from `TEST_DATABASE_URL`. Under CI the
 * variable is required: a suite never silently skips the server it is meant to prove.
 */
export function testDatabaseUrl(
  env: Record<string, string | undefined> = process.env,
): string | null {
  const url = env.TEST_DATABASE_URL?.trim();
  if (url) return url;
  if (env.CI === 'true')
    throw new Error('TEST_DATABASE_URL must be set under CI: the Postgres suites must run');
  return null;
}

/** The engines a suite runs on: PGlite always, the real server when its URL is known. */
export function testEngines(): ('pglite' | 'postgres')[] {
  return testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database on the test server, for one suite, and drops it afterwards. */
export async function createScratchDatabase(
  serverUrl: string,
  prefix: string,
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    },
  };
}
