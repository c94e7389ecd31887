import { viewerKeySetting } from '@tiers-lieux/schema';
import { z } from 'zod';

const Env = z.object({
  /** HTTP port of the subgraph. */
  PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** postgres:// URL of the network's PostgreSQL database; embedded PGlite when unset. */
  DATABASE_URL: z.string().url().optional(),
  /** Connections in the PostgreSQL pool. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** Folder of the embedded PGlite database; in memory when unset (and no DATABASE_URL). */
  PGLITE_DIR: z.string().min(1).optional(),
  /** Seed the registry, pass products and demo passes when the database is empty. */
  SEED: z.enum(['true', 'false']).default('false'),
  /**
   * The gateway's public key (PEM, ES256) to verify the signed viewer header. Without it every
   * request is an anonymous visitor's.
   */
  VIEWER_PUBLIC_KEY: viewerKeySetting('public').optional(),
  /**
   * How long a partner's subgraph has to answer the check that registerPartner and
   * updatePartner make of its URL, in milliseconds.
   */
  PARTNER_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; reports every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const result = Env.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = result.data;
  const problems: string[] = [];
  if (e.NODE_ENV === 'production' && !e.DATABASE_URL) {
    problems.push('DATABASE_URL: required in production (no embedded database there)');
  }
  if (e.NODE_ENV === 'production' && !e.VIEWER_PUBLIC_KEY) {
    problems.push("VIEWER_PUBLIC_KEY: required in production (the gateway's public key)");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    http: { host: e.HOST, port: e.PORT },
    database: { url: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR, poolSize: e.DATABASE_POOL_SIZE },
    seed: e.SEED === 'true',
    viewerPublicKey: e.VIEWER_PUBLIC_KEY,
    partnerCheckTimeoutMs: e.PARTNER_CHECK_TIMEOUT_MS,
    production: e.NODE_ENV === 'production',
  };
}

export type Config = ReturnType<typeof loadConfig>;
