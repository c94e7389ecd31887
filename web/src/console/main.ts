/**
 * The console of the network's teams (`/gestion/…`), a bundle of its own that only its pages
 * load: `/gestion/<partner>/…` for a partner's managers and front-desk staff (`desk/`). The
 * role check is the network's (`me.roles`); a page the role does not allow says so in French
 * and asks for no data.
 */
import { h, replace } from '../app/dom.js';
import '../app/styles.css';
import './shell/console.css';
import { deskPage } from './desk/routes.js';
import { refusal, signInLink } from './shell/layout.js';
import { canWorkDesk, consoleViewer, type ConsoleViewer } from './shell/viewer.js';

const SITE = 'Gestion – Réseau des tiers-lieux';
const main = document.getElementById('contenu')!;

function home(viewer: ConsoleViewer): string {
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

async function render(url: URL): Promise<string> {
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
  if (!partner) return home(viewer);
  const title = await deskPage(main, viewer, partner, rest.filter(Boolean), url);
  return title ?? refusal(main, true);
}

async function show(url: URL, moveFocus: boolean): Promise<void> {
  main.setAttribute('aria-busy', 'true');
  let title: string;
  try {
    title = await render(url);
  } catch {
    replace(
      main,
      h('h1', { tabindex: -1 }, 'Service indisponible'),
      h('p', {}, 'Le réseau ne répond pas pour le moment. Réessayez dans quelques minutes.'),
    );
    title = 'Service indisponible';
  } finally {
    main.removeAttribute('aria-busy');
  }
  document.title = `${title} – ${SITE}`;
  if (moveFocus) main.querySelector<HTMLElement>('h1')?.focus();
}

document.addEventListener('click', (event) => {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
  const link = (event.target as Element).closest?.('a');
  if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin)
    return;
  if (!link.pathname.startsWith('/gestion')) return;
  event.preventDefault();
  history.pushState(null, '', link.href);
  void show(new URL(link.href), true);
});
window.addEventListener('popstate', () => void show(new URL(location.href), true));
void show(new URL(location.href), false);
