import { viewerKeySetting } from '@tiers-lieux/schema';
import { ConfigError, parseEnv, serviceConfig, serviceEnv } from '@tiers-lieux/subgraph-shell';
import { z } from 'zod';

export { ConfigError } from '@tiers-lieux/subgraph-shell';

const Env = z.object({
  ...serviceEnv(4100),
  /**
   * How long a partner's subgraph has to answer the check that registerPartner and
   * updatePartner make of its URL, in milliseconds.
   */
  PARTNER_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /**
   * The network's own private key (PEM, ES256) that signs its calls to partners' subgraphs (the
   * booking saga's hold, confirm, release); partners hold the public half as
   * `NETWORK_SERVICE_PUBLIC_KEY`. Without it, bookings paid with a pass fail.
   */
  NETWORK_SERVICE_KEY: viewerKeySetting('signing').optional(),
  /** How long a partner has to answer one step of the booking saga, in milliseconds. */
  SAGA_STEP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** How often interrupted booking sagas are finished or undone, in milliseconds. */
  SAGA_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(30_000),
  /** Tests only: kill the process at a point of the booking saga (`after-hold`…). */
  SAGA_CRASH_AT: z.enum(['after-hold', 'after-redeem', 'after-confirm']).optional(),
});

/** Reads and validates the environment once; reports every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  // The pass alerts carry a signed one-click unsubscribe link (`mail/passes.ts`).
  const e = parseEnv(Env, env, { signsLinks: true });
  if (e.NODE_ENV === 'production' && e.SAGA_CRASH_AT)
    throw new ConfigError(['SAGA_CRASH_AT: for tests only, never in production']);
  return {
    ...serviceConfig(e),
    partnerCheckTimeoutMs: e.PARTNER_CHECK_TIMEOUT_MS,
    saga: {
      signingKey: e.NETWORK_SERVICE_KEY,
      timeoutMs: e.SAGA_STEP_TIMEOUT_MS,
      recoveryIntervalMs: e.SAGA_RECOVERY_INTERVAL_MS,
      crashAt: e.SAGA_CRASH_AT ?? null,
    },
  };
}

export type Config = ReturnType<typeof loadConfig>;
