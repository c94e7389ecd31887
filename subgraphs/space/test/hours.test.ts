import { describe, expect, it } from 'vitest';
import { checkOpeningHours, isOpenAt, nextOpenings } from '../src/hours.js';
import { formatParisIso, instantFromParisWallClock } from '@tiers-lieux/schema';

const SERRES = 'Mo,Tu 09:00-17:00; Th 14:00-17:00';

describe('opening hours in Europe/Paris', () => {
  it('evaluates La Serre (Serres) in Paris time whatever the process time zone', () => {
    // Thursday 26 November 2026, winter time (UTC+1): 14:30 in Paris is 13:30 UTC.
    expect(isOpenAt(SERRES, new Date('2026-11-26T13:30:00Z'))).toBe(true);
    expect(isOpenAt(SERRES, new Date('2026-11-26T12:30:00Z'))).toBe(false);
    expect(isOpenAt(SERRES, new Date('2026-11-26T16:30:00Z'))).toBe(false);
    // Monday 15 June 2026, summer time (UTC+2): 08:30 UTC is 10:30 in Paris, 15:30 UTC is 17:30.
    expect(isOpenAt(SERRES, new Date('2026-06-15T07:30:00Z'))).toBe(true);
    expect(isOpenAt(SERRES, new Date('2026-06-15T06:30:00Z'))).toBe(false);
    expect(isOpenAt(SERRES, new Date('2026-06-15T15:30:00Z'))).toBe(false);
  });

  it('lists the next openings across the spring change of 2027 (28 March)', () => {
    // From Friday 26 March 2027: Monday 29 March is the first day of summer time.
    const periods = nextOpenings(SERRES, new Date('2027-03-26T10:00:00Z'), 3).map((p) => [
      formatParisIso(p.opensAt),
      formatParisIso(p.closesAt),
    ]);
    expect(periods).toEqual([
      ['2027-03-29T09:00:00+02:00', '2027-03-29T17:00:00+02:00'],
      ['2027-03-30T09:00:00+02:00', '2027-03-30T17:00:00+02:00'],
      ['2027-04-01T14:00:00+02:00', '2027-04-01T17:00:00+02:00'],
    ]);
  });

  it('lists the next openings across the autumn change of 2026 (25 October)', () => {
    const periods = nextOpenings(SERRES, new Date('2026-10-22T20:00:00Z'), 2).map((p) => [
      formatParisIso(p.opensAt),
      formatParisIso(p.closesAt),
    ]);
    expect(periods).toEqual([
      ['2026-10-26T09:00:00+01:00', '2026-10-26T17:00:00+01:00'],
      ['2026-10-27T09:00:00+01:00', '2026-10-27T17:00:00+01:00'],
    ]);
  });

  it('gives a period under way from when it opened, the same at every moment of it', () => {
    const [first] = nextOpenings(SERRES, new Date('2026-11-26T14:00:00Z'), 1);
    const [later] = nextOpenings(SERRES, new Date('2026-11-26T15:59:00Z'), 1);
    expect(later).toEqual(first);
    expect(first && formatParisIso(first.opensAt)).toBe('2026-11-26T14:00:00+01:00');
    expect(first && formatParisIso(first.closesAt)).toBe('2026-11-26T17:00:00+01:00');
  });

  it('rejects malformed hours with the parser message', () => {
    expect(checkOpeningHours(SERRES)).toEqual({ ok: true, value: SERRES });
    expect(checkOpeningHours('Mo-Fr 9:00-18:00;Sa 10:00-12:00')).toEqual({
      ok: true,
      value: 'Mo-Fr 09:00-18:00; Sa 10:00-12:00',
    });
    const bad = checkOpeningHours('Mo-Fr 25:00-26:00');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message.length).toBeGreaterThan(10);
    expect(checkOpeningHours('lundi matin').ok).toBe(false);
  });

  it('refuses what the parser warns about, with its warnings and what the value would read as', () => {
    const french = checkOpeningHours('lundi 9h-18h');
    expect(french.ok).toBe(false);
    expect(!french.ok && french.message).toContain('(the value reads as "Mo 09:00-18:00")');
    expect(!french.ok && french.message).toMatch(/"Mo" for "lundi"/);
    const hours = checkOpeningHours('Mo-Fr 9h-18h');
    expect(!hours.ok && hours.message).toContain('reads as "Mo-Fr 09:00-18:00"');
    expect(checkOpeningHours('Mo 09:00-18:00 Tu 10:00-12:00').ok).toBe(false);
  });

  it('maps Paris wall-clock times to instants around the changes', () => {
    const at = (day: number, month: number, hour: number, minute = 0) =>
      instantFromParisWallClock({ year: 2026, month, day, hour, minute, second: 0 }).toISOString();
    expect(at(29, 3, 1, 30)).toBe('2026-03-29T00:30:00.000Z');
    // 02:30 does not exist on 29 March 2026: it resolves one hour later, at 03:30 summer time.
    expect(at(29, 3, 2, 30)).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 25 October 2026: the first pass, in summer time.
    expect(at(25, 10, 2, 30)).toBe('2026-10-25T00:30:00.000Z');
    expect(at(25, 10, 3, 30)).toBe('2026-10-25T02:30:00.000Z');
  });
});
