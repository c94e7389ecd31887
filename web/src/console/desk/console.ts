/**
 * The console of a partner's teams (`/gestion/…`): `/gestion/<partner>/…` for its managers and
 * front-desk staff. The role check is the network's (`me.roles`); a page the role does not
 * allow says so in French and asks for no data.
 */
import { h, replace } from '../../app/dom.js';
import { deskPage } from './routes.js';
import { refusal, signInLink } from './shell/layout.js';
import { canWorkDesk, consoleViewer, type ConsoleViewer } from './shell/viewer.js';

function home(main: HTMLElement, viewer: ConsoleViewer): string {
  const partners = [...viewer.partners.entries()].filter(([slug]) => canWorkDesk(viewer, slug));
  replace(
    main,
    h('h1', { tabindex: -1 }, 'Espace gestion'),
    h('p', {}, `Bonjour ${viewer.displayName}.`),
    partners.length === 0
      ? h('p', {}, 'Votre compte n’a de rôle chez aucun partenaire.')
      : h(
          'ul',
          { class: 'liste-lieux' },
          partners.map(([slug, p]) =>
            h(
              'li',
              {},
              h('a', { href: `/gestion/${slug}/accueil` }, p.name),
              p.manager ? ' (gestion)' : ' (accueil)',
            ),
          ),
        ),
  );
  return 'Espace gestion';
}

/** Renders the `/gestion…` page at `url`; answers the page title. */
export async function renderDeskConsole(main: HTMLElement, url: URL): Promise<string> {
  const viewer = await consoleViewer();
  if (!viewer) {
    replace(
      main,
      h('h1', { tabindex: -1 }, 'Espace gestion'),
      h('p', {}, 'Cet espace est réservé aux équipes des tiers-lieux du réseau.'),
      signInLink(),
    );
    return 'Connexion';
  }
  const [, , partner, ...rest] = url.pathname.split('/').map(decodeURIComponent);
  if (!partner) return home(main, viewer);
  const title = await deskPage(main, viewer, partner, rest.filter(Boolean), url);
  return title ?? refusal(main, true);
}
