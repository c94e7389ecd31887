import { PARTNER_SLUG_PATTERN } from '@tiers-lieux/schema';
import { parseEnv, serviceConfig, serviceEnv } from '@tiers-lieux/subgraph-shell';
import { z } from 'zod';

export { ConfigError } from '@tiers-lieux/subgraph-shell';

const Env = z.object({
  /** The partner this instance serves (`cantine`, `baronnies`…); named in every id it issues. */
  PARTNER: z.string().regex(PARTNER_SLUG_PATTERN, 'a lowercase slug such as "cantine"'),
  ...serviceEnv(4001),
});

/** Reads and validates the environment once; reports every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(Env, env, { sendsMail: true });
  return { partner: e.PARTNER, ...serviceConfig(e) };
}

export type Config = ReturnType<typeof loadConfig>;
