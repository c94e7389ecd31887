import { readFile } from 'node:fs/promises';
import type { Viewer } from '@tiers-lieux/schema';
import { testEngines } from '@tiers-lieux/schema/testkit';
import { rowsOf } from '@tiers-lieux/subgraph-shell';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, members, visits } from '../src/db/schema.js';
import { createHarness, viewers, type Harness } from './harness.js';

const PERIOD = { from: '2026-01-01', to: '2026-10-31' };

const VISITS = /* GraphQL */ `
  query ($from: Date!, $to: Date!, $first: Int) {
    visitsByWeek(from: $from, to: $to, first: $first) {
      space {
        id
      }
      week
      visits
    }
  }
`;
const OCCUPANCY = /* GraphQL */ `
  query ($from: Date!, $to: Date!) {
    occupancyByHour(from: $from, to: $to) {
      weekday
      hour
      visitorHours
    }
  }
`;
const ATTENDANCE = /* GraphQL */ `
  query ($from: Date!, $to: Date!, $first: Int) {
    eventAttendance(from: $from, to: $to, first: $first) {
      event {
        id
      }
      capacity
      confirmed
      waiting
    }
  }
`;
const OPT_INS = /* GraphQL */ `
  query ($from: Date!, $to: Date!) {
    directoryOptIns(from: $from, to: $to) {
      month
      members
    }
  }
`;
const FIGURES = {
  visitsByWeek: VISITS,
  occupancyByHour: OCCUPANCY,
  eventAttendance: ATTENDANCE,
  directoryOptIns: OPT_INS,
};

