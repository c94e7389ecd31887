/** The pages of a partner's console: `/gestion/<partner>/…`, and what each role may open. */
import { h, replace } from '../../app/dom.js';
import { ask } from './shell/api.js';
import { partnerMenu } from './shell/layout.js';
import { canManage, canWorkDesk, type ConsoleViewer } from './shell/viewer.js';
import { frontDeskPage } from './front.js';
import { DESK_PARTNER } from './operations.js';

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
  const sections = [
    { path: `${base}/accueil`, label: 'Accueil' },
    { path: `${base}/evenements`, label: 'Événements' },
    ...(manager
      ? [
          { path: `${base}/lieux`, label: 'Lieux' },
          { path: `${base}/membres`, label: 'Membres' },
        ]
      : []),
  ];
  const content = h('div', {});
  const [section, id] = rest;
  const page = async (): Promise<string | null> => {
    if (section === undefined || section === 'accueil') return frontDeskPage(content, partner);
    // Pages with a library of their own (rrule, opening_hours) come as chunks of their own.
    if (section === 'evenements' && id)
      return (await import('./events.js')).eventPage(content, partner, id, manager);
    if (section === 'evenements')
      return (await import('./events.js')).eventsPage(content, partner, manager);
    if (!manager) return null;
    if (section === 'lieux' && id) return (await import('./spaces.js')).spacePage(content, id);
    if (section === 'lieux') return spacesList(content, partner);
    if (section === 'membres' && id) return (await import('./members.js')).memberPage(content, id);
    if (section === 'membres')
      return (await import('./members.js')).membersPage(content, partner, url, manager);
    return null;
  };
  const title = await page();
  if (title === null) return null;
  const name = viewer.partners.get(partner)?.name ?? partner;
  replace(
    main,
    h('p', { class: 'fil' }, h('a', { href: '/gestion' }, 'Gestion'), ` › ${name}`),
    partnerMenu(sections, url.pathname),
    content,
  );
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
