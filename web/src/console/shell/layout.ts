/**
 * The console's frame inside the site's page: a heading for the console, its own navigation
 * (with the current page marked), and the refusal shown instead of any data to someone whose
 * roles do not open the console.
 */
import { h, replace, type Child } from '../../app/dom.js';
import type { ConsoleViewer } from './access.js';

export interface ConsoleSection {
  /** The console's name, first in the page title (`Réseau`, `Espace gestion`). */
  name: string;
  /** What the pages are about, under the name (a partner's name in Espace gestion). */
  about?: Child;
  /** Its pages: path and link text. */
  pages: readonly { path: string; label: string }[];
}

/** Whether the page at `current` is `path` or one of its sub-pages. */
function within(path: string, current: string): boolean {
  return current === path || current.startsWith(`${path}/`);
}

/** Lays out a console page; returns the element the page fills. */
export function consoleFrame(
  main: HTMLElement,
  section: ConsoleSection,
  current: string,
  viewer: ConsoleViewer,
): HTMLElement {
  const body = h('div', { class: 'console-corps' });
  replace(
    main,
    h(
      'div',
      { class: 'console' },
      h(
        'nav',
        { class: 'console-nav', 'aria-label': `Menu ${section.name}` },
        h('p', { class: 'console-nom' }, section.name, h('span', {}, ` · ${viewer.name}`)),
        section.about ? h('p', { class: 'console-objet' }, section.about) : null,
        h(
          'ul',
          {},
          section.pages.map((page) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: page.path, 'aria-current': within(page.path, current) ? 'page' : null },
                page.label,
              ),
            ),
          ),
        ),
      ),
      body,
    ),
  );
  return body;
}

/** A link to sign in that comes back to this page. */
export function signInLink(): HTMLAnchorElement {
  const returnTo = encodeURIComponent(location.pathname + location.search);
  return h('a', { href: `/auth/login?returnTo=${returnTo}` }, 'Se connecter');
}

/**
 * The French refusal: no data, what is missing, how to sign in. Answers the page title.
 * `denied` says why to a signed-in person when the console has a better sentence than the
 * general one (a manager on another partner's page), `back` where to go instead.
 */
export function refusal(
  main: HTMLElement,
  section: ConsoleSection,
  signedIn: boolean,
  options: { denied?: string; back?: { href: string; label: string } } = {},
): string {
  const title = 'Accès réservé';
  const back = options.back ?? { href: '/', label: 'Retour à l’annuaire' };
  replace(
    main,
    h('h1', { tabindex: -1 }, title),
    h(
      'p',
      { class: 'refus', role: 'alert' },
      signedIn
        ? (options.denied ??
            `Votre compte n’a pas le rôle nécessaire pour ouvrir « ${section.name} ». Demandez-le à la coordination du réseau.`)
        : `Connectez-vous avec un compte autorisé pour ouvrir « ${section.name} ».`,
    ),
    signedIn ? null : h('p', {}, signInLink()),
    h('p', {}, h('a', { href: back.href }, back.label)),
  );
  return title;
}

/** A short status line read out to screen readers (results of actions). */
export function statusLine(): HTMLElement {
  return h('p', { class: 'console-statut', role: 'status', 'aria-live': 'polite' });
}

export function say(status: HTMLElement, ...message: Child[]): void {
  status.classList.remove('erreur');
  replace(status, ...message);
}

/** Says on the status line that an action failed. */
export function sayFailure(status: HTMLElement, ...message: Child[]): void {
  replace(status, ...message);
  status.classList.add('erreur');
}

/** Goes to a console page (the site's router listens for this event). */
export function navigate(path: string): void {
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
