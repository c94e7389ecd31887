/**
 * What a visitor searches for on the directory and on the calendar: read from the page's URL,
 * written back to it, and turned into the API's filter. Pure (no DOM, no clock): the pages only
 * read their controls into a search and render a search into their controls.
 */
import type {
  Amenity,
  EventFilter,
  EventKind,
  SpaceFilter,
  SpaceOrder,
  SpaceKind,
} from '../__generated__/graphql.js';
import { AMENITIES, EVENT_KINDS, SPACE_KINDS } from '../labels.js';
import { formatParisIso, nextParisWeekdayAt } from '../paris-time.js';

/** The weekdays of "open on", Monday first, as the select offers them (0 is Sunday). */
export const WEEKDAYS: [value: string, label: string][] = [
  ['1', 'lundi'],
  ['2', 'mardi'],
  ['3', 'mercredi'],
  ['4', 'jeudi'],
  ['5', 'vendredi'],
  ['6', 'samedi'],
  ['0', 'dimanche'],
];
/** `15:00` → `15h`: a list rather than a time field, whose display follows the browser's locale. */
export const HALF_HOURS: [value: string, label: string][] = Array.from({ length: 48 }, (_, i) => {
  const [hours, minutes] = [Math.floor(i / 2), i % 2 === 0 ? '00' : '30'];
  return [
    `${String(hours).padStart(2, '0')}:${minutes}`,
    `${hours}h${minutes === '00' ? '' : minutes}`,
  ];
});
export const RADII_KM = [10, 25, 50, 100, 200];

/** Any time, open now, or open on the chosen weekday and time. */
export type Opening = 'any' | 'now' | 'at';
/** Anywhere, around the visitor's position, or around a commune of France (its INSEE code). */
export type Near = null | 'position' | { commune: string };

export interface DirectorySearch {
  /** As typed; trimmed when used. */
  text: string;
  /** A department code; null for all. */
  department: string | null;
  kind: SpaceKind | null;
  /** In the order of `AMENITIES`, each once. */
  amenities: Amenity[];
  opening: Opening;
  /** With `opening: 'at'`: list the spaces closed then too, each card saying which. */
  closedToo: boolean;
  /** 0 (Sunday) to 6: the day of `opening: 'at'`. */
  weekday: number;
  /** `HH:MM` on the hour or half hour: the time of `opening: 'at'`. */
  time: string;
  near: Near;
  /** One of `RADII_KM`: the radius of `near`. */
  radiusKm: number;
}

export const DEFAULT_SEARCH: Readonly<DirectorySearch> = {
  text: '',
  department: null,
  kind: null,
  amenities: [],
  opening: 'any',
  closedToo: false,
  weekday: 4,
  time: '15:00',
  near: null,
  radiusKm: 50,
};

/** Where `near` and "now" are, for the filter: the page knows them, the URL does not. */
export interface SearchSurroundings {
  now: Date;
  /** The visitor's position, once the browser gave it. */
  position: { lat: number; lon: number } | null;
  communes: readonly { key: string; lat: number; lon: number }[];
}

/** The key of the enum `labels` that `value` names, or null. */
function enumValue<T extends string>(labels: Record<T, string>, value: string | null): T | null {
  return value !== null && Object.keys(labels).includes(value) ? (value as T) : null;
}

function choice(choices: [string, string][], value: string | null): string | null {
  return choices.some(([v]) => v === value) ? value : null;
}

const OPENING_IN_URL: Record<string, Opening> = { maintenant: 'now', le: 'at' };

/** The search a URL holds; values the page does not offer are ignored, as if absent. */
export function parseSearch(params: URLSearchParams): DirectorySearch {
  const asked = new Set((params.get('equipements') ?? '').split(','));
  const radius = Number(params.get('rayon'));
  const near = params.get('pres');
  return {
    text: params.get('q') ?? '',
    department: params.get('departement') || null,
    kind: enumValue(SPACE_KINDS, params.get('type')),
    amenities: (Object.keys(AMENITIES) as Amenity[]).filter((a) => asked.has(a)),
    opening: OPENING_IN_URL[params.get('ouvert') ?? ''] ?? DEFAULT_SEARCH.opening,
    closedToo: params.get('ouvert') === 'le' && params.get('fermes') === '1',
    weekday: Number(choice(WEEKDAYS, params.get('jour')) ?? DEFAULT_SEARCH.weekday),
    time: choice(HALF_HOURS, params.get('heure')) ?? DEFAULT_SEARCH.time,
    // A position is the visitor's own and never in a URL.
    near: near && near !== 'position' ? { commune: near } : null,
    radiusKm: RADII_KM.includes(radius) ? radius : DEFAULT_SEARCH.radiusKm,
  };
}

