/** The pages of a partner's console: `/gestion/<partner>/…`, and what each role may open. */
import { h, replace } from '../../app/dom.js';
import { canManage, canWorkDesk, type ConsoleViewer } from '../shell/access.js';
import { consoleFrame, type ConsoleSection } from '../shell/layout.js';
import { ask } from '../shell/operations.js';
import { frontDeskPage } from './front.js';
import { DESK_PARTNER } from './operations.js';

/** The console's name and, for the refusal, no pages: each partner has its own menu. */
export const DESK_CONSOLE: ConsoleSection = { name: 'Espace gestion', pages: [] };

/** Renders a partner's page, or answers null when the viewer's role does not allow it. */
export async function deskPage(
  main: HTMLElement,
  viewer: ConsoleViewer,
  partner: string,
  rest: string[],
  url: URL,
): Promise<string | null> {
  const manager = canManage(viewer, partner);
  if (!canWorkDesk(viewer, partner)) return null;
  const base = `/gestion/${partner}`;
  const name = viewer.partners.get(partner) ?? partner;
  const section: ConsoleSection = {
    name: DESK_CONSOLE.name,
    about: [h('a', { href: '/gestion' }, 'Gestion'), ` › ${name}`],
    pages: [
      { path: `${base}/accueil`, label: 'Accueil' },
      { path: `${base}/evenements`, label: 'Événements' },
      ...(manager
        ? [
            { path: `${base}/lieux`, label: 'Lieux' },
            { path: `${base}/membres`, label: 'Membres' },
          ]
        : []),
    ],
  };
  const content = h('div', {});
  const [page, id] = rest;
  const render = async (): Promise<string | null> => {
    if (page === undefined || page === 'accueil') return frontDeskPage(content, partner);
    // Pages with a library of their own (rrule, opening_hours) come as chunks of their own.
    if (page === 'evenements' && id)
      return (await import('./events.js')).eventPage(content, partner, id, manager);
    if (page === 'evenements')
      return (await import('./events.js')).eventsPage(content, partner, manager);
    if (!manager) return null;
    if (page === 'lieux' && id) return (await import('./spaces.js')).spacePage(content, id);
    if (page === 'lieux') return spacesList(content, partner);
    if (page === 'membres' && id)
      return (await import('./members.js')).memberPage(content, partner, id);
    if (page === 'membres')
      return (await import('./members.js')).membersPage(content, partner, url, manager);
    return null;
  };
  const title = await render();
  if (title === null) return null;
  const path = page === undefined ? `${base}/accueil` : url.pathname;
  replace(consoleFrame(main, section, path, viewer), content);
  return `${title} – ${name}`;
}

async function spacesList(main: HTMLElement, partner: string): Promise<string> {
  const answer = await ask(DESK_PARTNER, { slug: partner });
  const spaces = answer.data?.partner?.spaces.edges.map((e) => e.node) ?? [];
  replace(
    main,
    h('h1', { tabindex: -1 }, 'Lieux'),
    h(
      'ul',
      { class: 'liste-lieux' },
      spaces.map((s) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: `/gestion/${partner}/lieux/${encodeURIComponent(s.id)}` },
            `${s.name} — ${s.address.commune}`,
          ),
        ),
      ),
    ),
  );
  return 'Lieux';
}
