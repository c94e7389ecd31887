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
  /** Its pages: path and link text. */
  pages: readonly { path: string; label: string }[];
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
        h(
          'ul',
          {},
          section.pages.map((page) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: page.path, 'aria-current': page.path === current ? 'page' : null },
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

/** The French refusal: no data, what is missing, how to sign in. Answers the page title. */
export function refusal(main: HTMLElement, section: ConsoleSection, signedIn: boolean): string {
  const title = 'Accès réservé';
  const returnTo = encodeURIComponent(location.pathname + location.search);
  replace(
    main,
    h('h1', { tabindex: -1 }, title),
    h(
      'p',
      { class: 'refus', role: 'alert' },
      signedIn
        ? `Votre compte n’a pas le rôle nécessaire pour ouvrir « ${section.name} ». Demandez-le à la coordination du réseau.`
        : `Connectez-vous avec un compte autorisé pour ouvrir « ${section.name} ».`,
    ),
    signedIn
      ? null
      : h('p', {}, h('a', { href: `/auth/login?returnTo=${returnTo}` }, 'Se connecter')),
    h('p', {}, h('a', { href: '/' }, 'Retour à l’annuaire')),
  );
  return title;
}

/** A short status line read out to screen readers (results of actions). */
export function statusLine(): HTMLElement {
  return h('p', { class: 'console-statut', role: 'status', 'aria-live': 'polite' });
}

export function say(status: HTMLElement, ...message: Child[]): void {
  replace(status, ...message);
}
