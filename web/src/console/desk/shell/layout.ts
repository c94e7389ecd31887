/** The console's frame: a refusal page in French, the partner's menu, messages. */
import { h, replace, type Child } from '../../../app/dom.js';

export function signInLink(): HTMLAnchorElement {
  const back = location.pathname + location.search;
  return h(
    'a',
    { class: 'bouton', href: `/auth/login?returnTo=${encodeURIComponent(back)}` },
    'Se connecter',
  );
}

/** What a person without the role sees instead of the page: no data was asked for. */
export function refusal(main: HTMLElement, signedIn: boolean): string {
  replace(
    main,
    h('h1', { tabindex: -1 }, 'Accès refusé'),
    signedIn
      ? h(
          'p',
          { class: 'erreur', role: 'alert' },
          'Votre compte n’a pas de rôle chez ce partenaire : cette page de gestion ne vous est pas accessible.',
        )
      : h(
          'p',
          {},
          'Cette page est réservée aux équipes des tiers-lieux. Connectez-vous pour continuer.',
        ),
    signedIn
      ? h('p', {}, h('a', { href: '/gestion' }, 'Retour à vos espaces de gestion'))
      : signInLink(),
  );
  return 'Accès refusé';
}

export interface Section {
  path: string;
  label: string;
}

/** The menu of a partner's console, the current page marked. */
export function partnerMenu(sections: Section[], current: string): HTMLElement {
  return h(
    'nav',
    { 'aria-label': 'Menu de gestion', class: 'menu-gestion' },
    h(
      'ul',
      {},
      sections.map((s) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: s.path, 'aria-current': current.startsWith(s.path) ? 'page' : null },
            s.label,
          ),
        ),
      ),
    ),
  );
}

/** A live region that says what an action did. */
export function statusArea(): HTMLElement {
  return h('div', { class: 'statut', role: 'status', 'aria-live': 'polite' });
}

export function say(area: HTMLElement, kind: 'succes' | 'erreur', ...text: Child[]): void {
  replace(area, h('p', { class: kind }, ...text));
}

/** Goes to a console page (the console's router listens for this event). */
export function navigate(path: string): void {
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
