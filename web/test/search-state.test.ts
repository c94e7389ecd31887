import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Amenity, EventKind, SpaceKind } from '../src/__generated__/graphql.js';
import { AMENITIES, EVENT_KINDS, SPACE_KINDS } from '../src/labels.js';
import { nextParisWeekdayAt } from '../src/paris-time.js';
import {
  calendarFilter,
  calendarSearchParams,
  chosenInstant,
  DEFAULT_SEARCH,
  HALF_HOURS,
  parseCalendarSearch,
  parseSearch,
  RADII_KM,
  toFilter,
  toOrder,
  toSearchParams,
  WEEKDAYS,
  type DirectorySearch,
  type SearchSurroundings,
} from '../src/app/search-state.js';

const search = (query: string) => parseSearch(new URLSearchParams(query));
const roundTrip = (query: string) => toSearchParams(search(query)).toString();

/** Monday 23 November 2026, 09:00 in Paris. */
const MONDAY_MORNING = new Date('2026-11-23T08:00:00Z');
const GAP = { key: '05061', lat: 44.5594, lon: 6.0786 };
const around: SearchSurroundings = { now: MONDAY_MORNING, position: null, communes: [GAP] };
const filterOf = (changes: Partial<DirectorySearch>, surroundings = around) =>
  toFilter({ ...DEFAULT_SEARCH, ...changes }, surroundings);

