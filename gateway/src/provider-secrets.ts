import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newSigningKey } from '@tiers-lieux/dev-provider/keys';

export interface ProviderSecrets {
  /** The embedded provider's token signing keys (private JWKs). */
  signingKeys: { keys: Record<string, unknown>[] };
  cookieKeys: string[];
  /** The gateway's client secret at the embedded provider. */
  clientSecret: string;
}

/**
 * The embedded provider's secrets, made on its first start and kept with the network's data, so
 * that tokens it signed stay valid across restarts. Production uses a provider of its own.
 */
export function embeddedProviderSecrets(dir: string): ProviderSecrets {
  const file = join(dir, 'provider-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ProviderSecrets;
  const secrets: ProviderSecrets = {
    signingKeys: { keys: [newSigningKey()] },
    cookieKeys: [randomBytes(32).toString('base64url')],
    clientSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
