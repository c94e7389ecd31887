import type { IncomingMessage } from 'node:http';
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
import type { Identity } from './people.js';

/**
 * Bearer tokens (JWT) say who signed in: an issuer and a subject, and the email and name the
 * provider vouches for. They never say what the person may do: roles are the network's (the
 * people directory), and a `role` claim is ignored. No token is an anonymous visitor; a token
 * that fails verification is an UNAUTHENTICATED error, never a silent anonymous request.
 */
export type AuthKeys =
  | { kind: 'secret'; secret: string }
  | { kind: 'publicKey'; pem: string; algorithm: string }
  | { kind: 'jwks'; url: string }
  | { kind: 'jwksJson'; jwks: { keys: object[] } };

export interface AuthConfig {
  keys: AuthKeys;
  audience: string;
  /** Expected `iss`; development tokens (`secret`) always have `DEV_TOKEN_ISSUER`. */
  issuer?: string | undefined;
}

/** The issuer of development tokens, signed with the embedded network's secret (`pnpm token`). */
export const DEV_TOKEN_ISSUER = 'tiers-lieux-dev';

const Claims = z.object({
  iss: z.string().min(1).max(500),
  sub: z.string().min(1).max(255),
  email: z.string().max(320).optional(),
  email_verified: z.boolean().optional(),
  name: z.string().max(500).optional(),
});

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

/**
 * Who signed in on a request, or null when it carries no credentials of this kind; throws
 * UNAUTHENTICATED when it carries credentials that do not hold. Bearer tokens are one kind;
 * session cookies another (see `firstIdentity`).
 */
export type Authenticate = (req: IncomingMessage) => Promise<Identity | null>;

/** The identity of the first authenticator that finds credentials on the request. */
export function firstIdentity(...authenticators: Authenticate[]): Authenticate {
  return async (req) => {
    for (const authenticate of authenticators) {
      const identity = await authenticate(req);
      if (identity) return identity;
    }
    return null;
  };
}

/** The identity of a request's bearer token (`Authorization: Bearer <JWT>`). */
export async function createAuthenticator(config: AuthConfig): Promise<Authenticate> {
  let key: Uint8Array | CryptoKey | JWTVerifyGetKey;
  let algorithms: string[];
  let issuer = config.issuer;
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
      issuer = DEV_TOKEN_ISSUER;
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
    if (!header) return null;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header.trim());
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <JWT>"');
    let payload: Record<string, unknown>;
    try {
      const verifyOptions = {
        audience: config.audience,
        ...(issuer ? { issuer } : {}),
        algorithms,
        requiredClaims: ['exp', 'iss', 'sub'],
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
      throw unauthenticated('The bearer token does not say who you are (iss, sub, email, name)');
    const c = claims.data;
    return {
      issuer: c.iss,
      subject: c.sub,
      email: c.email ?? null,
      emailVerified: c.email !== undefined && c.email_verified === true,
      name: c.name ?? null,
    };
  };
}

/** The stable subject of a development token for an email: the same email, the same person. */
export function devSubject(email: string): string {
  return `dev:${email.trim().toLowerCase()}`;
}

export interface DevTokenOptions {
  audience: string;
  expiresIn?: string;
  /** More claims, which the gateway ignores (tests send a `role` to prove it). */
  extraClaims?: Record<string, unknown>;
}

/**
 * A development token (`pnpm token`, tests): HS256 with the embedded secret, issuer
 * `DEV_TOKEN_ISSUER`, a verified email and the subject `devSubject(email)`.
 */
export async function issueDevToken(
  person: { email: string; name?: string | null },
  secret: string,
  options: DevTokenOptions,
): Promise<string> {
  return new SignJWT({
    ...options.extraClaims,
    email: person.email,
    email_verified: true,
    ...(person.name ? { name: person.name } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(DEV_TOKEN_ISSUER)
    .setAudience(options.audience)
    .setSubject(devSubject(person.email))
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(new TextEncoder().encode(secret));
}