describe('the directory search in the URL', () => {
  it('reads no query as no filter, with Thursday 15:00 and 50 km ready', () => {
    expect(search('')).toEqual(DEFAULT_SEARCH);
    expect(DEFAULT_SEARCH).toMatchObject({ weekday: 4, time: '15:00', radiusKm: 50 });
    expect(toSearchParams(DEFAULT_SEARCH).toString()).toBe('');
  });

  it('reads every control from the URL', () => {
    expect(
      search(
        'q=tuves&departement=05&type=COWORKING&equipements=WIFI,KITCHEN&ouvert=le&jour=0&heure=08:30&fermes=1&pres=05061&rayon=25',
      ),
    ).toEqual({
      text: 'tuves',
      department: '05',
      kind: 'COWORKING',
      amenities: ['WIFI', 'KITCHEN'],
      opening: 'at',
      closedToo: true,
      weekday: 0,
      time: '08:30',
      near: { commune: '05061' },
      radiusKm: 25,
    });
    expect(search('ouvert=maintenant').opening).toBe('now');
  });

  it('gives back the URL it read, for every shape the page writes', () => {
    for (const query of [
      'q=tuves',
      'q=la+serre&departement=05',
      'type=FAB_LAB&equipements=WIFI%2CFIBRE%2CLOCKERS',
      'ouvert=maintenant',
      'ouvert=le&jour=4&heure=15%3A00',
      'ouvert=le&jour=0&heure=23%3A30',
      'pres=Gap%7C05&rayon=200',
      'q=gap&departement=05&type=TELECENTRE&equipements=MEETING_ROOM&ouvert=le&jour=6&heure=09%3A00&pres=Gap%7C05&rayon=10',
    ]) {
      expect(roundTrip(query), query).toBe(query);
    }
  });

  it('writes the text trimmed, and nothing for a blank one', () => {
    expect(search('q=%20%20tuves%20').text).toBe('  tuves ');
    expect(roundTrip('q=%20%20tuves%20')).toBe('q=tuves');
    expect(roundTrip('q=%20%20')).toBe('');
  });

  it('writes the day and time only for "open on", the radius only around a commune', () => {
    expect(roundTrip('jour=2&heure=10%3A00&rayon=100')).toBe('');
    expect(roundTrip('ouvert=maintenant&jour=2&heure=10%3A00')).toBe('ouvert=maintenant');
    expect(search('jour=2&heure=10:00&rayon=100')).toMatchObject({
      weekday: 2,
      time: '10:00',
      radiusKm: 100,
    });
  });

  it('ignores values the page does not offer, as if they were absent', () => {
    expect(search('type=CASTLE').kind).toBeNull();
    expect(search('type=toString').kind).toBeNull();
    expect(search('type=coworking').kind).toBeNull();
    expect(search('ouvert=demain').opening).toBe('any');
    for (const jour of ['7', '-1', 'lundi', '4.0', ''])
      expect(search(`jour=${jour}`).weekday, jour).toBe(4);
    for (const heure of ['15:15', '25:00', '15h', '9:00', ''])
      expect(search(`heure=${heure}`).time, heure).toBe('15:00');
    for (const rayon of ['30', '0', '-50', 'loin', ''])
      expect(search(`rayon=${rayon}`).radiusKm, rayon).toBe(50);
    expect(search('departement=').department).toBeNull();
    expect(search('pres=').near).toBeNull();
    // A position is the visitor's own: a URL cannot hold one.
    expect(search('pres=position&rayon=10').near).toBeNull();
  });

  it('keeps the known amenities once each, in the order of the list', () => {
    expect(search('equipements=KITCHEN,POOL,WIFI,KITCHEN,,wifi').amenities).toEqual([
      'WIFI',
      'KITCHEN',
    ]);
    expect(roundTrip('equipements=POOL')).toBe('');
  });

  const amenityKeys = Object.keys(AMENITIES) as Amenity[];
  const valid: fc.Arbitrary<DirectorySearch> = fc.record({
    text: fc.string().map((s) => s.trim()),
    department: fc.option(fc.constantFrom('05', '26', '2A', '971'), { nil: null }),
    kind: fc.option(fc.constantFrom(...(Object.keys(SPACE_KINDS) as SpaceKind[])), { nil: null }),
    amenities: fc.subarray(amenityKeys),
    opening: fc.constantFrom('any' as const, 'now' as const, 'at' as const),
    closedToo: fc.boolean(),
    weekday: fc.constantFrom(...WEEKDAYS.map(([v]) => Number(v))),
    time: fc.constantFrom(...HALF_HOURS.map(([v]) => v)),
    near: fc.option(
      fc
        .string({ minLength: 1 })
        .filter((k) => k !== 'position')
        .map((commune) => ({ commune })),
      { nil: null },
    ),
    radiusKm: fc.constantFrom(...RADII_KM),
  });

  it('reads back any search it wrote, but for the day, time and radius no filter uses', () => {
    fc.assert(
      fc.property(valid, (written) => {
        const read = parseSearch(toSearchParams(written));
        expect(read).toEqual({
          ...written,
          ...(written.opening === 'at'
            ? {}
            : { weekday: DEFAULT_SEARCH.weekday, time: DEFAULT_SEARCH.time, closedToo: false }),
          ...(written.near ? {} : { radiusKm: DEFAULT_SEARCH.radiusKm }),
        });
      }),
    );
  });

  it('writes the same URL again from any URL it read, whatever the URL held', () => {
    const keys = [
      'q',
      'departement',
      'type',
      'equipements',
      'ouvert',
      'jour',
      'heure',
      'pres',
      'rayon',
    ];
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom('COWORKING', 'WIFI,FIBRE', 'le', 'maintenant', '4', '15:00', 'position'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...keys), value)), (pairs) => {
        const once = toSearchParams(parseSearch(new URLSearchParams(pairs)));
        expect(toSearchParams(parseSearch(once)).toString()).toBe(once.toString());
      }),
    );
  });
});

