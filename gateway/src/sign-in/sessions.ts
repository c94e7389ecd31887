import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Identity } from '../people.js';
import type { SessionStore } from './store.js';

export interface Session {
  identity: Identity;
  /** Sent back to the provider as `id_token_hint` when the person signs out. */
  idToken: string | null;
  /** What a sign-out form must carry (see routes.ts). */
  csrfToken: string;
}

/** What `/auth/login` remembers until the provider sends the browser back. */
export interface LoginTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

export interface SessionLifetimes {
  /** A session unused this long is over. */
  idleSeconds: number;
  /** A session is over this long after sign-in, however much it is used. */
  absoluteSeconds: number;
}

export const DEFAULT_SESSION_LIFETIMES: SessionLifetimes = {
  idleSeconds: 2 * 3600,
  absoluteSeconds: 12 * 3600,
};

/** Ten minutes to sign in at the provider. */
const LOGIN_SECONDS = 600;

/** The browser's token: 256 random bits. */
const newToken = () => randomBytes(32).toString('base64url');
const keyOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Server-side sessions over a shared store. The browser holds only a random token; the store
 * knows its hash. Idle expiry slides with use (written at most once a minute, not on every
 * request); the absolute expiry never moves.
 */
export class Sessions {
  constructor(
    private readonly store: SessionStore,
    readonly lifetimes: SessionLifetimes = DEFAULT_SESSION_LIFETIMES,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens a session; answers the token for the cookie. */
  async open(identity: Identity, idToken: string | null): Promise<string> {
    const token = newToken();
    const now = this.now();
    const session: Session = { identity, idToken, csrfToken: newToken() };
    await this.store.save(keyOf(token), {
      kind: 'session',
      data: session,
      idleExpiresAt: now + this.lifetimes.idleSeconds * 1000,
      expiresAt: now + this.lifetimes.absoluteSeconds * 1000,
    });
    return token;
  }

  /** The live session of a cookie's token, or null (unknown, signed out, idle or too old). */
  async find(token: string): Promise<Session | null> {
    const now = this.now();
    const idleMs = this.lifetimes.idleSeconds * 1000;
    const touchUntil = now + idleMs;
    const entry = await this.store.find(keyOf(token), now);
    if (!entry || entry.kind !== 'session') return null;
    const lastUse = entry.idleExpiresAt - idleMs;
    if (now - lastUse >= Math.min(60_000, idleMs / 10)) {
      const touched = await this.store.find(keyOf(token), now, touchUntil);
      if (!touched) return null;
    }
    return entry.data as Session;
  }

  async close(token: string): Promise<void> {
    await this.store.remove(keyOf(token));
  }

  /** Remembers a login under a new token (for the login cookie). */
  async beginLogin(transaction: LoginTransaction): Promise<string> {
    const token = newToken();
    const end = this.now() + LOGIN_SECONDS * 1000;
    await this.store.save(keyOf(token), {
      kind: 'login',
      data: transaction,
      idleExpiresAt: end,
      expiresAt: end,
    });
    return token;
  }

  /** The login of that token, once: a second callback with the same cookie finds nothing. */
  async takeLogin(token: string): Promise<LoginTransaction | null> {
    const entry = await this.store.take(keyOf(token), this.now());
    return entry?.kind === 'login' ? (entry.data as LoginTransaction) : null;
  }
}

export function sameToken(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
