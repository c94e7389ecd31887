/**
 * "Mon espace" to a visitor: an invitation to sign in. The server sends it as the page of
 * `/mon-espace` (render.ts), so that it works without JavaScript; the script shows it again
 * when the session says the person is signed out.
 */
import { h, replace } from '../dom.js';
import { signInHref } from '../session.js';

export const MY_SPACE_TITLE = 'Mon espace';

/** Fills `main` with the invitation; "Se connecter" comes back to `signIn`'s page. */
export function signInToMySpace(main: HTMLElement, signIn = signInHref()): string {
  replace(
    main,
    h('h1', { tabindex: -1 }, MY_SPACE_TITLE),
    h(
      'p',
      {},
      'Connectez-vous pour voir votre espace\u00a0: vos inscriptions, vos pass, vos adhésions et votre profil.',
    ),
    h('p', {}, h('a', { href: signIn, class: 'bouton' }, 'Se connecter')),
  );
  return MY_SPACE_TITLE;
}
