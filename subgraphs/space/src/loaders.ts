import { groupBy, parisDate, startOfParisDay } from '@tiers-lieux/schema';
import { byId, listBy, perSize } from '@tiers-lieux/subgraph-shell';
import DataLoader from 'dataloader';
import type { Db } from './db/client.js';
import type {
  BookingRow,
  ResourceRow,
  EventRow,
  EventSeriesRow,
  MemberRow,
  MembershipRow,
  OfferRow,
  RegistrationRow,
  SpaceRow,
  VisitRow,
} from './db/schema.js';
import {
  countSeatsByEventIds,
  getEventsByIds,
  listUpcomingEventsBySpaceIds,
  type SeatCounts,
} from './data/events.js';
import {
  getMembersByIds,
  listCurrentMembersBySpaceIds,
  listMembershipsByMemberIds,
  listOpenVisitsByMemberIds,
  listOpenVisitsBySpaceIds,
  listRecentVisitsByMemberIds,
} from './data/members.js';
import {
  listMembersByPersonIds,
  listRecentVisitsByPersonIds,
  listRegistrationsByPersonIds,
  type PersonRegistrationRow,
  type PersonVisitRow,
  type RegistrationWhen,
} from './data/people.js';
import { listRegistrationsByEventIds, listRegistrationsByMemberIds } from './data/registrations.js';
import {
  getBookingsByIds,
  listBookingsByBundleIds,
  listBookingsByPersonIds,
  listBookingsOfSpaces,
} from './data/bookings.js';
import {
  getResourcesByIds,
  listLiveBookingsOverlapping,
  listResourcesBySpaceIds,
} from './data/resources.js';
import { getSeriesByIds, listEventsBySeriesIds } from './data/series.js';
import { countOpenVisitsBySpaceIds, getSpacesByIds, listOffersBySpaceIds } from './data/spaces.js';

