/** What a page shows when what it asked for does not exist or could not be fetched. */
import type { Answer } from '../../graphql/client.js';
import { missingPartners } from '../../graphql/client.js';
import { h, replace } from '../dom.js';

export function notFound(main: HTMLElement, message: string): string {
  replace(
    main,
    h('h1', { tabindex: -1 }, 'Page introuvable'),
    h('p', {}, message),
    h('p', {}, h('a', { href: '/' }, 'Retour à l’annuaire')),
  );
  return 'Page introuvable';
}

/** Nothing to show: not found when the id names nothing, unavailable when something failed. */
export function absent(main: HTMLElement, answer: Answer<unknown>, message: string): string {
  const badId = answer.errors.every((e) =>
    ['BAD_USER_INPUT', 'UNKNOWN_PARTNER'].includes(String(e.extensions?.code)),
  );
  return badId ? notFound(main, message) : unavailable(main, answer);
}

/** The answer had no data: a missing partner (the notice names it) or another failure. */
export function unavailable(main: HTMLElement, answer: Answer<unknown> | null): string {
  const partnerDown = answer ? missingPartners(answer.errors).length > 0 : false;
  replace(
    main,
    h('h1', { tabindex: -1 }, 'Information indisponible'),
    h(
      'p',
      {},
      partnerDown
        ? 'Le partenaire qui publie cette page ne répond pas pour le moment. Réessayez dans quelques minutes.'
        : 'Le service ne répond pas pour le moment. Réessayez dans quelques minutes.',
    ),
    h('p', {}, h('a', { href: '/' }, 'Retour à l’annuaire')),
  );
  return 'Information indisponible';
}
