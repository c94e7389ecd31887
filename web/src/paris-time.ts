/**
 * Paris wall-clock time for the web page, which the browser computes whatever its own time
 * zone: the network's helpers (`@tiers-lieux/schema/paris-time`, free of Node APIs, bundled as is) and
 * the next occurrence of a weekday and time, for "open Thursday at 15:00".
 */
import { instantFromParisWallClock, parisWallClock } from '@tiers-lieux/schema/paris-time';

export {
  daysBetween,
  formatParisIso,
  NETWORK_TIME_ZONE,
  parisDate,
  parisWallClock,
} from '@tiers-lieux/schema/paris-time';

/** The first instant at or after `from` that falls on `weekday` (0 Sunday) at hour:minute, Paris time. */
export function nextParisWeekdayAt(
  from: Date,
  weekday: number,
  hour: number,
  minute: number,
): Date {
  const today = parisWallClock(from);
  for (let days = 0; days <= 7; days++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    if (day.getUTCDay() !== weekday) continue;
    const candidate = instantFromParisWallClock({
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      hour,
      minute,
      second: 0,
    });
    if (candidate.getTime() >= from.getTime()) return candidate;
  }
  throw new RangeError(`weekday ${weekday} is not 0 (Sunday) to 6`);
}
