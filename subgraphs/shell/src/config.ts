import { viewerKeySetting } from '@tiers-lieux/schema';
import { z } from 'zod';
import { telemetryConfig, telemetryEnv } from './telemetry.js';
import { parseCrashPoint } from './outbox/dispatcher.js';

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
    /** The mail server the outbox sends through (`smtp://user:pass@host:587`); unset keeps mails in the outbox. */
    SMTP_URL: z.string().url().optional(),
    /** The `From` of the network's mails. */
    MAIL_FROM: z
      .string()
      .min(3)
      .default('Réseau des tiers-lieux <ne-pas-repondre@tiers-lieux.localhost>'),
    /** The network's name, in every mail. */
    NETWORK_NAME: z.string().min(1).default('Réseau des tiers-lieux'),
    /** The web page's origin, where the links of the mails point. */
    PUBLIC_URL: z.string().url().default('http://127.0.0.1:4000'),
    /** The HMAC secret of the links in mails (confirm, cancel, unsubscribe); 32 characters or more. */
    LINK_SECRET: z.string().min(32).optional(),
    /** How often the outbox dispatcher looks for mails due (besides after each mutation). */
    OUTBOX_INTERVAL_MS: z.coerce.number().int().min(10).default(5_000),
    /** Tests only: kill the process at a point of the dispatcher (`after-send:3`). */
    OUTBOX_CRASH_POINT: z
      .string()
      .regex(/^(after-claim|after-send):\d+$/)
      .optional(),
    /** `production` requires the production settings; unset or `production` masks errors. */
    NODE_ENV: z.enum(['development', 'test', 'production']).optional(),
    ...telemetryEnv(),
  };
}

/**
 * Whether unexpected errors are masked (a generic message and an error id, no stack trace):
 * always but in development and tests, which must say so (`NODE_ENV`), so that a service
 * started without it never hands its stack traces to clients.
 */
export function masksErrors(nodeEnv: string | undefined): boolean {
  return nodeEnv !== 'development' && nodeEnv !== 'test';
}

/** The development secret of the links in mails; production must set its own. */
const DEVELOPMENT_LINK_SECRET = 'development-link-secret-not-for-production';

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
  /**
   * `sendsMail`: the service has an outbox, so production needs its mail server and link secret;
   * `signsLinks`: its mails carry signed links, so production needs its link secret.
   */
  options: { sendsMail?: boolean; signsLinks?: boolean } = {},
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
  if ((options.sendsMail || options.signsLinks) && e.NODE_ENV === 'production' && !e.LINK_SECRET) {
    problems.push('LINK_SECRET: required in production (signs the links in mails)');
  }
  if (options.sendsMail && e.NODE_ENV === 'production' && !e.SMTP_URL) {
    problems.push('SMTP_URL: required in production (mails owed would never leave)');
  }
  if (e.NODE_ENV === 'production' && e.OUTBOX_CRASH_POINT) {
    problems.push('OUTBOX_CRASH_POINT: for tests only, never in production');
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
    maskErrors: masksErrors(e.NODE_ENV),
    telemetry: telemetryConfig(e),
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      networkName: e.NETWORK_NAME,
      publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''),
      linkSecret: e.LINK_SECRET ?? DEVELOPMENT_LINK_SECRET,
      domain: mailDomain(e.MAIL_FROM),
      intervalMs: e.OUTBOX_INTERVAL_MS,
      crash: e.OUTBOX_CRASH_POINT ? parseCrashPoint(e.OUTBOX_CRASH_POINT) : null,
    },
  };
}

/** The domain of the `From` address, for the `Message-ID`s. */
export function mailDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'tiers-lieux.localhost';
}

export type ServiceConfig = ReturnType<typeof serviceConfig>;
