/** The network calendar: the coming weeks across every partner, and the feed to subscribe to. */
import type { CalendarQuery, EventKind } from '../../__generated__/graphql.js';
import { CALENDAR, PLACES } from '../../graphql/operations.js';
import { EVENT_KINDS, departmentLabel } from '../../labels.js';
import { ask } from '../api.js';
import { field, h, options, replace, setText } from '../dom.js';
import { hour, longDay, plural } from '../format.js';
import { seatsText } from './space.js';
import { eventPath } from '../../paths.js';
import {
  CALENDAR_WEEKS,
  calendarFilter,
  calendarSearchParams,
  parseCalendarSearch,
  type CalendarSearch,
} from '../search-state.js';

type CalendarEvent = CalendarQuery['events']['edges'][number]['node'];

/** The feed of the network for this search, as https and webcal URLs. */
export function feedUrls(origin: string, search: CalendarSearch) {
  const query = new URLSearchParams();
  if (search.kind) query.set('kind', search.kind);
  if (search.department) query.set('department', search.department);
  const suffix = query.toString() ? `?${query}` : '';
  const https = `${origin}/calendar/network.ics${suffix}`;
  return { https, webcal: https.replace(/^https?:/, 'webcal:') };
}

function dayGroups(events: CalendarEvent[]): Map<string, CalendarEvent[]> {
  const groups = new Map<string, CalendarEvent[]>();
  for (const event of events) {
    const key = longDay(new Date(event.startsAt));
    groups.set(key, [...(groups.get(key) ?? []), event]);
  }
  return groups;
}

export async function calendarPage(main: HTMLElement, url: URL): Promise<string> {
  const start = parseCalendarSearch(url.searchParams);
  const kind = h(
    'select',
    { name: 'type' },
    options(
      [['', 'Tous les types'], ...(Object.entries(EVENT_KINDS) as [string, string][])],
      start.kind ?? '',
    ),
  );
  const department = h('select', { name: 'departement' }, options([['', 'Tous les départements']]));
  const subscribe = h('a', { class: 'bouton' }, 'S’abonner à cet agenda');
  const download = h('a', {}, 'Télécharger le fichier iCalendar (.ics)');
  const feed = h('input', { type: 'text', readonly: true, class: 'url' });
  const count = h('p', { class: 'compte', role: 'status', 'aria-live': 'polite' });
  const list = h('div', { class: 'agenda' });

  replace(
    main,
    h('h1', { tabindex: -1 }, 'Agenda du réseau'),
    h(
      'p',
      { class: 'chapo' },
      `Les événements des ${CALENDAR_WEEKS} prochaines semaines dans tous les lieux du réseau : réunions d’information, formations, repas partagés…`,
    ),
    h(
      'form',
      { class: 'recherche', 'aria-label': 'Filtrer l’agenda' },
      h(
        'div',
        { class: 'filtres' },
        field('Type d’événement', kind),
        field('Département', department),
      ),
    ),
    h(
      'div',
      { class: 'abonnement' },
      h('p', {}, subscribe, ' ', download),
      field('Adresse de l’agenda, à coller dans votre application de calendrier', feed),
    ),
    count,
    list,
  );

  const places = await ask(PLACES, {});
  const departments = [
    ...new Set((places.data?.spaces.edges ?? []).map((e) => e.node.address.department)),
  ].sort();
  replace(
    department,
    options(
      [
        ['', 'Tous les départements'],
        ...departments.map((d): [string, string] => [d, departmentLabel(d)]),
      ],
      start.department ?? '',
    ),
  );

  /** The search the controls show. */
  const read = (): CalendarSearch => ({
    kind: (kind.value || null) as EventKind | null,
    department: department.value || null,
  });

  let generation = 0;
  async function load(): Promise<void> {
    const mine = ++generation;
    const search = read();
    const urls = feedUrls(location.origin, search);
    subscribe.href = urls.webcal;
    download.href = urls.https;
    feed.value = urls.https;
    const query = calendarSearchParams(search).toString();
    history.replaceState(history.state, '', query ? `/agenda?${query}` : '/agenda');

    const filter = calendarFilter(search, new Date());
    list.setAttribute('aria-busy', 'true');
    try {
      const answer = await ask(CALENDAR, { filter, first: 200 });
      if (mine !== generation) return;
      const events = answer.data?.events.edges.map((e) => e.node) ?? [];
      setText(
        count,
        answer.data
          ? events.length === 0
            ? 'Aucun événement prévu avec ces critères.'
            : plural(events.length, 'événement', 'événements')
          : 'L’agenda ne répond pas pour le moment. Réessayez dans quelques minutes.',
      );
      replace(
        list,
        [...dayGroups(events)].map(([day, items]) =>
          h(
            'section',
            { class: 'jour' },
            h('h2', {}, day),
            h(
              'ul',
              { class: 'evenements' },
              items.map((e) =>
                h(
                  'li',
                  { class: e.status === 'CANCELLED' ? 'annule' : undefined },
                  h(
                    'span',
                    { class: 'heure' },
                    `${hour(new Date(e.startsAt))} – ${hour(new Date(e.endsAt))}`,
                  ),
                  ' ',
                  h('a', { href: eventPath(e.id) }, e.title),
                  h('span', { class: 'lieu' }, ` — ${e.space.name}, ${e.space.address.commune}`),
                  h('span', { class: 'genre' }, ` · ${EVENT_KINDS[e.kind]}`),
                  h('span', { class: 'places' }, ` · ${seatsText(e)}`),
                ),
              ),
            ),
          ),
        ),
      );
    } catch {
      if (mine === generation)
        setText(count, 'L’agenda ne répond pas pour le moment. Réessayez dans quelques minutes.');
    } finally {
      if (mine === generation) list.removeAttribute('aria-busy');
    }
  }
  kind.addEventListener('change', () => void load());
  department.addEventListener('change', () => void load());
  await load();
  return 'Agenda du réseau';
}
