import { instantFromParisWallClock, parisWallClock } from '@tiers-lieux/schema';
import OpeningHours from 'opening_hours';

/**
 * OpenStreetMap `opening_hours` evaluated in Europe/Paris. The library reads and builds
 * `Date`s with the process's local-time getters, so it is fed "wall-clock dates": local
 * `Date`s whose fields show Paris time, converted back to instants on the way out. This
 * keeps La Serre's hours right on a server that runs on UTC.
 */
export type HoursCheck = { ok: true; value: string } | { ok: false; message: string };

const FRANCE = { lat: 46.6, lon: 2.4, address: { country_code: 'fr', state: 'France' } };

export function checkOpeningHours(value: string): HoursCheck {
  const trimmed = value.trim();
  if (trimmed === '') return { ok: false, message: 'Opening hours must not be empty' };
  let parsed: OpeningHours;
  try {
    parsed = new OpeningHours(trimmed, FRANCE);
  } catch (error) {
    return { ok: false, message: String(error instanceof Error ? error.message : error) };
  }
  // The parser reads much that it warns about ("lundi 9h-18h" becomes Monday only, two rules
  // without ";" become one): a value it warns about is refused with its words, and the
  // canonical form it would have stored is offered instead.
  const warnings = parsed.getWarnings();
  const canonical = parsed.prettifyValue();
  if (warnings.length > 0)
    return {
      ok: false,
      message: `${warnings.join('; ')} (the value reads as "${canonical}")`,
    };
  // Stored in the library's canonical form, as OSM editors do.
  return { ok: true, value: canonical };
}

function parse(value: string): OpeningHours | null {
  try {
    return new OpeningHours(value, FRANCE);
  } catch {
    return null;
  }
}

function toWallDate(instant: Date): Date {
  const w = parisWallClock(instant);
  return new Date(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

function fromWallDate(wall: Date): Date {
  return instantFromParisWallClock({
    year: wall.getFullYear(),
    month: wall.getMonth() + 1,
    day: wall.getDate(),
    hour: wall.getHours(),
    minute: wall.getMinutes(),
    second: wall.getSeconds(),
  });
}

export function isOpenAt(openingHours: string | null, at: Date): boolean {
  const oh = openingHours ? parse(openingHours) : null;
  return oh ? oh.getState(toWallDate(at)) : false;
}

export interface OpeningPeriod {
  opensAt: Date;
  closesAt: Date;
}

/**
 * The next `count` open periods from `from`, within `horizonDays`. A period under way counts,
 * from when it opened (not from `from`): two reads a moment apart give the same periods.
 */
export function nextOpenings(
  openingHours: string | null,
  from: Date,
  count: number,
  horizonDays = 14,
): OpeningPeriod[] {
  const oh = openingHours ? parse(openingHours) : null;
  if (!oh) return [];
  const now = toWallDate(from);
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  const end = new Date(now.getTime() + horizonDays * 86_400_000);
  return oh
    .getOpenIntervals(start, end)
    .filter(([, closesAt]) => closesAt > now)
    .slice(0, count)
    .map(([opensAt, closesAt]) => ({
      opensAt: fromWallDate(opensAt),
      closesAt: fromWallDate(closesAt),
    }));
}

/** The open periods of `openingHours` between two instants, clipped to them. */
export function openIntervals(openingHours: string | null, from: Date, to: Date): OpeningPeriod[] {
  const oh = openingHours ? parse(openingHours) : null;
  if (!oh || to <= from) return [];
  return oh.getOpenIntervals(toWallDate(from), toWallDate(to)).map(([opensAt, closesAt]) => ({
    opensAt: fromWallDate(opensAt),
    closesAt: fromWallDate(closesAt),
  }));
}
