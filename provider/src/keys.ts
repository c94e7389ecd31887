import { generateKeyPairSync, randomUUID } from 'node:crypto';

/**
 * An RS256 signing key as a private JWK. A module of its own (`@tiers-lieux/dev-provider/keys`):
 * what keeps the provider's secrets needs it without loading the provider.
 */
export function newSigningKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}
