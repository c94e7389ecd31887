import { instantFromParisWallClock, parisWallClock } from '@tiers-lieux/schema';
import rrule from 'rrule';

const { RRule } = rrule;

/**
 * RFC 5545 recurrence rules evaluated in Europe/Paris wall-clock time: La Serre's Thursday
 * meeting stays at 14:00 across the daylight-saving change. The `rrule` library computes in
 * "floating" UTC dates, so the first start is given as a UTC date whose fields show Paris time,
 * and each occurrence is turned back into an instant.
 */
export const MAX_OCCURRENCES = 100;
const MAX_SPAN_MS = 2 * 366 * 86_400_000;

export type Recurrence = { ok: true; starts: Date[] } | { ok: false; message: string };

export function occurrencesOf(rule: string, firstStartsAt: Date): Recurrence {
  const text = rule.trim().replace(/^RRULE:/i, '');
  if (text === '' || /DTSTART|\n/i.test(text))
    return { ok: false, message: 'the rule is one RRULE line without DTSTART' };
  let options;
  try {
    options = RRule.parseString(text);
  } catch (error) {
    return { ok: false, message: `the rule cannot be read: ${(error as Error).message}` };
  }
  if (options.freq === undefined) return { ok: false, message: 'the rule has no FREQ' };
  if (!options.count && !options.until)
    return { ok: false, message: 'the rule must end, with COUNT or UNTIL' };
  const w = parisWallClock(firstStartsAt);
  const dtstart = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, 0));
  const floating = new RRule({ ...options, dtstart }).all((_date, i) => i <= MAX_OCCURRENCES);
  if (floating.length === 0) return { ok: false, message: 'the rule makes no occurrence' };
  if (floating.length > MAX_OCCURRENCES)
    return { ok: false, message: `the rule makes more than ${MAX_OCCURRENCES} occurrences` };
  const starts = floating.map((d) =>
    instantFromParisWallClock({
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: 0,
    }),
  );
  if (starts[starts.length - 1]!.getTime() - starts[0]!.getTime() > MAX_SPAN_MS)
    return { ok: false, message: 'the occurrences span more than two years' };
  return { ok: true, starts };
}

/** The same day in Paris at another wall-clock time. */
export function atParisTime(instant: Date, hour: number, minute: number): Date {
  const w = parisWallClock(instant);
  return instantFromParisWallClock({ ...w, hour, minute, second: 0 });
}
