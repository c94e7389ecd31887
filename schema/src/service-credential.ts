import { randomUUID } from 'node:crypto';
import { importPKCS8, importSPKI, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { requestHash, type BoundRequest, type ViewerTokenLedger } from './viewer-header.js';

/**
 * The network subgraph's credential for the calls it makes to a partner's subgraph itself (the
 * booking saga's hold, confirm and release), in the `x-network-service` header. It works like
 * the viewer header but with the network's own ES256 key pair: the network holds the private
 * key (`NETWORK_SERVICE_KEY`), partners the public one (`NETWORK_SERVICE_PUBLIC_KEY`), so the
 * gateway cannot make one and a partner cannot make one for another partner. It names the
 * partner it is for (audience `partner:<slug>`), lives 30 s, is bound to the one request it
 * travels with (the SHA-256 of its document, operation name and variables) and used once.
 */
export const SERVICE_HEADER = 'x-network-service';
const ISSUER = 'tiers-lieux-network';
const ALGORITHM = 'ES256';
const LIFETIME_SECONDS = 30;
const CLOCK_TOLERANCE_SECONDS = 5;

const keys = new Map<string, Promise<CryptoKey>>();
function key(pem: string, kind: 'signing' | 'public'): Promise<CryptoKey> {
  let imported = keys.get(pem);
  if (!imported) {
    imported = kind === 'signing' ? importPKCS8(pem, ALGORITHM) : importSPKI(pem, ALGORITHM);
    keys.set(pem, imported);
  }
  return imported;
}

/** Signs one call of the network to a partner's subgraph. */
export async function signServiceCall(
  signingKey: string,
  options: { audience: string; request: BoundRequest },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ requestHash: requestHash(options.request) })
    .setProtectedHeader({ alg: ALGORITHM })
    .setIssuer(ISSUER)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(await key(signingKey, 'signing'));
}

/**
 * Whether a request carries a valid credential of the network for this subgraph: signed by the
 * network's key, for this audience, live, bound to this very request, not seen before.
 */
export async function verifyServiceCall(
  header: string | null | undefined,
  publicKey: string | null | undefined,
  options: { audience: string; request: BoundRequest; seen: ViewerTokenLedger },
): Promise<boolean> {
  if (!publicKey || typeof header !== 'string' || header.length === 0 || header.length > 4096)
    return false;
  try {
    const { payload } = await jwtVerify(header, await key(publicKey, 'public'), {
      issuer: ISSUER,
      audience: options.audience,
      algorithms: [ALGORITHM],
      requiredClaims: ['exp', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    if (payload.requestHash !== requestHash(options.request)) return false;
    return await options.seen.claim(payload.jti!, (payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000);
  } catch {
    return false;
  }
}
