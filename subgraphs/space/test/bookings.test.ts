import { testEngines } from '@tiers-lieux/schema/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, viewers, type Harness } from './harness.js';

const manager = viewers.manager('locomotive');
const staff = viewers.staff('locomotive');
const member = viewers.person('00000000-0000-4000-8000-0000000d0001');
/** A Friday before the spring daylight-saving change (Sunday 29 March 2026). */
const NOW = new Date('2026-03-20T10:00:00+01:00');

const CREATE = /* GraphQL */ `
  mutation ($input: CreateResourceInput!) {
    createResource(input: $input) {
      resource {
        id
        name
        bookableHours
      }
      error {
        code
        field
      }
    }
  }
`;
const BOOK = /* GraphQL */ `
  mutation ($input: BookResourceInput!) {
    bookResource(input: $input) {
      booking {
        id
        startsAt
        endsAt
        status
        payment
        price {
          amountCents
        }
        bundle {
          resource {
            name
          }
        }
      }
      error {
        code
      }
    }
  }
`;

describe.each(testEngines())('bookings of resources on %s', (engine) => {
  let h: Harness;
  let room: string;
  let kit: string;
  let spaceId: string;

  beforeAll(async () => {
    h = await createHarness({ engine, partner: 'locomotive', poolSize: 20 });
    const space = await h.seed.space({ name: 'La Locomotive', openingHours: 'Mo-Fr 08:00-20:00' });
    spaceId = space.publicId;
    const created = await h.execute(
      CREATE,
      {
        input: {
          spaceId,
          kind: 'MEETING_ROOM',
          name: 'Salle de réunion',
          capacity: 8,
          pricePerHourCents: 1500,
          pricePerHalfDayCents: 5000,
          minMinutes: 30,
        },
      },
      { viewer: manager, now: NOW },
    );
    room = (created.data as any).createResource.resource.id;
    const visio = await h.execute(
      CREATE,
      { input: { spaceId, kind: 'VISIO_KIT', name: 'Kit de visio-conférence', minMinutes: 30 } },
      { viewer: manager, now: NOW },
    );
    kit = (visio.data as any).createResource.resource.id;
  });
  afterAll(() => h?.close());

  const book = (input: Record<string, unknown>, viewer = member) =>
    h.execute(BOOK, { input }, { viewer, now: NOW });

  it('lets only managers set up resources, and checks the bookable hours', async () => {
    const refused = await h.execute(
      CREATE,
      { input: { spaceId, kind: 'FLEXIBLE_DESK', name: 'Poste' } },
      { viewer: staff, now: NOW },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const malformed = await h.execute(
      CREATE,
      { input: { spaceId, kind: 'FLEXIBLE_DESK', name: 'Poste', bookableHours: 'Mo-Xx 25:00' } },
      { viewer: manager, now: NOW },
    );
    expect((malformed.data as any).createResource.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'input.bookableHours',
    });
  });

  it('gives exactly one booking out of 100 simultaneous ones of overlapping times', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        book({
          resourceId: room,
          startsAt: new Date(
            Date.parse('2026-03-26T14:00:00+01:00') + (i % 30) * 60_000,
          ).toISOString(),
          endsAt: new Date(
            Date.parse('2026-03-26T16:00:00+01:00') + (i % 30) * 60_000,
          ).toISOString(),
        }),
      ),
    );
    const outcomes = results.map((r) => {
      expect(r.errors).toBeUndefined();
      const payload = (r.data as any).bookResource;
      return payload.booking ? 'BOOKED' : payload.error.code;
    });
    expect(outcomes.filter((o) => o === 'BOOKED')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'SLOT_TAKEN')).toHaveLength(99);
  });

  it('books all of 100 simultaneous adjacent slots', async () => {
    const monday = Date.parse('2026-03-30T08:00:00+02:00');
    const slots = Array.from({ length: 100 }, (_, i) => {
      const day = Math.floor(i / 20);
      const start = monday + day * 86_400_000 + (i % 20) * 30 * 60_000;
      return {
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(start + 30 * 60_000).toISOString(),
      };
    });
    const results = await Promise.all(slots.map((slot) => book({ resourceId: room, ...slot })));
    const booked = results.filter((r) => (r.data as any)?.bookResource.booking);
    expect(booked).toHaveLength(100);
  });

  it('refuses bookings outside the bookable hours in Paris time, on either side of the change', async () => {
    const codes = async (startsAt: string, endsAt: string) =>
      ((await book({ resourceId: room, startsAt, endsAt })).data as any).bookResource.error?.code ??
      'BOOKED';
    // Winter time (UTC+1): 07:30 in Paris is before 08:00.
    expect(await codes('2026-03-27T06:30:00Z', '2026-03-27T07:30:00Z')).toBe(
      'OUTSIDE_BOOKABLE_HOURS',
    );
    expect(await codes('2026-03-27T07:00:00Z', '2026-03-27T08:00:00Z')).toBe('BOOKED');
    // Summer time (UTC+2): the same UTC hours are 08:30 and 07:30 in Paris.
    expect(await codes('2026-04-06T06:30:00Z', '2026-04-06T07:30:00Z')).toBe('BOOKED');
    expect(await codes('2026-04-06T05:30:00Z', '2026-04-06T06:30:00Z')).toBe(
      'OUTSIDE_BOOKABLE_HOURS',
    );
    expect(await codes('2026-04-06T17:30:00Z', '2026-04-06T18:30:00Z')).toBe(
      'OUTSIDE_BOOKABLE_HOURS',
    );
    expect(await codes('2026-03-28T10:00:00+01:00', '2026-03-28T11:00:00+01:00')).toBe(
      'OUTSIDE_BOOKABLE_HOURS',
    );
    expect(await codes('2026-03-23T10:00:00+01:00', '2026-03-23T10:15:00+01:00')).toBe('TOO_SHORT');
    expect(await codes('2026-03-19T10:00:00+01:00', '2026-03-19T11:00:00+01:00')).toBe(
      'IN_THE_PAST',
    );
    expect(await codes('2026-07-01T10:00:00+02:00', '2026-07-01T11:00:00+02:00')).toBe(
      'TOO_FAR_AHEAD',
    );
  });

  it('books the visio kit with the room, all or nothing, and the front desk books for a visitor', async () => {
    const both = await book({
      resourceId: room,
      alsoBook: [kit],
      startsAt: '2026-03-24T10:00:00+01:00',
      endsAt: '2026-03-24T12:00:00+01:00',
    });
    expect((both.data as any).bookResource.booking).toMatchObject({
      status: 'CONFIRMED',
      payment: 'AT_DESK',
      price: { amountCents: 3000 },
      bundle: [{ resource: { name: 'Kit de visio-conférence' } }],
    });
    const kitTaken = await book({
      resourceId: kit,
      startsAt: '2026-03-24T11:00:00+01:00',
      endsAt: '2026-03-24T13:00:00+01:00',
    });
    expect((kitTaken.data as any).bookResource.error.code).toBe('SLOT_TAKEN');
    const forOther = await book(
      {
        resourceId: kit,
        guestName: 'Camille',
        startsAt: '2026-03-24T14:00:00+01:00',
        endsAt: '2026-03-24T15:00:00+01:00',
      },
      member,
    );
    expect(forOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const atDesk = await book(
      {
        resourceId: kit,
        guestName: 'Camille',
        startsAt: '2026-03-24T14:00:00+01:00',
        endsAt: '2026-03-24T15:00:00+01:00',
      },
      staff,
    );
    expect((atDesk.data as any).bookResource.booking.status).toBe('CONFIRMED');
  });

  it('shows free slots of a day, the staff see the day, and a cancelled slot is free again', async () => {
    const slots = /* GraphQL */ `
      query ($id: ID!, $spaceId: ID!) {
        resource(id: $id) {
          freeSlots(date: "2026-03-25") {
            startsAt
            endsAt
          }
        }
        space(id: $spaceId) {
          bookings(from: "2026-03-25T00:00:00+01:00", to: "2026-03-26T00:00:00+01:00") {
            id
            bookedForName
          }
        }
      }
    `;
    const booked = await book({
      resourceId: room,
      startsAt: '2026-03-25T10:00:00+01:00',
      endsAt: '2026-03-25T11:30:00+01:00',
    });
    const bookingId = (booked.data as any).bookResource.booking.id;
    const seen = await h.execute(slots, { id: room, spaceId }, { viewer: staff, now: NOW });
    expect(seen.data).toEqual({
      resource: {
        freeSlots: [
          { startsAt: '2026-03-25T08:00:00+01:00', endsAt: '2026-03-25T10:00:00+01:00' },
          { startsAt: '2026-03-25T11:30:00+01:00', endsAt: '2026-03-25T20:00:00+01:00' },
        ],
      },
      space: { bookings: [{ id: bookingId, bookedForName: 'Personne du réseau' }] },
    });
    const anonymous = await h.execute(slots, { id: room, spaceId }, { now: NOW });
    expect((anonymous.data as any).space.bookings).toEqual([]);
    const cancel = await h.execute(
      /* GraphQL */ `
        mutation ($id: ID!) {
          cancelBooking(input: { id: $id }) {
            booking {
              status
            }
            error {
              code
            }
          }
        }
      `,
      { id: bookingId },
      { viewer: member, now: NOW },
    );
    expect((cancel.data as any).cancelBooking).toEqual({
      booking: { status: 'CANCELLED' },
      error: null,
    });
    const again = await h.execute(slots, { id: room, spaceId }, { viewer: staff, now: NOW });
    expect((again.data as any).resource.freeSlots).toEqual([
      { startsAt: '2026-03-25T08:00:00+01:00', endsAt: '2026-03-25T20:00:00+01:00' },
    ]);
  });

  it('finds free resources in SQL statements that do not grow with their number', async () => {
    const search = /* GraphQL */ `
      query {
        freeResources(
          filter: {
            from: "2026-03-26T14:00:00+01:00"
            to: "2026-03-26T16:00:00+01:00"
            kinds: [MEETING_ROOM]
            minCapacity: 6
            near: { lat: 44.5594, lon: 6.0786, radiusKm: 30 }
          }
        ) {
          totalCount
          edges {
            node {
              name
              firstFreeAt
              space {
                name
              }
              freeSlots(date: "2026-03-26") {
                startsAt
              }
            }
          }
        }
      }
    `;
    const count = async () => {
      h.resetStatements();
      const result = await h.execute(search, {}, { now: NOW });
      expect(result.errors).toBeUndefined();
      return { statements: h.statements(), result: result.data as any };
    };
    const create = (name: string) =>
      h.execute(
        CREATE,
        { input: { spaceId, kind: 'MEETING_ROOM', name, capacity: 6 } },
        { viewer: manager, now: NOW },
      );
    expect((await count()).result.freeResources.totalCount).toBe(0); // the room is booked then
    await create('Salle 0');
    const few = await count();
    expect(few.result.freeResources.totalCount).toBe(1);
    for (let i = 1; i < 20; i++) await create(`Salle ${i}`);
    const many = await count();
    expect(many.result.freeResources.totalCount).toBe(20);
    expect(many.result.freeResources.edges[0].node.firstFreeAt).toBe('2026-03-26T14:00:00+01:00');
    expect(many.statements).toBe(few.statements);
  });
});
