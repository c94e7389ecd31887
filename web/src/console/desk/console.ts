/**
 * The console of a partner's teams (`/gestion/…`): `/gestion/<partner>/…` for its managers and
 * front-desk staff. The role check is the network's (`me.roles`); a page the role does not
 * allow says so in French and asks for no data.
 */
import { h, replace } from '../../app/dom.js';
import { canWorkDesk, consoleViewer, type ConsoleViewer } from '../shell/access.js';
import { refusal } from '../shell/layout.js';
import { DESK_CONSOLE, deskPage } from './routes.js';

function home(main: HTMLElement, viewer: ConsoleViewer): string {
  const partners = [...viewer.partners.entries()].filter(([slug]) => canWorkDesk(viewer, slug));
  replace(
    main,
    h('h1', { tabindex: -1 }, 'Espace gestion'),
    h('p', {}, `Bonjour ${viewer.name}.`),
    partners.length === 0
      ? h('p', {}, 'Votre compte n’a de rôle chez aucun partenaire.')
      : h(
          'ul',
          { class: 'liste-lieux' },
          partners.map(([slug, name]) =>
            h(
              'li',
              {},
              h('a', { href: `/gestion/${slug}/accueil` }, name),
              viewer.manages.includes(slug) ? ' (gestion)' : ' (accueil)',
            ),
          ),
        ),
  );
  return 'Espace gestion';
}

/** Renders the `/gestion…` page at `url`; answers the page title. */
export async function renderDeskConsole(main: HTMLElement, url: URL): Promise<string> {
  const viewer = await consoleViewer();
  if (!viewer) return refusal(main, DESK_CONSOLE, false);
  const [, , partner, ...rest] = url.pathname.split('/').map(decodeURIComponent);
  if (!partner) return home(main, viewer);
  const title = await deskPage(main, viewer, partner, rest.filter(Boolean), url);
  return (
    title ??
    refusal(main, DESK_CONSOLE, true, {
      denied: canWorkDesk(viewer, partner)
        ? 'Cette page est réservée aux responsables de ce partenaire : votre rôle d’accueil ne l’ouvre pas.'
        : 'Votre compte n’a pas de rôle chez ce partenaire : cette page de gestion ne vous est pas accessible.',
      back: { href: '/gestion', label: 'Retour à vos espaces de gestion' },
    })
  );
}
