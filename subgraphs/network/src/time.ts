/**
 * The network's calendar is Europe/Paris: settlement periods, expiries and every instant shown
 * are in Paris time, across daylight-saving changes. (The space subgraph has the same helpers;
 * packages do not import each other.)
 */
const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function parisWallClock(instant: Date): WallClock {
  const all = parts.formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(all.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The Paris calendar date of an instant, `YYYY-MM-DD`. */
export function parisDate(instant: Date): string {
  const w = parisWallClock(instant);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** ISO 8601 with the Paris offset, to the second: `2026-11-26T14:00:00+01:00`. */
export function formatParisIso(instant: Date): string {
  const w = parisWallClock(instant);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const offset = Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * 00:00 in Paris on a calendar date plus `days` (midnight always exists in Paris: the
 * changes happen at 02:00 and 03:00).
 */
export function startOfParisDay(date: string, days = 0): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d + days));
  const midnightUtc = day.getTime();
  // Paris is one or two hours ahead of UTC: midnight there is 22:00 or 23:00 UTC the day before.
  for (const hours of [1, 2]) {
    const candidate = new Date(midnightUtc - hours * 3_600_000);
    const w = parisWallClock(candidate);
    if (w.hour === 0 && w.minute === 0 && w.day === day.getUTCDate()) return candidate;
  }
  throw new Error(`no Paris midnight on ${date}`);
}

/** Whole days from one calendar date to another (negative when `to` is before `from`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
