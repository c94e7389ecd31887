/** "Ajouter à mon agenda": the event's own `.ics`, and links that open Google's and Outlook's forms. */
import { eventFilePath, eventPath } from '../paths.js';
import { h } from './dom.js';
import { pageOrigin } from './page-context.js';

export interface CalendarEntry {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  description?: string | null;
  place: string;
}

/** `20261203T130000Z`, as Google's form takes it. */
const compact = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export function googleCalendarLink(entry: CalendarEntry, origin: string): string {
  const params = new URLSearchParams({
    action: 'TEMPLATE',
    text: entry.title,
    dates: `${compact(entry.startsAt)}/${compact(entry.endsAt)}`,
    details: `${origin}${eventPath(entry.id)}`,
    location: entry.place,
    ctz: 'Europe/Paris',
  });
  return `https://calendar.google.com/calendar/render?${params}`;
}

export function outlookCalendarLink(entry: CalendarEntry, origin: string): string {
  const params = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: entry.title,
    startdt: new Date(entry.startsAt).toISOString(),
    enddt: new Date(entry.endsAt).toISOString(),
    body: `${origin}${eventPath(entry.id)}`,
    location: entry.place,
  });
  return `https://outlook.live.com/calendar/0/deeplink/compose?${params}`;
}

export function addToCalendar(entry: CalendarEntry, headingLevel: 'h2' | 'h3' = 'h2'): HTMLElement {
  const origin = pageOrigin();
  return h(
    'section',
    { class: 'bloc ajout-agenda' },
    h(headingLevel, {}, 'Ajouter à mon agenda'),
    h(
      'ul',
      { class: 'agenda-ajout' },
      h(
        'li',
        {},
        h(
          'a',
          { href: eventFilePath(entry.id), download: 'evenement.ics' },
          'Fichier iCalendar',
          h('span', { class: 'aide' }, ' (Apple Calendrier, Thunderbird, Outlook…)'),
        ),
      ),
      h(
        'li',
        {},
        h('a', { href: googleCalendarLink(entry, origin), rel: 'external' }, 'Google Agenda'),
      ),
      h(
        'li',
        {},
        h('a', { href: outlookCalendarLink(entry, origin), rel: 'external' }, 'Outlook.com'),
      ),
    ),
  );
}
