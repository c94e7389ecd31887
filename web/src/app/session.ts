/**
 * Whether the visitor is signed in, as the gateway's `/auth/session` says (the session cookie
 * is HttpOnly: the page never sees it), and the ways in and out: `/auth/login` with the page to
 * come back to, and `POST /auth/logout` with the session's CSRF token.
 */
export type Session =
  { signedIn: false } | { signedIn: true; name: string | null; csrfToken: string };

const SIGNED_OUT: Session = { signedIn: false };

let asked: Promise<Session> | null = null;

/** The session, asked once per page load; signed out when it cannot be known. */
export function currentSession(): Promise<Session> {
  // Rendered on the server (no location), the page is always the signed-out one.
  if (typeof location === 'undefined') return Promise.resolve(SIGNED_OUT);
  asked ??= fetch('/auth/session', { headers: { accept: 'application/json' } })
    .then(async (response) => {
      if (!response.ok) return SIGNED_OUT;
      const body = (await response.json()) as Partial<{
        signedIn: boolean;
        name: string | null;
        csrfToken: string;
      }>;
      return body.signedIn === true && typeof body.csrfToken === 'string'
        ? { signedIn: true as const, name: body.name ?? null, csrfToken: body.csrfToken }
        : SIGNED_OUT;
    })
    .catch(() => SIGNED_OUT);
  return asked;
}

/** Where "Se connecter" leads: the provider, then back to this very page (or to `here`). */
export function signInHref(
  here = typeof location === 'undefined' ? '/' : `${location.pathname}${location.search}`,
): string {
  return `/auth/login?returnTo=${encodeURIComponent(here)}`;
}

/**
 * Signs out: a real form POST (the gateway then ends the session at the provider too, and
 * comes back to the home page), with the CSRF token as its `csrf` field.
 */
export function signOutForm(csrfToken: string, label = 'Se déconnecter'): HTMLFormElement {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = '/auth/logout';
  form.className = 'deconnexion';
  const token = document.createElement('input');
  token.type = 'hidden';
  token.name = 'csrf';
  token.value = csrfToken;
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = label;
  form.append(token, button);
  return form;
}
