import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EmbeddedSecrets {
  viewerSecret: string;
  authSecret: string;
}

/**
 * Secrets of the embedded network, made on its first start and kept with its data, so that
 * `pnpm token` signs tokens the running gateway accepts. Production passes its own secrets.
 */
export function embeddedSecrets(dir: string): EmbeddedSecrets {
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as EmbeddedSecrets;
  mkdirSync(dir, { recursive: true });
  const secrets = {
    viewerSecret: randomBytes(32).toString('hex'),
    authSecret: randomBytes(32).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
