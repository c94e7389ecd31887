/**
 * The header's account area: "Se connecter" for a visitor; the person's name, "Mon espace" and
 * "Se déconnecter" once signed in. The page's HTML holds the signed-out link, so the header
 * works before (and without) the script.
 */
import { h, replace } from './dom.js';
import { currentSession, signInHref, signOutForm } from './session.js';
import './account.css';

export const ACCOUNT_AREA_ID = 'compte-entete';

function signInLink(): HTMLAnchorElement {
  const link = h('a', { href: signInHref(), class: 'connexion' }, 'Se connecter');
  // The page changes without reloading: the way back is the page shown when the link is used.
  const follow = () => link.setAttribute('href', signInHref());
  link.addEventListener('pointerdown', follow);
  link.addEventListener('focus', follow);
  link.addEventListener('click', follow);
  return link;
}

/** Fills the header's account area from the session. */
export async function showAccountArea(): Promise<void> {
  const area = document.getElementById(ACCOUNT_AREA_ID);
  if (!area) return;
  const session = await currentSession();
  if (!session.signedIn) return replace(area, signInLink());
  replace(
    area,
    h(
      'ul',
      {},
      session.name ? h('li', { class: 'nom-connecte' }, session.name) : null,
      h('li', {}, h('a', { href: '/mon-espace' }, 'Mon espace')),
      h('li', {}, signOutForm(session.csrfToken)),
    ),
  );
}
