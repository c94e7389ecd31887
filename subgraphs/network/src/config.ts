import { parseEnv, serviceConfig, serviceEnv } from '@tiers-lieux/subgraph-shell';
import { z } from 'zod';

export { ConfigError } from '@tiers-lieux/subgraph-shell';

const Env = z.object({
  ...serviceEnv(4100),
  /**
   * How long a partner's subgraph has to answer the check that registerPartner and
   * updatePartner make of its URL, in milliseconds.
   */
  PARTNER_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
});

/** Reads and validates the environment once; reports every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(Env, env);
  return { ...serviceConfig(e), partnerCheckTimeoutMs: e.PARTNER_CHECK_TIMEOUT_MS };
}

export type Config = ReturnType<typeof loadConfig>;
