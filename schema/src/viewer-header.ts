import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { importPKCS8, importSPKI, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { z } from 'zod';
import { ANONYMOUS, type Viewer } from './viewer.js';
import { PARTNER_SLUG_PATTERN } from './ids.js';

/**
 * The gateway tells a subgraph who is asking in this header: a short-lived ES256 token signed
 * with a key only the gateway holds; subgraphs hold the public key, so a partner that runs a
 * subgraph can verify headers but cannot make one for another partner's subgraph. A subgraph
 * that cannot verify it (absent, forged, expired, meant for another audience) treats the
 * request as an anonymous visitor's.
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

/** The curve of the viewer keys: ES256 signatures, which WebCrypto verifies everywhere. */
const ALGORITHM = 'ES256';

/** A new pair of viewer keys, as PEM: the gateway keeps the signing key, subgraphs the public one. */
export function generateViewerKeys(): { signingKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { signingKey: privateKey, publicKey };
}

/**
 * What is wrong with a PEM viewer key, or null when it is a P-256 key of the right kind: the
 * configurations check their key at start rather than at the first request.
 */
export function viewerKeyProblem(pem: string, kind: 'signing' | 'public'): string | null {
  // Node derives a public key from a private one: a subgraph must never be handed the latter.
  if (kind === 'public' && !pem.includes('-----BEGIN PUBLIC KEY-----'))
    return 'is not a PEM SPKI public key';
  try {
    const key = kind === 'signing' ? createPrivateKey(pem) : createPublicKey(pem);
    return key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
      ? null
      : 'must be a P-256 (ES256) key';
  } catch {
    return `is not a PEM ${kind === 'signing' ? 'PKCS#8 private' : 'SPKI public'} key`;
  }
}

const importedKeys = new Map<string, Promise<CryptoKey>>();

/** A PEM key imported once: importing it again for every header would double its cost. */
function imported(pem: string, kind: 'signing' | 'public'): Promise<CryptoKey> {
  let key = importedKeys.get(pem);
  if (!key) {
    key = kind === 'signing' ? importPKCS8(pem, ALGORITHM) : importSPKI(pem, ALGORITHM);
    importedKeys.set(pem, key);
  }
  return key;
}

/** Signs the viewer for one subgraph request, with the gateway's signing key (PEM). */
export async function signViewer(
  viewer: Viewer,
  signingKey: string,
  options: { audience: string; requestId?: string; ttlSeconds?: number },
): Promise<string> {
  const jwt = new SignJWT({ viewer })
    .setProtectedHeader({ alg: ALGORITHM })
    .setIssuer(ISSUER)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? DEFAULT_TTL_SECONDS}s`);
  if (options.requestId) jwt.setJti(options.requestId);
  return jwt.sign(await imported(signingKey, 'signing'));
}

/** The viewer a request carries, or the anonymous visitor when the header cannot be trusted. */
export async function verifyViewer(
  header: string | string[] | undefined,
  publicKey: string | null | undefined,
  audience: string,
): Promise<Viewer> {
  if (!publicKey || typeof header !== 'string' || header.length === 0 || header.length > 4096)
    return ANONYMOUS;
  try {
    const { payload } = await jwtVerify(header, await imported(publicKey, 'public'), {
      issuer: ISSUER,
      audience,
      algorithms: [ALGORITHM],
    });
    const viewer = ViewerClaim.safeParse(payload.viewer);
    return viewer.success ? viewer.data : ANONYMOUS;
  } catch {
    return ANONYMOUS;
  }
}

/**
 * An environment variable holding a PEM viewer key, checked at start; `\n` escapes stand for
 * line breaks, so the key fits on one line of a `.env` file.
 */
export function viewerKeySetting(kind: 'signing' | 'public') {
  return z
    .string()
    .min(1)
    .transform((value) => value.replace(/\\n/g, '\n'))
    .superRefine((pem, ctx) => {
      const problem = viewerKeyProblem(pem, kind);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}
