/**
 * "Ajouter à mon agenda" for a booking: the `.ics` file is written in the page (a booking is
 * the person's own, so no public URL serves it) and offered as a download.
 */
import { h } from './dom.js';

export interface BookedSlot {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  place: string;
}

/** `20261203T130000Z`. */
const utc = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** RFC 5545 text: backslash, semicolon, comma and newlines escaped. */
const text = (value: string) => value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');

export function bookingIcs(slot: BookedSlot, now = new Date()): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Réseau des tiers-lieux//Réservations//FR',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${slot.id.replace(/[^A-Za-z0-9:-]/g, '-')}@tiers-lieux`,
    `DTSTAMP:${utc(now.toISOString())}`,
    `DTSTART:${utc(slot.startsAt)}`,
    `DTEND:${utc(slot.endsAt)}`,
    `SUMMARY:${text(slot.title)}`,
    `LOCATION:${text(slot.place)}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** The download link of a booking's `.ics`. */
export function bookingCalendarLink(slot: BookedSlot): HTMLAnchorElement {
  // A data: URL rather than a blob: URL: nothing to revoke, and it survives the page's next render.
  const href = `data:text/calendar;charset=utf-8,${encodeURIComponent(bookingIcs(slot))}`;
  return h(
    'a',
    { href, download: 'reservation.ics', class: 'ajout-agenda' },
    'Ajouter à mon agenda',
    h('span', { class: 'aide' }, ' (fichier iCalendar)'),
  );
}
