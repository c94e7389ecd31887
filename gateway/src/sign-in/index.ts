import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import type { Identity } from '../people.js';
import { signInFailedPage, signOutPage } from './pages.js';
import {
  isLoopbackUrl,
  RelyingParty,
  SignInError,
  type RelyingPartyOptions,
} from './relying-party.js';
import { safeReturnTo } from './return-to.js';
import {
  DEFAULT_SESSION_LIFETIMES,
  sameToken,
  Sessions,
  type SessionLifetimes,
} from './sessions.js';
import type { SessionStore } from './store.js';

export { redisSessionStore } from './redis-store.js';
export { sqlSessionStore, sqlSessionStoreAt } from './sql-store.js';
export { Sessions, type Session, type SessionLifetimes } from './sessions.js';
export type { SessionStore, StoredEntry } from './store.js';
export { RelyingParty, identityOf } from './relying-party.js';
export { safeReturnTo } from './return-to.js';

export interface SignInOptions extends Omit<RelyingPartyOptions, 'redirectUrl'> {
  /** `<site>/auth/callback` as registered at the provider; the gateway's own URL when unset. */
  redirectUrl?: string | undefined;
  lifetimes?: Partial<SessionLifetimes> | undefined;
}

export interface SignInSettings extends SignInOptions {
  store: SessionStore;
  /** The callback URL when none is configured: the gateway's own, known once it listens. */
  defaultRedirectUrl: () => string;
  /** The clock of the sessions (tests move it). */
  now?: () => number;
  log: (message: string) => void;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/**
 * Sign-in for the web page and the provider's bearer tokens: the relying party, the sessions,
 * the `/auth/*` routes, and `identityOf(request)` for `/graphql`.
 */
export function createSignIn(settings: SignInSettings) {
  const sessions = new Sessions(
    settings.store,
    { ...DEFAULT_SESSION_LIFETIMES, ...settings.lifetimes },
    settings.now,
  );
  let party: RelyingParty | null = null;
  const relyingParty = () =>
    (party ??= new RelyingParty({
      ...settings,
      redirectUrl: settings.redirectUrl ?? settings.defaultRedirectUrl(),
    }));
  /** The site's origin, from the callback URL: cookies, sign-out return and origin checks follow it. */
  const site = () => relyingParty().redirectUrl;
  // Over https the cookies are Secure and `__Host-` (no Domain, path /); plain http only on
  // this machine (the embedded network), where a browser would drop a Secure cookie.
  const secure = () => site().protocol === 'https:';
  const cookieName = (name: string) => (secure() ? `__Host-${name}` : name);
  const cookieOptions = (maxAgeSeconds: number) => ({
    httpOnly: true,
    secure: secure(),
    sameSite: 'lax' as const,
    path: '/',
    maxAge: maxAgeSeconds,
  });
  const SESSION = () => cookieName('tl_session');
  const LOGIN = () => cookieName('tl_login');

  function html(reply: FastifyReply, status: number, body: string) {
    return reply
      .code(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(body);
  }

  async function sessionOf(request: FastifyRequest) {
    const token = request.cookies[SESSION()];
    if (!token) return null;
    const session = await sessions.find(token);
    return session ? { token, session } : null;
  }

  const routes: FastifyPluginAsync = async (app) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    app.get('/auth/login', async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const returnTo = safeReturnTo(query.returnTo);
      if (returnTo === null)
        return html(
          reply,
          400,
          signInFailedPage('L’adresse de retour doit être une page de ce site.'),
        );
      let authorization;
      try {
        authorization = await relyingParty().authorizationRequest(returnTo);
      } catch (error) {
        settings.log(`sign-in: ${error instanceof Error ? error.message : String(error)}`);
        return html(
          reply,
          503,
          signInFailedPage(
            'Le service de connexion est indisponible pour le moment. Réessayez dans un instant.',
          ),
        );
      }
      const token = await sessions.beginLogin(authorization.transaction);
      reply.setCookie(LOGIN(), token, cookieOptions(600));
      return reply.header('cache-control', 'no-store').redirect(authorization.url.href, 303);
    });

    app.get('/auth/callback', async (request, reply) => {
      const loginToken = request.cookies[LOGIN()];
      reply.clearCookie(LOGIN(), { path: '/', secure: secure(), httpOnly: true, sameSite: 'lax' });
      const login = loginToken ? await sessions.takeLogin(loginToken) : null;
      if (!login)
        return html(
          reply,
          400,
          signInFailedPage(
            'Cette connexion n’a pas été demandée depuis ce navigateur, ou a expiré.',
          ),
        );
      const query = new URLSearchParams(request.url.split('?')[1] ?? '');
      if (query.get('error') === 'access_denied')
        return html(reply, 400, signInFailedPage('La connexion a été annulée.'));
      let result;
      try {
        result = await relyingParty().finishSignIn(query, login);
      } catch (error) {
        const unavailable = error instanceof SignInError && error.reason === 'unavailable';
        settings.log(`sign-in refused: ${error instanceof Error ? error.message : String(error)}`);
        return html(
          reply,
          unavailable ? 503 : 400,
          signInFailedPage(
            unavailable
              ? 'Le service de connexion est indisponible pour le moment.'
              : 'La réponse du service de connexion n’a pas pu être vérifiée.',
          ),
        );
      }
      // A new session at each sign-in: a session id planted before it opens nothing.
      const previous = request.cookies[SESSION()];
      if (previous) await sessions.close(previous);
      const token = await sessions.open(result.identity, result.idToken);
      reply.setCookie(SESSION(), token, cookieOptions(sessions.lifetimes.absoluteSeconds));
      return reply.header('cache-control', 'no-store').redirect(login.returnTo, 303);
    });

    app.get('/auth/session', async (request, reply) => {
      const found = await sessionOf(request);
      reply.header('cache-control', 'no-store');
      if (!found) return { signedIn: false };
      return {
        signedIn: true,
        name: found.session.identity.name ?? found.session.identity.email,
        csrfToken: found.session.csrfToken,
      };
    });

    // Showing the sign-out form changes nothing: only the POST signs out.
    app.get('/auth/logout', async (request, reply) => {
      const found = await sessionOf(request);
      return html(
        reply,
        200,
        signOutPage({
          name: found?.session.identity.name ?? null,
          csrfToken: found?.session.csrfToken ?? null,
        }),
      );
    });

    app.post('/auth/logout', async (request, reply) => {
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== site().origin)
        return html(
          reply,
          403,
          signInFailedPage('Cette demande de déconnexion ne vient pas de ce site.'),
        );
      const found = await sessionOf(request);
      const clearSession = () =>
        reply.clearCookie(SESSION(), {
          path: '/',
          secure: secure(),
          httpOnly: true,
          sameSite: 'lax',
        });
      if (!found) return clearSession().redirect('/', 303);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const sent = String(body.csrf ?? request.headers['x-csrf-token'] ?? '');
      // A forged request changes nothing, not even the browser's cookie.
      if (!sameToken(sent, found.session.csrfToken))
        return html(
          reply,
          403,
          signInFailedPage('Cette demande de déconnexion n’est pas valable.'),
        );
      await sessions.close(found.token);
      clearSession();
      const afterwards = new URL('/', site()).href;
      const endSession = await relyingParty()
        .endSessionUrl(found.session.idToken, afterwards)
        .catch(() => null);
      return reply.redirect(endSession?.href ?? '/', 303);
    });
  };

  return {
    routes,
    sessions,
    relyingParty,
    /**
     * Who the request comes from, for `/graphql`: a bearer token of the provider, else the
     * session cookie; null when neither (a bearer token of another issuer is left to the
     * gateway's other authenticator). A bearer token of the provider that fails verification
     * is UNAUTHENTICATED, never an anonymous request.
     */
    async identityOf(request: FastifyRequest): Promise<Identity | null> {
      const header = request.headers.authorization;
      if (header) {
        const token = BEARER.exec(header.trim())?.[1];
        if (!token || !(await relyingParty().claimsToBeOurs(token))) return null;
        try {
          return await relyingParty().verifyAccessToken(token);
        } catch (error) {
          const reason = error instanceof SignInError ? error.message : 'invalid';
          throw unauthenticated(`The bearer token is not valid (${reason})`);
        }
      }
      return (await sessionOf(request))?.session.identity ?? null;
    },
    close: () => settings.store.close(),
  };
}

export type SignIn = ReturnType<typeof createSignIn>;

/** Where a callback URL may point: https, or http on this machine only. */
export function callbackUrlProblem(url: string): string | null {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && isLoopbackUrl(parsed)) return null;
  return 'must be https (plain http only on 127.0.0.1, localhost or [::1])';
}
