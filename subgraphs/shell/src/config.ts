import { viewerKeySetting } from '@tiers-lieux/schema';
import { z } from 'zod';

/**
 * The variables every subgraph service reads; a service spreads them into its own zod object
 * after its own variables (`z.object({ PARTNER: …, ...serviceEnv(4001) })`).
 */
export function serviceEnv(defaultPort: number) {
  return {
    /** HTTP port of the subgraph. */
    PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
    /** Interface to listen on. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** postgres:// URL of the service's own PostgreSQL database; embedded PGlite when unset. */
    DATABASE_URL: z.string().url().optional(),
    /** Connections in the PostgreSQL pool. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    /** Folder of the embedded PGlite database; in memory when unset (and no DATABASE_URL). */
    PGLITE_DIR: z.string().min(1).optional(),
    /**
     * Apply the pending migrations at start. `false` when they run as their own step before a
     * rollout (`node dist/main.js migrate`); `/ready` answers 503 until they are applied.
     */
    MIGRATE: z.enum(['true', 'false']).default('true'),
    /** Seed the database with the service's demo data when it is empty. */
    SEED: z.enum(['true', 'false']).default('false'),
    /**
     * The gateway's public key (PEM, ES256) to verify the signed viewer header. Without it every
     * request is an anonymous visitor's.
     */
    VIEWER_PUBLIC_KEY: viewerKeySetting('public').optional(),
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  };
}

export type ServiceEnv = z.output<z.ZodObject<ReturnType<typeof serviceEnv>>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment once against a service's schema, which holds
 * `serviceEnv`; reports every problem at once, production's rules included.
 */
export function parseEnv<Schema extends z.ZodType<ServiceEnv>>(
  schema: Schema,
  env: Record<string, string | undefined>,
): z.output<Schema> {
  const result = schema.safeParse(env);
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
  return e;
}

/** The settings `runService` needs, from the variables of `serviceEnv`. */
export function serviceConfig(e: ServiceEnv) {
  return {
    http: { host: e.HOST, port: e.PORT },
    database: { url: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR, poolSize: e.DATABASE_POOL_SIZE },
    migrate: e.MIGRATE === 'true',
    seed: e.SEED === 'true',
    viewerPublicKey: e.VIEWER_PUBLIC_KEY,
    production: e.NODE_ENV === 'production',
  };
}

export type ServiceConfig = ReturnType<typeof serviceConfig>;