/** The loaders of one request: every read of a field goes through them, batched per tick. */
export function createLoaders(db: Db, now: Date) {
  const today = parisDate(now);
  return {
    spaceById: byId<SpaceRow>((ids) => getSpacesByIds(db, ids)),
    eventById: byId<EventRow>((ids) => getEventsByIds(db, ids)),
    seriesById: byId<EventSeriesRow>((ids) => getSeriesByIds(db, ids)),
    eventsBySeriesId: listBy<EventRow, string>(
      (ids) => listEventsBySeriesIds(db, ids),
      (e) => e.seriesId ?? '',
    ),
    presentVisitsBySpaceId: listBy<VisitRow, string>(
      (spaceIds) => listOpenVisitsBySpaceIds(db, { spaceIds, first: 200 }),
      (v) => v.spaceId,
    ),
    memberById: byId<MemberRow>((ids) => getMembersByIds(db, ids)),
    offersBySpaceId: listBy<OfferRow, string>(
      (ids) => listOffersBySpaceIds(db, ids),
      (o) => o.spaceId,
    ),
    occupancyBySpaceId: new DataLoader<string, number>(async (ids) => {
      const counts = new Map(
        (await countOpenVisitsBySpaceIds(db, ids)).map((c) => [c.spaceId, c.n]),
      );
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    upcomingEventsBySpaceId: perSize((first) =>
      listBy<EventRow, string>(
        (spaceIds) => listUpcomingEventsBySpaceIds(db, { spaceIds, now, first }),
        (e) => e.spaceId,
      ),
    ),
    currentMembersBySpaceId: listBy<MemberRow & { spaceId: string }, string>(
      (spaceIds) => listCurrentMembersBySpaceIds(db, { spaceIds, today }),
      (m) => m.spaceId,
    ),
    seatsByEventId: new DataLoader<string, SeatCounts>(async (ids) => {
      const counts = new Map((await countSeatsByEventIds(db, ids)).map((c) => [c.eventId, c]));
      return ids.map(
        (eventId) => counts.get(eventId) ?? { eventId, confirmed: 0, waiting: 0, held: 0 },
      );
    }),
    registrationsByEventId: listBy<RegistrationRow, string>(
      (ids) => listRegistrationsByEventIds(db, ids),
      (r) => r.eventId,
    ),
    registrationsByMemberId: listBy<RegistrationRow, string | null>(
      (ids) =>
        listRegistrationsByMemberIds(
          db,
          ids.filter((id): id is string => id !== null),
        ),
      (r) => r.memberId,
    ),
    membershipsByMemberId: listBy<MembershipRow, string>(
      (ids) => listMembershipsByMemberIds(db, ids),
      (m) => m.memberId,
    ),
    recentVisitsByMemberId: perSize((first) =>
      listBy<VisitRow, string>(
        (memberIds) => listRecentVisitsByMemberIds(db, { memberIds, first }),
        (v) => v.memberId ?? '',
      ),
    ),
    membersByPersonId: listBy<MemberRow, string>(
      (ids) => listMembersByPersonIds(db, ids),
      (m) => m.personId ?? '',
    ),
    registrationsByPersonId: perWhenAndSize((when, first) =>
      listBy<PersonRegistrationRow, string>(
        (personIds) => listRegistrationsByPersonIds(db, { personIds, when, now, first }),
        (r) => r.ownerPersonId,
      ),
    ),
    recentVisitsByPersonId: perSize((first) =>
      listBy<PersonVisitRow, string>(
        (personIds) => listRecentVisitsByPersonIds(db, { personIds, first }),
        (v) => v.ownerPersonId,
      ),
    ),
    resourceById: byId<ResourceRow>((ids) => getResourcesByIds(db, ids)),
    resourcesBySpaceId: listBy<ResourceRow, string>(
      (ids) => listResourcesBySpaceIds(db, ids),
      (r) => r.spaceId,
    ),
    bookingById: byId<BookingRow>((ids) => getBookingsByIds(db, ids)),
    bookingsByBundleId: listBy<BookingRow, string>(
      (ids) => listBookingsByBundleIds(db, ids),
      (b) => b.bundleId,
    ),
    bookingsByPersonId: perSize((first) =>
      listBy<BookingRow & { ownerPersonId: string }, string>(
        (personIds) => listBookingsByPersonIds(db, { personIds, first }),
        (b) => b.ownerPersonId,
      ),
    ),
    bookingsOfSpace: perRange((from, to) =>
      listBy<BookingRow & { spaceId: string }, string>(
        (spaceIds) => listBookingsOfSpaces(db, { spaceIds, from, to }),
        (b) => b.spaceId,
      ),
    ),
    /** Live bookings of a resource on a Paris day, keyed `<resource uuid>|<YYYY-MM-DD>`: one statement per day asked. */
    liveBookingsByResourceDay: new DataLoader<string, BookingRow[]>(async (keys) => {
      const byDay = groupBy(
        keys.map((key) => key.split('|') as [string, string]),
        ([, date]) => date,
      );
      const found = new Map<string, BookingRow[]>();
      for (const [date, pairs] of byDay) {
        const rows = await listLiveBookingsOverlapping(db, {
          resourceIds: pairs.map(([id]) => id),
          from: startOfParisDay(date),
          to: startOfParisDay(date, 1),
        });
        for (const [id, list] of groupBy(rows, (b) => b.resourceId))
          found.set(`${id}|${date}`, list);
      }
      return keys.map((key) => found.get(key) ?? []);
    }),
    openVisitByMemberId: new DataLoader<string, VisitRow | null>(async (ids) => {
      const open = new Map((await listOpenVisitsByMemberIds(db, ids)).map((v) => [v.memberId, v]));
      return ids.map((id) => open.get(id) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Loaders keyed by an id, a `when` and a page size: one per pair, made on first use. */
function perWhenAndSize<Loader>(
  make: (when: RegistrationWhen, first: number) => Loader,
): (when: RegistrationWhen, first: number) => Loader {
  const bySize = new Map<RegistrationWhen, (first: number) => Loader>();
  return (when, first) => {
    let loaders = bySize.get(when);
    if (!loaders) bySize.set(when, (loaders = perSize((size) => make(when, size))));
    return loaders(first);
  };
}

/** Loaders keyed by an id and a time range: one per range, made on first use. */
function perRange<Loader>(
  make: (from: Date, to: Date) => Loader,
): (from: Date, to: Date) => Loader {
  const loaders = new Map<string, Loader>();
  return (from, to) => {
    const key = `${from.getTime()}|${to.getTime()}`;
    let loader = loaders.get(key);
    if (!loader) loaders.set(key, (loader = make(from, to)));
    return loader;
  };
}
