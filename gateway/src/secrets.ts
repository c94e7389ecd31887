import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateViewerKeys } from '@tiers-lieux/schema/viewer-header';

export interface EmbeddedSecrets {
  /** The gateway's key for the viewer header (PEM), and its public half for the subgraphs. */
  viewerSigningKey: string;
  viewerPublicKey: string;
  /** The network subgraph's key for its calls to partners (the booking saga), and its public half. */
  networkServiceKey: string;
  networkServicePublicKey: string;
  authSecret: string;
}

/**
 * Secrets of the embedded network, made on its first start and kept with its data, so that
 * `pnpm token` signs tokens the running gateway accepts. Production passes its own secrets.
 * A data folder from before the viewer or service keys gets them on its next start.
 */
export function embeddedSecrets(dir: string): EmbeddedSecrets {
  const file = join(dir, 'secrets.json');
  const kept = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<EmbeddedSecrets>)
    : {};
  if (
    kept.viewerSigningKey &&
    kept.viewerPublicKey &&
    kept.networkServiceKey &&
    kept.networkServicePublicKey &&
    kept.authSecret
  )
    return kept as EmbeddedSecrets;
  const keys = generateViewerKeys();
  // The same kind of ES256 pair as the viewer keys, but another one: only the network signs it.
  const serviceKeys = generateViewerKeys();
  const secrets: EmbeddedSecrets = {
    viewerSigningKey: kept.viewerSigningKey ?? keys.signingKey,
    viewerPublicKey: kept.viewerPublicKey ?? keys.publicKey,
    networkServiceKey: kept.networkServiceKey ?? serviceKeys.signingKey,
    networkServicePublicKey: kept.networkServicePublicKey ?? serviceKeys.publicKey,
    authSecret: kept.authSecret ?? randomBytes(32).toString('hex'),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
