import { parisDate, startOfParisDay } from '@tiers-lieux/schema';
import type { ResourceRow } from './db/schema.js';
import { openIntervals, type OpeningPeriod } from './hours.js';

/**
 * When a resource can be booked: inside its own bookable hours and its space's opening hours
 * (both OSM `opening_hours`, in Paris time, so a booking at 9:00 means 9:00 in Paris on either
 * side of a daylight-saving change), between its minimum and maximum duration, not in the past
 * and not further ahead than it allows.
 */
export type BookingRefusal =
  | 'INVALID_RANGE'
  | 'IN_THE_PAST'
  | 'TOO_FAR_AHEAD'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'OUTSIDE_BOOKABLE_HOURS';

export interface BookingRequest {
  startsAt: Date;
  endsAt: Date;
  now: Date;
}

type Rules = Pick<ResourceRow, 'bookableHours' | 'minMinutes' | 'maxMinutes' | 'maxDaysAhead'>;

/** The periods both hours allow, clipped to [from, to): the resource's hours within the space's. */
export function bookablePeriods(
  resource: Pick<ResourceRow, 'bookableHours'>,
  spaceHours: string | null,
  from: Date,
  to: Date,
): OpeningPeriod[] {
  const space = openIntervals(spaceHours, from, to);
  if (resource.bookableHours === null) return space;
  const own = openIntervals(resource.bookableHours, from, to);
  const both: OpeningPeriod[] = [];
  for (const a of own) {
    for (const b of space) {
      const opensAt = a.opensAt > b.opensAt ? a.opensAt : b.opensAt;
      const closesAt = a.closesAt < b.closesAt ? a.closesAt : b.closesAt;
      if (opensAt < closesAt) both.push({ opensAt, closesAt });
    }
  }
  return both.sort((x, y) => x.opensAt.getTime() - y.opensAt.getTime());
}

/** Why a resource cannot be booked for a range, or null when its rules allow it. */
export function refusalOf(
  resource: Rules,
  spaceHours: string | null,
  request: BookingRequest,
): BookingRefusal | null {
  const { startsAt, endsAt, now } = request;
  if (!(endsAt > startsAt)) return 'INVALID_RANGE';
  if (startsAt < now) return 'IN_THE_PAST';
  if (startsAt >= startOfParisDay(parisDate(now), resource.maxDaysAhead + 1))
    return 'TOO_FAR_AHEAD';
  const minutes = (endsAt.getTime() - startsAt.getTime()) / 60_000;
  if (minutes < resource.minMinutes) return 'TOO_SHORT';
  if (minutes > resource.maxMinutes) return 'TOO_LONG';
  const periods = bookablePeriods(resource, spaceHours, startsAt, endsAt);
  const whole = periods.some(
    (p) => p.opensAt.getTime() <= startsAt.getTime() && p.closesAt.getTime() >= endsAt.getTime(),
  );
  return whole ? null : 'OUTSIDE_BOOKABLE_HOURS';
}

/** The free periods of a resource on one Paris calendar day: bookable, and not booked. */
export function freePeriods(
  resource: Pick<ResourceRow, 'bookableHours'>,
  spaceHours: string | null,
  date: string,
  booked: readonly { startsAt: Date; endsAt: Date }[],
): OpeningPeriod[] {
  const free: OpeningPeriod[] = [];
  const taken = [...booked].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  for (const period of bookablePeriods(
    resource,
    spaceHours,
    startOfParisDay(date),
    startOfParisDay(date, 1),
  )) {
    let cursor = period.opensAt;
    for (const booking of taken) {
      if (booking.endsAt <= cursor || booking.startsAt >= period.closesAt) continue;
      if (booking.startsAt > cursor) free.push({ opensAt: cursor, closesAt: booking.startsAt });
      if (booking.endsAt > cursor) cursor = booking.endsAt;
    }
    if (cursor < period.closesAt) free.push({ opensAt: cursor, closesAt: period.closesAt });
  }
  return free;
}

/**
 * The price of a booking: the cheapest of the resource's hourly, half-day (4 hours) and day
 * prices it has, each started period counted whole; null when it has no price (free).
 */
export function bookingPriceCents(
  resource: Pick<ResourceRow, 'pricePerHourCents' | 'pricePerHalfDayCents' | 'pricePerDayCents'>,
  minutes: number,
): number | null {
  const options = [
    resource.pricePerHourCents === null
      ? null
      : Math.ceil(minutes / 60) * resource.pricePerHourCents,
    resource.pricePerHalfDayCents === null
      ? null
      : Math.ceil(minutes / 240) * resource.pricePerHalfDayCents,
    resource.pricePerDayCents === null
      ? null
      : Math.ceil(minutes / 600) * resource.pricePerDayCents,
  ].filter((price): price is number => price !== null);
  return options.length === 0 ? null : Math.min(...options);
}

/** The last instant a booking can be cancelled with its pass entries given back. */
export function freeCancellationUntil(
  resource: Pick<ResourceRow, 'freeCancellationHours'>,
  startsAt: Date,
): Date {
  return new Date(startsAt.getTime() - resource.freeCancellationHours * 3_600_000);
}

export const REFUSAL_MESSAGES: Record<BookingRefusal, (resource: Rules) => string> = {
  INVALID_RANGE: () => 'The booking must end after it starts',
  IN_THE_PAST: () => 'The booking starts in the past',
  TOO_FAR_AHEAD: (r) => `This resource is booked at most ${r.maxDaysAhead} days ahead`,
  TOO_SHORT: (r) => `This resource is booked for at least ${r.minMinutes} minutes`,
  TOO_LONG: (r) => `This resource is booked for at most ${r.maxMinutes} minutes`,
  OUTSIDE_BOOKABLE_HOURS: (r) =>
    `The range is outside the bookable hours${r.bookableHours ? ` (${r.bookableHours})` : ''} or the space's opening hours, Paris time`,
};
