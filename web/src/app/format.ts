/** French wording of prices, dates, hours and opening states, in Paris time. */
import {
  daysBetween,
  NETWORK_TIME_ZONE as PARIS,
  parisDate,
  parisWallClock,
} from '../paris-time.js';

export function price(amountCents: number, currency = 'EUR'): string {
  return new Intl.NumberFormat('fr-FR', {
    style: 'currency',
    currency,
    minimumFractionDigits: amountCents % 100 === 0 ? 0 : 2,
  }).format(amountCents / 100);
}

/** `14h`, `14h30`. */
export function hour(instant: Date): string {
  const { hour: h, minute } = parisWallClock(instant);
  return minute === 0 ? `${h}h` : `${h}h${String(minute).padStart(2, '0')}`;
}

const weekdayFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, weekday: 'long' });
const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
});
const fullDateFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** French writes the first day of a month as an ordinal: `mardi 1er décembre`. */
function withOrdinal(format: Intl.DateTimeFormat, instant: Date): string {
  return format
    .formatToParts(instant)
    .map((part) => (part.type === 'day' && part.value === '1' ? '1er' : part.value))
    .join('');
}

/** `aujourd’hui`, `demain`, `jeudi` within the week, else `jeudi 3 décembre`. */
export function day(instant: Date, now = new Date()): string {
  const days = daysBetween(parisDate(now), parisDate(instant));
  if (days === 0) return 'aujourd’hui';
  if (days === 1) return 'demain';
  if (days > 1 && days < 7) return weekdayFormat.format(instant);
  return withOrdinal(dateFormat, instant);
}

/** `jeudi 26 novembre`. */
export function longDay(instant: Date): string {
  return withOrdinal(dateFormat, instant);
}

/** `26 novembre 2027`. */
export function fullDate(instant: Date): string {
  return withOrdinal(fullDateFormat, instant);
}

/** `jeudi 26 novembre, 14h30 – 15h30`. */
export function period(start: Date, end: Date): string {
  const sameDay = parisDate(start) === parisDate(end);
  return sameDay
    ? `${longDay(start)}, ${hour(start)} – ${hour(end)}`
    : `du ${longDay(start)} ${hour(start)} au ${longDay(end)} ${hour(end)}`;
}

export interface OpeningState {
  open: boolean;
  label: string;
}

/**
 * The badge of a space: `Ouvert maintenant · jusqu’à 17h`, `Ouvre jeudi à 14h`, or why no
 * opening is known.
 */
export function openingState(
  space: {
    status: string;
    openNow: boolean;
    openingHours?: string | null;
    nextOpenings: { opensAt: string; closesAt: string }[];
  },
  now = new Date(),
): OpeningState {
  if (space.status === 'PROJECT') return { open: false, label: 'En projet, pas encore ouvert' };
  if (space.status === 'ABANDONED') return { open: false, label: 'Projet abandonné' };
  if (space.status === 'CLOSED') return { open: false, label: 'Fermé définitivement' };
  const next = space.nextOpenings[0];
  if (space.openNow) {
    const closes = next && new Date(next.opensAt) <= now ? new Date(next.closesAt) : null;
    return {
      open: true,
      label: closes ? `Ouvert maintenant · jusqu’à ${hour(closes)}` : 'Ouvert maintenant',
    };
  }
  if (!space.openingHours) return { open: false, label: 'Horaires non communiqués' };
  if (!next) return { open: false, label: 'Fermé ces deux prochaines semaines' };
  const opens = new Date(next.opensAt);
  return { open: false, label: `Ouvre ${day(opens, now)} à ${hour(opens)}` };
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `La Serre et La Cantine`, `A, B et C`. */
export function listing(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`;
}
