import type { IncomingMessage } from 'node:http';
import { PARTNER_SLUG_PATTERN, ANONYMOUS, parseId, type Viewer } from '@tiers-lieux/schema';
import { GraphQLError } from 'graphql';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  importSPKI,
  jwtVerify,
  SignJWT,
  type JWTVerifyGetKey,
  type CryptoKey,
} from 'jose';
import { z } from 'zod';

/**
 * Bearer tokens (JWT). Claims give the viewer: `role` is `coordinator`, `manager` (with
 * `partner`) or `member` (with `member`, the member's id, whose partner it names). No token is
 * an anonymous visitor; a token that fails verification is an UNAUTHENTICATED error, never a
 * silent anonymous request.
 */
export type AuthKeys =
  | { kind: 'secret'; secret: string }
  | { kind: 'publicKey'; pem: string; algorithm: string }
  | { kind: 'jwks'; url: string }
  | { kind: 'jwksJson'; jwks: { keys: object[] } };

export interface AuthConfig {
  keys: AuthKeys;
  audience: string;
  issuer?: string | undefined;
}

const Claims = z.discriminatedUnion('role', [
  z.object({ role: z.literal('coordinator') }),
  z.object({ role: z.literal('manager'), partner: z.string().regex(PARTNER_SLUG_PATTERN) }),
  z.object({
    role: z.literal('member'),
    member: z.string().refine((id) => parseId(id)?.kind === 'member', 'a member id'),
  }),
]);

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

export type Authenticate = (req: IncomingMessage) => Promise<Viewer>;

export async function createAuthenticator(config: AuthConfig): Promise<Authenticate> {
  let key: Uint8Array | CryptoKey | JWTVerifyGetKey;
  let algorithms: string[];
  switch (config.keys.kind) {
    case 'secret':
      // Imported once: given raw bytes, jose would import them again for every token.
      key = await crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(config.keys.secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      );
      algorithms = ['HS256'];
      break;
    case 'publicKey':
      key = await importSPKI(config.keys.pem, config.keys.algorithm);
      algorithms = [config.keys.algorithm];
      break;
    case 'jwks':
      key = createRemoteJWKSet(new URL(config.keys.url));
      algorithms = ['RS256', 'ES256', 'PS256', 'EdDSA'];
      break;
    case 'jwksJson':
      key = createLocalJWKSet(config.keys.jwks as Parameters<typeof createLocalJWKSet>[0]);
      algorithms = ['RS256', 'ES256', 'PS256', 'EdDSA'];
      break;
  }
  return async (req) => {
    const header = req.headers.authorization;
    if (!header) return ANONYMOUS;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header.trim());
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <JWT>"');
    let payload: Record<string, unknown>;
    try {
      const verifyOptions = {
        audience: config.audience,
        ...(config.issuer ? { issuer: config.issuer } : {}),
        algorithms,
        requiredClaims: ['exp'],
      };
      ({ payload } =
        typeof key === 'function'
          ? await jwtVerify(match[1]!, key, verifyOptions)
          : await jwtVerify(match[1]!, key, verifyOptions));
    } catch (error) {
      const reason =
        error instanceof Error && 'code' in error
          ? String((error as { code: unknown }).code)
          : 'invalid';
      throw unauthenticated(`The bearer token is not valid (${reason})`);
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success)
      throw unauthenticated('The bearer token does not say who you are in the network');
    const c = claims.data;
    if (c.role === 'coordinator') return { kind: 'coordinator' };
    if (c.role === 'manager') return { kind: 'manager', partner: c.partner };
    return { kind: 'member', partner: parseId(c.member)!.partner, memberId: c.member };
  };
}

/** A token for the embedded network and tests (`pnpm token`). */
export async function issueToken(
  claims: z.infer<typeof Claims> & { sub?: string },
  secret: string,
  options: { audience: string; issuer?: string; expiresIn?: string },
): Promise<string> {
  const jwt = new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(options.audience)
    .setIssuedAt()
    .setSubject(claims.sub ?? claims.role)
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) jwt.setIssuer(options.issuer);
  return jwt.sign(new TextEncoder().encode(secret));
}