/** Visits as [space, checked in, checked out or null for an open one], in UTC. */
type Seeded = ['A' | 'B', string, string | null];
const SEEDED_VISITS: Seeded[] = [
  // Monday 5 January 09:00–11:30 in Paris (CET).
  ['A', '2026-01-05T08:00:00Z', '2026-01-05T10:30:00Z'],
  // Monday 5 January 00:30–01:10 in Paris: still Sunday in UTC.
  ['A', '2026-01-04T23:30:00Z', '2026-01-05T00:10:00Z'],
  // Sunday 4 January 23:30–23:45 in Paris: the week before.
  ['B', '2026-01-04T22:30:00Z', '2026-01-04T22:45:00Z'],
  // Thursday 1 January 00:30 in Paris: the first day of the period (31 December in UTC).
  ['A', '2025-12-31T23:30:00Z', '2025-12-31T23:50:00Z'],
  // Wednesday 31 December 23:30 in Paris: before the period.
  ['A', '2025-12-31T22:30:00Z', '2025-12-31T22:50:00Z'],
  // Two days from Monday 2 February 09:00: counted over 24 hours at most.
  ['B', '2026-02-02T08:00:00Z', '2026-02-04T08:00:00Z'],
  // The night clocks go forward (Sunday 29 March): 01:30 CET to 03:30 CEST, one hour.
  ['A', '2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z'],
  // The night clocks go back (Sunday 25 October): 02:30 CEST to 02:30 CET, one hour... twice.
  ['B', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z'],
  // Saturday 31 October 23:30 in Paris: the last day of the period.
  ['B', '2026-10-31T22:30:00Z', '2026-10-31T22:40:00Z'],
  // Sunday 1 November 00:30 in Paris: after the period.
  ['B', '2026-10-31T23:30:00Z', '2026-10-31T23:40:00Z'],
  // Monday 30 March 00:30 CEST (Sunday 29 in UTC), still open: its first hour only.
  ['A', '2026-03-29T22:30:00Z', null],
];

const cells = (entries: [number, number, number][]) =>
  entries.map(([weekday, hour, visitorHours]) => ({ weekday, hour, visitorHours }));

describe.each(testEngines())('the partner figures on %s', (engine) => {
  let h: Harness;
  let spaceA: string;
  let spaceB: string;
  const eventIds: Record<string, string> = {};

  const figures = async (
    field: keyof typeof FIGURES,
    viewer: Viewer = viewers.coordinator,
    variables: Record<string, unknown> = PERIOD,
  ) => {
    const result = await h.execute(FIGURES[field], variables, { viewer });
    return {
      data: result.data?.[field] as Record<string, unknown>[] | null,
      errors: result.errors,
    };
  };

  beforeAll(async () => {
    h = await createHarness({ engine, partner: 'baronnies' });
    const [a, b] = await h.seed.spaces([{ name: 'Espace A' }, { name: 'Espace B' }]);
    spaceA = a!.id;
    spaceB = b!.id;
    const visitor = await h.seed.member();
    for (const [space, inAt, outAt] of SEEDED_VISITS) {
      await h.db.insert(visits).values({
        kind: 'MEMBER',
        memberId: visitor.id,
        spaceId: space === 'A' ? spaceA : spaceB,
        checkedInAt: new Date(inAt),
        checkedOutAt: outAt ? new Date(outAt) : null,
      });
    }

    const registrants = [];
    for (let i = 0; i < 3; i++) registrants.push(await h.seed.member());
    const before = new Date('2025-12-01T00:00:00Z');
    const event = async (name: string, startsAt: string, capacity: number | null) => {
      const row = await h.seed.event(spaceA, { startsAt: new Date(startsAt), capacity });
      eventIds[name] = row.publicId;
      return row;
    };
    const full = await event('full', '2026-03-10T17:00:00Z', 2);
    for (const m of registrants) await h.seed.registration(full.id, m.id, before);
    const open = await event('unlimited', '2026-04-10T16:00:00Z', null);
    for (const m of registrants.slice(0, 2)) await h.seed.registration(open.id, m.id, before);
    // Thursday 1 January 00:30 in Paris: in the period, with no one registered.
    await event('empty', '2025-12-31T23:30:00Z', 5);
    const cancelled = await h.seed.event(spaceB, { startsAt: new Date('2026-05-05T08:00:00Z') });
    await h.seed.registration(cancelled.id, registrants[0]!.id, before);
    await h.db.update(events).set({ status: 'CANCELLED' }).where(eq(events.id, cancelled.id));
    // Sunday 1 November 09:00 in Paris: after the period.
    await h.seed.event(spaceB, { startsAt: new Date('2026-11-01T08:00:00Z') });

    // Opt-ins dated as they happened; members out of the directory have no date.
    const optedIn = async (at: string | null) => {
      const m = await h.seed.member({ isInDirectory: at !== null });
      await h.db
        .update(members)
        .set({ directoryOptInAt: at ? new Date(at) : null })
        .where(eq(members.id, m.id));
    };
    await optedIn('2026-01-31T23:30:00Z'); // 1 February 00:30 in Paris
    await optedIn('2026-02-15T10:00:00Z');
    await optedIn('2026-03-31T22:30:00Z'); // 1 April 00:30 CEST
    await optedIn('2025-12-15T10:00:00Z'); // before the period
    await optedIn(null);
  });
  afterAll(() => h?.close());

  it('counts visits by space and Paris week (Monday), the DST weeks included', async () => {
    const { data, errors } = await figures('visitsByWeek');
    expect(errors).toBeUndefined();
    const id = (space: string) => h.seed.id('space', space);
    const expected = [
      { week: '2025-12-29', space: spaceA, visits: 1 },
      { week: '2025-12-29', space: spaceB, visits: 1 },
      { week: '2026-01-05', space: spaceA, visits: 2 },
      { week: '2026-02-02', space: spaceB, visits: 1 },
      { week: '2026-03-23', space: spaceA, visits: 1 },
      { week: '2026-03-30', space: spaceA, visits: 1 },
      { week: '2026-10-19', space: spaceB, visits: 1 },
      { week: '2026-10-26', space: spaceB, visits: 1 },
    ]
      .sort((x, y) => x.week.localeCompare(y.week) || x.space.localeCompare(y.space))
      .map((row) => ({ space: { id: id(row.space) }, week: row.week, visits: row.visits }));
    expect(data).toEqual(expected);

    const firstTwo = await figures('visitsByWeek', viewers.coordinator, { ...PERIOD, first: 2 });
    expect(firstTwo.data).toEqual(expected.slice(0, 2));
  });

  it('spreads visitor-hours over Paris weekdays and hours, the DST nights included', async () => {
    const { data, errors } = await figures('occupancyByHour');
    expect(errors).toBeUndefined();
    const expected = new Map<string, number>();
    const add = (weekday: number, hour: number) =>
      expected.set(`${weekday}:${hour}`, (expected.get(`${weekday}:${hour}`) ?? 0) + 1);
    [9, 10, 11].forEach((hour) => add(1, hour)); // Monday 09:00–11:30
    [0, 1].forEach((hour) => add(1, hour)); // Monday 00:30–01:10
    add(7, 23); // Sunday 23:30
    add(4, 0); // Thursday 1 January 00:30
    for (let hour = 9; hour < 24; hour++) add(1, hour); // the long visit: Monday 9h…
    for (let hour = 0; hour < 9; hour++) add(2, hour); // …to Tuesday 8h, 24 hours
    [1, 3].forEach((hour) => add(7, hour)); // 01:30 CET to 03:30 CEST: there is no 2 o'clock
    [2, 2].forEach((hour) => add(7, hour)); // 02:30 CEST to 02:30 CET: two hours at 2 o'clock
    add(6, 23); // Saturday 31 October 23:30
    add(1, 0); // the open visit, Monday 00:30 CEST
    const sorted = [...expected]
      .map(([key, n]) => [...key.split(':').map(Number), n] as [number, number, number])
      .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    expect(data).toEqual(cells(sorted));
  });

  it('lists the events of the period with their seats, most recent first, cancelled ones left out', async () => {
    const { data, errors } = await figures('eventAttendance');
    expect(errors).toBeUndefined();
    const expected = [
      { event: { id: eventIds.unlimited }, capacity: null, confirmed: 2, waiting: 0 },
      { event: { id: eventIds.full }, capacity: 2, confirmed: 2, waiting: 1 },
      { event: { id: eventIds.empty }, capacity: 5, confirmed: 0, waiting: 0 },
    ];
    expect(data).toEqual(expected);
    const first = await figures('eventAttendance', viewers.coordinator, { ...PERIOD, first: 1 });
    expect(first.data).toEqual(expected.slice(0, 1));
  });

  it('counts the members in the directory by the Paris month of their opt-in', async () => {
    const { data, errors } = await figures('directoryOptIns');
    expect(errors).toBeUndefined();
    expect(data).toEqual([
      { month: '2026-02', members: 2 },
      { month: '2026-04', members: 1 },
    ]);
  });

  it('dates an opt-in when it happens, keeps it while the member stays in, clears it on opt-out', async () => {
    const manager = viewers.manager('baronnies');
    const update = async (id: string, input: Record<string, unknown>) => {
      const result = await h.execute(
        `mutation ($input: UpdateMemberInput!) { updateMember(input: $input) { error { code } member { isInDirectory } } }`,
        { input: { id, ...input } },
        { viewer: manager },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.updateMember.error).toBeNull();
    };
    const optInOf = async (id: string) =>
      (await h.db.select().from(members).where(eq(members.id, id)))[0]!.directoryOptInAt;

    const before = Date.now();
    const joined = await h.seed.member({ isInDirectory: true });
    const stamped = await optInOf(joined.id);
    expect(stamped!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(stamped!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(await optInOf((await h.seed.member({ isInDirectory: false })).id)).toBeNull();

    await update(joined.publicId, { displayName: 'Toujours là' });
    expect(await optInOf(joined.id)).toEqual(stamped);
    await update(joined.publicId, { isInDirectory: true });
    expect(await optInOf(joined.id)).toEqual(stamped);
    await update(joined.publicId, { isInDirectory: false });
    expect(await optInOf(joined.id)).toBeNull();

    // Back in the directory in the month before: counted in that month, not in the first one.
    await h.db
      .update(members)
      .set({ directoryOptInAt: new Date('2026-01-15T12:00:00Z') })
      .where(eq(members.id, joined.id));
    expect((await figures('directoryOptIns')).data).toEqual([
      { month: '2026-02', members: 2 },
      { month: '2026-04', members: 1 },
    ]);
    await update(joined.publicId, { isInDirectory: true });
    const again = await optInOf(joined.id);
    expect(again!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    await h.db.update(members).set({ directoryOptInAt: null }).where(eq(members.id, joined.id));
    await h.db.update(members).set({ isInDirectory: false }).where(eq(members.id, joined.id));
  });

  it('dates the opt-in of members already in the directory from the day they joined (migration)', async () => {
    const migration = await readFile(
      new URL('../drizzle/0006_directory_opt_in_at.sql', import.meta.url),
      'utf8',
    );
    const backfill = migration.split('--> statement-breakpoint').find((s) => /UPDATE/.test(s))!;
    const listed = await h.seed.member({ isInDirectory: true });
    const unlisted = await h.seed.member({ isInDirectory: false });
    // As the column was before the migration: no dates at all; rolled back once checked.
    let seen: Record<string, unknown>[] = [];
    await h.db
      .transaction(async (tx) => {
        await tx.execute(
          sql`update members set directory_opt_in_at = null, created_at = '2024-05-06T07:00:00Z' where id in (${listed.id}, ${unlisted.id})`,
        );
        await tx.execute(sql`update members set directory_opt_in_at = null`);
        await tx.execute(sql.raw(backfill));
        seen = rowsOf(
          await tx.execute(
            sql`select count(*) filter (where is_in_directory)::int as listed,
                       count(*) filter (where directory_opt_in_at is not null)::int as dated,
                       count(*) filter (where directory_opt_in_at = created_at)::int as from_joining,
                       bool_or(id = ${listed.id} and directory_opt_in_at = '2024-05-06T07:00:00Z') as exact
                from members`,
          ),
        );
        tx.rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error && /rollback/i.test(error.message))) throw error;
      });
    expect(seen).toEqual([{ listed: 5, dated: 5, from_joining: 5, exact: true }]);
    expect(await h.db.select().from(members).where(eq(members.id, unlisted.id))).toMatchObject([
      { directoryOptInAt: null },
    ]);
    await h.db
      .update(members)
      .set({ isInDirectory: false, directoryOptInAt: null })
      .where(eq(members.id, listed.id));
  });

  it('refuses out-of-bounds periods and page sizes with BAD_USER_INPUT', async () => {
    const refusals: [keyof typeof FIGURES, Record<string, unknown>][] = [
      ['visitsByWeek', { ...PERIOD, first: 0 }],
      ['visitsByWeek', { ...PERIOD, first: 2001 }],
      ['eventAttendance', { ...PERIOD, first: 0 }],
      ['eventAttendance', { ...PERIOD, first: 501 }],
      ...(Object.keys(FIGURES) as (keyof typeof FIGURES)[]).flatMap(
        (field) =>
          [
            [field, { from: '2026-03-02', to: '2026-03-01' }],
            [field, { from: '2016-01-09', to: '2026-01-16' }],
          ] as [keyof typeof FIGURES, Record<string, unknown>][],
      ),
    ];
    for (const [field, variables] of refusals) {
      const { data, errors } = await figures(field, viewers.coordinator, variables);
      expect({ field, variables, data, codes: errors?.map((e) => e.extensions?.code) }).toEqual({
        field,
        variables,
        data: null,
        codes: ['BAD_USER_INPUT'],
      });
    }
    // The longest period allowed: 3660 days, from the first day to the last.
    const longest = await figures('directoryOptIns', viewers.coordinator, {
      from: '2016-01-10',
      to: '2026-01-16',
    });
    expect(longest.errors).toBeUndefined();
  });

  it('answers coordinators and the partner’s managers only', async () => {
    const refused: [Viewer, string][] = [
      [viewers.anonymous, 'UNAUTHENTICATED'],
      [viewers.staff('baronnies'), 'FORBIDDEN'],
      [viewers.manager('cantine'), 'FORBIDDEN'],
      [viewers.person('00000000-0000-4000-8000-0000000000d1'), 'FORBIDDEN'],
    ];
    for (const field of Object.keys(FIGURES) as (keyof typeof FIGURES)[]) {
      const allowed = await figures(field, viewers.manager('baronnies'));
      expect(allowed.errors).toBeUndefined();
      expect(allowed.data).toEqual((await figures(field)).data);
      expect(allowed.data!.length).toBeGreaterThan(0);
      for (const [viewer, code] of refused) {
        const { data, errors } = await figures(field, viewer);
        expect({ field, data, codes: errors?.map((e) => e.extensions?.code) }).toEqual({
          field,
          data: null,
          codes: [code],
        });
      }
    }
  });
});
