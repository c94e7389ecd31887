import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import type { Identity } from '../people.js';
import type { LoginTransaction } from './sessions.js';

export interface RelyingPartyOptions {
  /** The provider's issuer; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** The callback URL registered at the provider (`<site>/auth/callback`). */
  redirectUrl: string;
  /** Scopes asked at sign-in; `openid email profile` by default. */
  scopes?: string;
  /**
   * The audience of the provider's access tokens for this API (RFC 9068 JWT access tokens):
   * bearer tokens of the provider are accepted only with it. Never the client id, which is the
   * audience of ID tokens.
   */
  apiAudience?: string | null;
}

const ASYMMETRIC = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** http is for a provider on this machine (the embedded one); anything else must be https. */
export function isLoopbackUrl(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function asString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Who the claims (of an ID token, userinfo or access token) say the person is. */
export function identityOf(issuer: string, claims: Record<string, unknown>): Identity {
  const familyName = asString(claims.family_name) ?? asString(claims.usual_name);
  const composed = [asString(claims.given_name), familyName].filter(Boolean).join(' ');
  return {
    issuer,
    subject: String(claims.sub),
    email: asString(claims.email)?.toLowerCase() ?? null,
    emailVerified: claims.email_verified === true,
    name: asString(claims.name) ?? (composed || null),
  };
}

export class SignInError extends Error {
  constructor(
    readonly reason: 'unavailable' | 'refused',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The gateway as an OpenID Connect relying party (openid-client): authorization code with
 * PKCE, state and nonce. The provider's metadata is discovered on first use and again after a
 * failure, so the gateway starts while its provider is still away.
 */
export class RelyingParty {
  private configuration: Promise<oidc.Configuration> | null = null;
  private jwks: ReturnType<typeof createRemoteJWKSet> | null = null;

  constructor(private readonly options: RelyingPartyOptions) {}

  get redirectUrl(): URL {
    return new URL(this.options.redirectUrl);
  }

  private discover(): Promise<oidc.Configuration> {
    const issuer = new URL(this.options.issuerUrl);
    return (this.configuration ??= oidc
      .discovery(
        issuer,
        this.options.clientId,
        this.options.clientSecret,
        oidc.ClientSecretBasic(this.options.clientSecret),
        isLoopbackUrl(issuer) && issuer.protocol === 'http:'
          ? { execute: [oidc.allowInsecureRequests], timeout: 5 }
          : { timeout: 5 },
      )
      .catch((error: unknown) => {
        this.configuration = null;
        throw new SignInError(
          'unavailable',
          `discovery failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }));
  }

  /** The issuer as the provider names itself, once discovered. */
  async issuer(): Promise<string> {
    return (await this.discover()).serverMetadata().issuer;
  }

  /** Where to send the browser, and what to remember until it comes back. */
  async authorizationRequest(
    returnTo: string,
  ): Promise<{ url: URL; transaction: LoginTransaction }> {
    const config = await this.discover();
    const transaction: LoginTransaction = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      returnTo,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUrl,
      scope: this.options.scopes ?? 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(transaction.codeVerifier),
      code_challenge_method: 'S256',
      state: transaction.state,
      nonce: transaction.nonce,
    });
    return { url, transaction };
  }

  /**
   * Checks the provider's answer against the login it belongs to (state, PKCE, nonce, issuer,
   * the ID token's signature and audience) and answers who signed in.
   */
  async finishSignIn(
    query: URLSearchParams,
    transaction: LoginTransaction,
  ): Promise<{ identity: Identity; idToken: string | null }> {
    const config = await this.discover();
    const callback = new URL(this.options.redirectUrl);
    callback.search = query.toString();
    let tokens;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: transaction.codeVerifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new SignInError('refused', error instanceof Error ? error.message : String(error));
    }
    const claims = tokens.claims();
    if (!claims) throw new SignInError('refused', 'no ID token');
    let all: Record<string, unknown> = { ...claims };
    // Some providers (ProConnect) put the email and names in userinfo only.
    if (!claims.email && tokens.access_token) {
      try {
        const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        all = { ...claims, ...pick(userinfo) };
      } catch {
        // The person is still who the ID token says; without an email the directory links by subject.
      }
    }
    return {
      identity: identityOf(config.serverMetadata().issuer, all),
      idToken: tokens.id_token ?? null,
    };
  }

  /** Where the browser goes to sign out at the provider too; null when it has no end-session endpoint. */
  async endSessionUrl(idToken: string | null, postLogoutRedirectUrl: string): Promise<URL | null> {
    const config = await this.discover();
    if (!config.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: postLogoutRedirectUrl,
      client_id: this.options.clientId,
      ...(idToken ? { id_token_hint: idToken } : {}),
    });
  }

  /** Whether a bearer token says it comes from this provider (not verified: see `verifyAccessToken`). */
  async claimsToBeOurs(token: string): Promise<boolean> {
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      return false;
    }
    return iss === this.options.issuerUrl || iss === (await this.issuer().catch(() => null));
  }

  /**
   * A bearer token of the provider: a JWT access token (RFC 9068) signed with a key of the
   * provider's JWKS, of its issuer, for this API's audience, not expired. ID tokens are not
   * accepted: their audience is the client that asked for them, not the API.
   */
  async verifyAccessToken(token: string): Promise<Identity> {
    if (!this.options.apiAudience)
      throw new SignInError('refused', 'bearer tokens of the provider are not accepted here');
    const config = await this.discover();
    const metadata = config.serverMetadata();
    if (!metadata.jwks_uri) throw new SignInError('unavailable', 'the provider has no jwks_uri');
    this.jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: 5_000 });
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: metadata.issuer,
        audience: this.options.apiAudience,
        algorithms: ASYMMETRIC,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      const code =
        error instanceof Error && 'code' in error
          ? String((error as { code: unknown }).code)
          : 'invalid';
      throw new SignInError('refused', code);
    }
    return identityOf(metadata.issuer, payload);
  }
}

function pick(claims: Record<string, unknown>): Record<string, unknown> {
  const { email, email_verified, name, given_name, family_name, usual_name } = claims;
  return Object.fromEntries(
    Object.entries({ email, email_verified, name, given_name, family_name, usual_name }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}
