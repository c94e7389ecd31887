import { parseEnv, serviceConfig, serviceEnv } from '@tiers-lieux/subgraph-shell';
import { z } from 'zod';

export { ConfigError } from '@tiers-lieux/subgraph-shell';

const Env = z.object(serviceEnv(4100));

/** Reads and validates the environment once; reports every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  return serviceConfig(parseEnv(Env, env));
}

export type Config = ReturnType<typeof loadConfig>;
