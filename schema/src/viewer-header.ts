import { jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { z } from 'zod';
import { ANONYMOUS, type Viewer } from './viewer.js';
import { PARTNER_SLUG_PATTERN } from './ids.js';

/**
 * The gateway tells a subgraph who is asking in this header: a short-lived HS256 token signed
 * with a secret the gateway and the subgraphs share. A subgraph that cannot verify it (absent,
 * forged, expired, meant for another audience) treats the request as an anonymous visitor's.
 */
export const VIEWER_HEADER = 'x-network-viewer';
const ISSUER = 'tiers-lieux-gateway';
const DEFAULT_TTL_SECONDS = 60;

const ViewerClaim = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anonymous') }),
  z.object({
    kind: z.literal('member'),
    partner: z.string().regex(PARTNER_SLUG_PATTERN),
    memberId: z.string().min(1),
  }),
  z.object({ kind: z.literal('manager'), partner: z.string().regex(PARTNER_SLUG_PATTERN) }),
  z.object({ kind: z.literal('coordinator') }),
]);

/** The shared secret as a key; at least 32 bytes, as HS256 requires. */
export function viewerSecretKey(secret: string): Uint8Array {
  const key = new TextEncoder().encode(secret);
  if (key.length < 32) throw new Error('The viewer secret must be at least 32 bytes long');
  return key;
}

const hmacKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

/**
 * The secret as an HMAC key, imported once per secret: given raw bytes, jose imports them
 * again on every call, which doubled the cost of signing and verifying a header.
 */
function hmacKey(key: Uint8Array): Promise<CryptoKey> {
  let imported = hmacKeys.get(key);
  if (!imported) {
    // A copy: WebCrypto's types take bytes over an ArrayBuffer, not any ArrayBufferLike.
    imported = crypto.subtle.importKey(
      'raw',
      new Uint8Array(key),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    hmacKeys.set(key, imported);
  }
  return imported;
}

/** Signs the viewer for one subgraph request. */
export async function signViewer(
  viewer: Viewer,
  key: Uint8Array,
  options: { audience: string; requestId?: string; ttlSeconds?: number },
): Promise<string> {
  const jwt = new SignJWT({ viewer })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? DEFAULT_TTL_SECONDS}s`);
  if (options.requestId) jwt.setJti(options.requestId);
  return jwt.sign(await hmacKey(key));
}

/** The viewer a request carries, or the anonymous visitor when the header cannot be trusted. */
export async function verifyViewer(
  header: string | string[] | undefined,
  key: Uint8Array | null,
  audience: string,
): Promise<Viewer> {
  if (!key || typeof header !== 'string' || header.length === 0 || header.length > 4096)
    return ANONYMOUS;
  try {
    const { payload } = await jwtVerify(header, await hmacKey(key), {
      issuer: ISSUER,
      audience,
      algorithms: ['HS256'],
    });
    const viewer = ViewerClaim.safeParse(payload.viewer);
    return viewer.success ? viewer.data : ANONYMOUS;
  } catch {
    return ANONYMOUS;
  }
}