describe('the directory search as the API filter', () => {
  it('asks for open spaces and projects when nothing is chosen', () => {
    expect(filterOf({})).toEqual({ statuses: ['OPEN', 'PROJECT'] });
    expect(filterOf({ text: '   ' })).toEqual({ statuses: ['OPEN', 'PROJECT'] });
  });

  it('sends each chosen control as its criterion', () => {
    expect(filterOf({ text: ' tuves  ' }).text).toBe('tuves');
    expect(filterOf({ department: '05' }).departments).toEqual(['05']);
    expect(filterOf({ kind: 'FAB_LAB' }).kinds).toEqual(['FAB_LAB']);
    expect(filterOf({ amenities: ['WIFI', 'KITCHEN'] }).amenities).toEqual(['WIFI', 'KITCHEN']);
  });

  it('asks for spaces open now, or open on the next chosen weekday and time in Paris', () => {
    expect(filterOf({ opening: 'now' }).openAt).toBe('2026-11-23T09:00:00+01:00');
    expect(filterOf({ opening: 'at', weekday: 4, time: '15:00' }).openAt).toBe(
      '2026-11-26T15:00:00+01:00',
    );
    expect(filterOf({ opening: 'at', weekday: 1, time: '08:30' }).openAt).toBe(
      '2026-11-30T08:30:00+01:00',
    );
    expect(filterOf({ opening: 'at', weekday: 1, time: '21:30' }).openAt).toBe(
      '2026-11-23T21:30:00+01:00',
    );
    expect(filterOf({ opening: 'any', weekday: 1, time: '21:30' }).openAt).toBeUndefined();
  });

  it('searches around a known commune or the given position, with the chosen radius', () => {
    expect(filterOf({ near: { commune: '05061' }, radiusKm: 25 }).near).toEqual({
      lat: GAP.lat,
      lon: GAP.lon,
      radiusKm: 25,
    });
    expect(filterOf({ near: { commune: 'Atlantis|00' } }).near).toBeUndefined();
    expect(filterOf({ near: 'position' }).near).toBeUndefined();
    expect(
      filterOf({ near: 'position', radiusKm: 10 }, { ...around, position: { lat: 45, lon: 5 } })
        .near,
    ).toEqual({ lat: 45, lon: 5, radiusKm: 10 });
    expect(filterOf({ radiusKm: 10 }).near).toBeUndefined();
  });
});

describe('the calendar search', () => {
  it('reads and writes the kind and the department, ignoring unknown kinds', () => {
    expect(parseCalendarSearch(new URLSearchParams(''))).toEqual({ kind: null, department: null });
    const read = parseCalendarSearch(new URLSearchParams('type=WORKSHOP&departement=26'));
    expect(read).toEqual({ kind: 'WORKSHOP', department: '26' });
    expect(calendarSearchParams(read).toString()).toBe('type=WORKSHOP&departement=26');
    expect(parseCalendarSearch(new URLSearchParams('type=PARTY')).kind).toBeNull();
    for (const kind of Object.keys(EVENT_KINDS) as EventKind[])
      expect(parseCalendarSearch(calendarSearchParams({ kind, department: null })).kind).toBe(kind);
  });

  it('asks for the coming eight weeks, of the chosen kind and department', () => {
    expect(calendarFilter({ kind: null, department: null }, MONDAY_MORNING)).toEqual({
      from: '2026-11-23T09:00:00+01:00',
      to: '2027-01-18T09:00:00+01:00',
    });
    expect(calendarFilter({ kind: 'TALK', department: '05' }, MONDAY_MORNING)).toMatchObject({
      kinds: ['TALK'],
      departments: ['05'],
    });
  });

  it('lists the spaces closed at the chosen time too when asked, and orders by distance around a place', () => {
    const thursday = parseSearch(new URLSearchParams('ouvert=le&jour=4&heure=15:00&fermes=1'));
    expect(thursday.closedToo).toBe(true);
    expect(toFilter(thursday, around).openAt).toBeUndefined();
    expect(chosenInstant(thursday, around.now)).toEqual(nextParisWeekdayAt(around.now, 4, 15, 0));
    expect(toFilter({ ...thursday, closedToo: false }, around).openAt).toBeDefined();
    expect(chosenInstant({ ...thursday, opening: 'now' }, around.now)).toBeNull();
    expect(parseSearch(new URLSearchParams('fermes=1')).closedToo).toBe(false);
    expect(toOrder({ ...DEFAULT_SEARCH, near: { commune: GAP.key } }, around)).toBe('DISTANCE');
    expect(toOrder({ ...DEFAULT_SEARCH, near: { commune: '99999' } }, around)).toBe('NAME');
    expect(toOrder(DEFAULT_SEARCH, around)).toBe('NAME');
  });
});
