import { formatParisIso } from '@tiers-lieux/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, viewers, type Harness } from './harness.js';

const manager = viewers.manager('baronnies');
const staff = viewers.staff('baronnies');
/** Before the first occurrence, so that every one is still to come. */
const NOW = new Date('2026-10-01T08:00:00Z');

const CREATE_SERIES = /* GraphQL */ `
  mutation ($input: CreateEventSeriesInput!) {
    createEventSeries(input: $input) {
      changedOccurrences
      series {
        id
        rule
        occurrences {
          id
          startsAt
          endsAt
          capacity
          series {
            id
          }
        }
      }
      error {
        code
        field
      }
    }
  }
`;

const UPDATE_SERIES = /* GraphQL */ `
  mutation ($input: UpdateEventSeriesInput!) {
    updateEventSeries(input: $input) {
      changedOccurrences
      series {
        occurrences {
          startsAt
          endsAt
          title
        }
      }
      error {
        code
        field
      }
    }
  }
`;

describe('event series, presence and check-in at the door', () => {
  let h: Harness;
  let spaceId: string;
  let seriesId: string;
  let occurrenceIds: string[];

  beforeAll(async () => {
    h = await createHarness();
    spaceId = (await h.seed.space({ name: 'La Serre' })).publicId;
  });
  afterAll(() => h.close());

  const weekly = (rule: string) => ({
    spaceId,
    title: 'Réunion d’information',
    kind: 'INFORMATION_MEETING',
    startsAt: '2026-10-15T14:00:00+02:00',
    durationMinutes: 90,
    rule,
    capacity: 2,
  });

  it('makes one event per occurrence, at the same Paris time across the change to winter time', async () => {
    const result = await h.execute(
      CREATE_SERIES,
      { input: weekly('FREQ=WEEKLY;BYDAY=TH;COUNT=4') },
      { viewer: manager, now: NOW },
    );
    const payload = result.data!.createEventSeries;
    expect(payload.error).toBeNull();
    expect(payload.changedOccurrences).toBe(4);
    expect(payload.series.rule).toBe('FREQ=WEEKLY;BYDAY=TH;COUNT=4');
    expect(payload.series.occurrences.map((e: { startsAt: string }) => e.startsAt)).toEqual([
      '2026-10-15T14:00:00+02:00',
      '2026-10-22T14:00:00+02:00',
      '2026-10-29T14:00:00+01:00',
      '2026-11-05T14:00:00+01:00',
    ]);
    expect(payload.series.occurrences[2].endsAt).toBe('2026-10-29T15:30:00+01:00');
    expect(payload.series.occurrences[0].series.id).toBe(payload.series.id);
    seriesId = payload.series.id;
    occurrenceIds = payload.series.occurrences.map((e: { id: string }) => e.id);
  });

  it('refuses a rule that does not end, or that the front desk sends', async () => {
    const before = await h.snapshot();
    const endless = await h.execute(
      CREATE_SERIES,
      { input: weekly('FREQ=WEEKLY;BYDAY=TH') },
      { viewer: manager, now: NOW },
    );
    expect(endless.data!.createEventSeries.error).toEqual({
      code: 'INVALID_INPUT',
      field: 'input.rule',
    });
    const garbage = await h.execute(
      CREATE_SERIES,
      { input: weekly('FREQ=SOMETIMES;COUNT=2') },
      { viewer: manager, now: NOW },
    );
    expect(garbage.data!.createEventSeries.error.field).toBe('input.rule');
    const tooMany = await h.execute(
      CREATE_SERIES,
      { input: weekly('FREQ=DAILY;COUNT=101') },
      { viewer: manager, now: NOW },
    );
    expect(tooMany.data!.createEventSeries.error.field).toBe('input.rule');
    const byStaff = await h.execute(
      CREATE_SERIES,
      { input: weekly('FREQ=WEEKLY;COUNT=2') },
      { viewer: staff, now: NOW },
    );
    expect(byStaff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await h.snapshot()).toEqual(before);
  });

  it('moves one occurrence alone, then the series from a date, keeping each day', async () => {
    const moved = await h.execute(
      /* GraphQL */ `
        mutation ($input: UpdateEventInput!) {
          updateEvent(input: $input) {
            event {
              startsAt
            }
          }
        }
      `,
      {
        input: {
          id: occurrenceIds[1],
          startsAt: '2026-10-23T10:00:00+02:00',
          endsAt: '2026-10-23T11:30:00+02:00',
        },
      },
      { viewer: manager, now: NOW },
    );
    expect(moved.data!.updateEvent.event.startsAt).toBe('2026-10-23T10:00:00+02:00');

    const result = await h.execute(
      UPDATE_SERIES,
      { input: { id: seriesId, fromDate: '2026-10-24', startTime: '16:30', title: 'Réunion' } },
      { viewer: manager, now: NOW },
    );
    const payload = result.data!.updateEventSeries;
    expect(payload.error).toBeNull();
    expect(payload.changedOccurrences).toBe(2);
    expect(payload.series.occurrences).toEqual([
      {
        startsAt: '2026-10-15T14:00:00+02:00',
        endsAt: '2026-10-15T15:30:00+02:00',
        title: 'Réunion d’information',
      },
      {
        startsAt: '2026-10-23T10:00:00+02:00',
        endsAt: '2026-10-23T11:30:00+02:00',
        title: 'Réunion d’information',
      },
      {
        startsAt: '2026-10-29T16:30:00+01:00',
        endsAt: '2026-10-29T18:00:00+01:00',
        title: 'Réunion',
      },
      {
        startsAt: '2026-11-05T16:30:00+01:00',
        endsAt: '2026-11-05T18:00:00+01:00',
        title: 'Réunion',
      },
    ]);
  });

  it('changes no occurrence when one of them cannot take the change', async () => {
    const [, , third] = occurrenceIds.map((id) => id.split(':')[2]!);
    const a = await h.seed.member();
    const b = await h.seed.member();
    await h.seed.registration(third!, a.id, NOW);
    await h.seed.registration(third!, b.id, NOW);
    const before = await h.snapshot();
    const result = await h.execute(
      UPDATE_SERIES,
      { input: { id: seriesId, fromDate: '2026-10-01', capacity: 1, startTime: '09:00' } },
      { viewer: manager, now: NOW },
    );
    expect(result.data!.updateEventSeries.error).toEqual({
      code: 'INVALID_INPUT',
      field: 'input.capacity',
    });
    expect(await h.snapshot()).toEqual(before);
  });

  it('checks a confirmed registration in at the door, and takes it back', async () => {
    const third = occurrenceIds[2]!.split(':')[2]!;
    const c = await h.seed.member();
    const waiting = await h.seed.registration(third, c.id, NOW);
    const registrations = await h.execute(
      `query ($id: ID!) { event(id: $id) { registrations { id status checkedInAt } } }`,
      { id: occurrenceIds[2] },
      { viewer: staff, now: NOW },
    );
    const [first] = registrations.data!.event.registrations;
    const CHECK_IN = `mutation ($input: CheckInRegistrationInput!) {
      checkInRegistration(input: $input) { registration { checkedInAt } error { code } } }`;
    const at = new Date('2026-10-29T13:55:00Z');
    const done = await h.execute(CHECK_IN, { input: { id: first.id } }, { viewer: staff, now: at });
    expect(done.data!.checkInRegistration).toEqual({
      registration: { checkedInAt: formatParisIso(at) },
      error: null,
    });
    const undone = await h.execute(
      CHECK_IN,
      { input: { id: first.id, undo: true } },
      { viewer: staff, now: at },
    );
    expect(undone.data!.checkInRegistration.registration.checkedInAt).toBeNull();
    const refused = await h.execute(
      CHECK_IN,
      { input: { id: h.seed.id('registration', waiting!.id) } },
      { viewer: staff, now: at },
    );
    expect(refused.data!.checkInRegistration.error.code).toBe('INVALID_INPUT');
    const anonymous = await h.execute(CHECK_IN, { input: { id: first.id } }, { now: at });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('tells the front desk who is here now, and nobody else', async () => {
    const member = await h.seed.member({ displayName: 'Léa Martin' });
    await h.execute(
      `mutation ($input: CheckInInput!) { checkIn(input: $input) { error { code } } }`,
      { input: { memberId: member.publicId, spaceId } },
      { viewer: staff },
    );
    const PRESENT = `query ($id: ID!) { space(id: $id) { occupancy presentVisits { kind member { displayName } checkedOutAt } } }`;
    const seen = await h.execute(PRESENT, { id: spaceId }, { viewer: staff });
    expect(seen.data!.space).toEqual({
      occupancy: 1,
      presentVisits: [
        { kind: 'MEMBER', member: { displayName: 'Léa Martin' }, checkedOutAt: null },
      ],
    });
    const hidden = await h.execute(
      PRESENT,
      { id: spaceId },
      { viewer: viewers.manager('cantine') },
    );
    expect(hidden.data!.space.presentVisits).toBeNull();
  });
});
