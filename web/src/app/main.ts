/** The page's router: one history entry per page, links followed without reloading. */
import { forgetPreloadedAnswers, KEPT_AS_SENT, resetNotice, takePreloadedAnswers } from './api.js';
import { h, replace } from './dom.js';
import { setJsonLd } from './jsonld.js';
import { showAccountArea } from './account-header.js';
import { calendarPage } from './pages/calendar.js';
import { directoryPage } from './pages/directory.js';
import { eventPage } from './pages/event.js';
import { passPage } from './pages/pass.js';
import { notFound } from './pages/problems.js';
import { BOOKING_MARK, spacePage } from './pages/space.js';
import { pageTitle } from './title.js';
import './styles.css';
import '../console/shell/console.css';

const main = document.getElementById('contenu')!;

async function render(url: URL): Promise<string> {
  const path = url.pathname;
  const id = (prefix: string) => decodeURIComponent(path.slice(prefix.length));
  if (path === '/') return directoryPage(main, url);
  if (path.startsWith('/lieux/')) return spacePage(main, id('/lieux/'));
  if (path.startsWith('/evenements/')) return eventPage(main, id('/evenements/'));
  if (path === '/agenda') return calendarPage(main, url);
  if (path === '/pass') return passPage(main);
  // Only a signed-in person's page: its code is fetched when it is shown.
  if (path === '/mon-espace') return (await import('./pages/account.js')).accountPage(main);
  if (/^\/(reseau|gestion)(\/|$)/.test(path))
    return (await import('../console/main.js')).renderConsole(main, url);
  return notFound(main, 'Cette adresse ne correspond à aucune page du site.');
}

/** A space with resources: its booking code is fetched for it alone. */
function mountBooking(): void {
  const section = main.querySelector<HTMLElement>(`[${BOOKING_MARK}]`);
  if (!section) return;
  const spaceId = section.getAttribute(BOOKING_MARK)!;
  void import('./booking.js').then((booking) => booking.mountBooking(section, spaceId));
}

function markCurrentLink(path: string): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
    const current = link.pathname === '/' ? path === '/' : path.startsWith(link.pathname);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function show(url: URL, moveFocus: boolean): Promise<void> {
  resetNotice();
  setJsonLd(null);
  markCurrentLink(url.pathname);
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
  forgetPreloadedAnswers();
  document.title = pageTitle(title);
  if (moveFocus) main.querySelector<HTMLElement>('h1')?.focus();
  mountBooking();
}

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = (event.target as Element).closest?.('a');
  if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin)
    return;
  if (/^\/(calendar|opendata|auth)\//.test(link.pathname)) return;
  event.preventDefault();
  if (link.href === location.href) return;
  history.pushState(null, '', link.href);
  window.scrollTo(0, 0);
  void show(new URL(link.href), true);
});

window.addEventListener('popstate', () => void show(new URL(location.href), true));

takePreloadedAnswers();
if (main.hasAttribute(KEPT_AS_SENT)) {
  main.removeAttribute(KEPT_AS_SENT);
  markCurrentLink(location.pathname);
  mountBooking();
} else void show(new URL(location.href), false);
void showAccountArea();
