import { PARTNER_SLUG_PATTERN, viewerKeySetting } from '@tiers-lieux/schema';
import { parseEnv, serviceConfig, serviceEnv } from '@tiers-lieux/subgraph-shell';
import { z } from 'zod';

export { ConfigError } from '@tiers-lieux/subgraph-shell';

const Env = z.object({
  /** The partner this instance serves (`cantine`, `baronnies`…); named in every id it issues. */
  PARTNER: z.string().regex(PARTNER_SLUG_PATTERN, 'a lowercase slug such as "cantine"'),
  ...serviceEnv(4001),
  /**
   * The network subgraph's public service key (PEM, ES256): the booking saga's calls (hold,
   * confirm, release a pass-paid booking) are verified with it. Without it they are refused.
   */
  NETWORK_SERVICE_PUBLIC_KEY: viewerKeySetting('public').optional(),
});

/** Reads and validates the environment once; reports every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(Env, env, { sendsMail: true });
  return {
    partner: e.PARTNER,
    ...serviceConfig(e),
    networkServicePublicKey: e.NETWORK_SERVICE_PUBLIC_KEY,
  };
}

export type Config = ReturnType<typeof loadConfig>;