/** The URL's query for a search: only what differs from no filter, in a fixed order. */
export function toSearchParams(search: DirectorySearch): URLSearchParams {
  const params = new URLSearchParams();
  const text = search.text.trim();
  if (text) params.set('q', text);
  if (search.department) params.set('departement', search.department);
  if (search.kind) params.set('type', search.kind);
  if (search.amenities.length) params.set('equipements', search.amenities.join(','));
  if (search.opening === 'now') params.set('ouvert', 'maintenant');
  if (search.opening === 'at') {
    params.set('ouvert', 'le');
    params.set('jour', String(search.weekday));
    params.set('heure', search.time);
    if (search.closedToo) params.set('fermes', '1');
  }
  if (search.near !== null && search.near !== 'position') {
    params.set('pres', search.near.commune);
    params.set('rayon', String(search.radiusKm));
  }
  return params;
}

/** The directory's filter: open spaces and projects, narrowed by every chosen criterion. */
export function toFilter(search: DirectorySearch, around: SearchSurroundings): SpaceFilter {
  const filter: SpaceFilter = { statuses: ['OPEN', 'PROJECT'] };
  const text = search.text.trim();
  if (text) filter.text = text;
  if (search.department) filter.departments = [search.department];
  if (search.kind) filter.kinds = [search.kind];
  if (search.amenities.length > 0) filter.amenities = [...search.amenities];
  if (search.opening === 'now') filter.openAt = formatParisIso(around.now);
  const at = chosenInstant(search, around.now);
  if (at && !search.closedToo) filter.openAt = formatParisIso(at);
  const centre = nearCentre(search, around);
  if (centre) filter.near = { lat: centre.lat, lon: centre.lon, radiusKm: search.radiusKm };
  return filter;
}

function nearCentre(search: DirectorySearch, around: SearchSurroundings) {
  const { near } = search;
  return near === 'position'
    ? around.position
    : (near && around.communes.find((c) => c.key === near.commune)) || null;
}

/** Nearest first around a place, else by name. */
export function toOrder(search: DirectorySearch, around: SearchSurroundings): SpaceOrder {
  return nearCentre(search, around) ? 'DISTANCE' : 'NAME';
}

/** The next instant of the chosen weekday and time, for `opening: 'at'`; null otherwise. */
export function chosenInstant(search: DirectorySearch, now: Date): Date | null {
  if (search.opening !== 'at') return null;
  const [hour, minute] = search.time.split(':').map(Number) as [number, number];
  return nextParisWeekdayAt(now, search.weekday, hour, minute);
}

/** What the calendar shows: events of one kind, in one department; null for all. */
export interface CalendarSearch {
  kind: EventKind | null;
  department: string | null;
}

/** How far ahead the calendar looks. */
export const CALENDAR_WEEKS = 8;

export function parseCalendarSearch(params: URLSearchParams): CalendarSearch {
  return {
    kind: enumValue(EVENT_KINDS, params.get('type')),
    department: params.get('departement') || null,
  };
}

export function calendarSearchParams(search: CalendarSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.kind) params.set('type', search.kind);
  if (search.department) params.set('departement', search.department);
  return params;
}

/** The calendar's filter: the coming `CALENDAR_WEEKS` weeks from `now`. */
export function calendarFilter(search: CalendarSearch, now: Date): EventFilter {
  const filter: EventFilter = {
    from: formatParisIso(now),
    to: formatParisIso(new Date(now.getTime() + CALENDAR_WEEKS * 7 * 86_400_000)),
  };
  if (search.kind) filter.kinds = [search.kind];
  if (search.department) filter.departments = [search.department];
  return filter;
}
