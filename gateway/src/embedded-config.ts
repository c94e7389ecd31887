import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error.js';

const port = z.coerce.number().int().min(0).max(65535);

const Env = z.object({
  /**
   * The port the whole embedded network moves with: the gateway on it, the network subgraph 100
   * above, the partners right after (4000, 4100, 4101…); 0 puts every service on a free port.
   */
  BASE_PORT: port.default(4000),
  /** The gateway's port, when it is not BASE_PORT. */
  PORT: port.optional(),
  /** The network subgraph's port, when it is not BASE_PORT + 100; the partners follow it. */
  NETWORK_PORT: port.optional(),
  /** The embedded OpenID provider's port, when it is not one below the network subgraph's. */
  PROVIDER_PORT: port.optional(),
  /** The embedded SMTP server's port, when it is not BASE_PORT + 25. */
  MAIL_PORT: port.optional(),
  /** Where the databases and the embedded secrets live; `.data` in the working folder. */
  DATA_DIR: z.string().min(1).optional(),
  /** Redis shared by gateway replicas (the anonymous-write counts); in memory when unset. */
  REDIS_URL: z.string().url().optional(),
});

/** The embedded network's settings (`pnpm start`), read once; every problem at once. */
export function loadEmbeddedConfig(
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
) {
  const result = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!result.success)
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = result.data;
  const networkPort = e.NETWORK_PORT ?? (e.BASE_PORT === 0 ? 0 : e.BASE_PORT + 100);
  return {
    dataDir: e.DATA_DIR ?? join(cwd, '.data'),
    gatewayPort: e.PORT ?? e.BASE_PORT,
    networkPort,
    /** The port of the `index`th seeded partner (0 when the network's is). */
    partnerPort: (index: number) => (networkPort === 0 ? 0 : networkPort + 1 + index),
    providerPort: e.PROVIDER_PORT ?? (networkPort === 0 ? 0 : networkPort - 1),
    mailPort: e.MAIL_PORT ?? (e.BASE_PORT === 0 ? 0 : e.BASE_PORT + 25),
    redisUrl: e.REDIS_URL,
  };
}

export type EmbeddedConfig = ReturnType<typeof loadEmbeddedConfig>;
