import { compareCursorKeys, type CursorKey } from '@tiers-lieux/schema';
import type { FreeResourceFilter, FreeResourceOrder } from './__generated__/resolvers-types.js';
import { bookablePeriods, refusalOf } from './booking-rules.js';
import type { Db } from './db/client.js';
import {
  listCandidateResources,
  listLiveBookingsOverlapping,
  type CandidateRow,
} from './data/resources.js';
import type { BookingRow } from './db/schema.js';
import { BadInputError } from './errors.js';
import type { ResourceModel } from './resolvers/mappers.js';
import type { Page } from './data/spaces.js';

const MAX_RANGE_DAYS = 14;

export interface FreeResourceSearch {
  filter: FreeResourceFilter;
  near: { lat: number; lon: number; radiusKm: number } | null;
  order: FreeResourceOrder;
  first: number;
  after: CursorKey | null;
  now: Date;
}

export function freeResourceSortKey(row: ResourceModel, order: FreeResourceOrder): CursorKey {
  return order === 'DISTANCE'
    ? [row.distanceKm ?? 0, row.id]
    : [row.firstFreeAt?.getTime() ?? 0, row.id];
}

/**
 * The first start, in a range, of a free slot of `minutes` that the resource's rules allow:
 * a slot starts where a free period starts (the range's start, the end of a booking, an
 * opening), the earliest one is enough.
 */
export function firstFreeStart(
  resource: CandidateRow,
  booked: readonly BookingRow[],
  range: { from: Date; to: Date; minutes: number; now: Date },
): Date | null {
  const needMs = range.minutes * 60_000;
  const periods = bookablePeriods(resource, resource.spaceHours, range.from, range.to);
  const taken = [...booked].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  for (const period of periods) {
    const starts = [period.opensAt, ...taken.map((b) => b.endsAt)].filter(
      (t) => t >= period.opensAt && t < period.closesAt,
    );
    for (const start of starts.sort((a, b) => a.getTime() - b.getTime())) {
      const end = new Date(start.getTime() + needMs);
      if (end > period.closesAt) continue;
      if (taken.some((b) => b.startsAt < end && b.endsAt > start)) continue;
      const refusal = refusalOf(resource, resource.spaceHours, {
        startsAt: start,
        endsAt: end,
        now: range.now,
      });
      if (refusal === null) return start;
    }
  }
  return null;
}

/**
 * `freeResources` at this partner: two statements whatever the number of resources (the
 * candidates with their space, then the live bookings of all of them in the range), the slots
 * computed here.
 */
export async function searchFreeResources(
  db: Db,
  search: FreeResourceSearch,
): Promise<Page<ResourceModel>> {
  const { filter, now } = search;
  if (!(filter.to > filter.from))
    throw new BadInputError('filter.to must be after filter.from', 'filter.to');
  if (filter.to.getTime() - filter.from.getTime() > MAX_RANGE_DAYS * 86_400_000)
    throw new BadInputError(`filter spans at most ${MAX_RANGE_DAYS} days`, 'filter.to');
  const rangeMinutes = (filter.to.getTime() - filter.from.getTime()) / 60_000;
  const minutes = filter.minutes ?? rangeMinutes;
  if (!Number.isInteger(minutes) || minutes < 15 || minutes > rangeMinutes)
    throw new BadInputError(
      'filter.minutes must be from 15 to the length of the range',
      'filter.minutes',
    );
  if (filter.minCapacity != null && (filter.minCapacity < 1 || filter.minCapacity > 500))
    throw new BadInputError('filter.minCapacity must be from 1 to 500', 'filter.minCapacity');
  const candidates = await listCandidateResources(db, {
    kinds: filter.kinds ?? null,
    minCapacity: filter.minCapacity ?? null,
    departments: filter.departments ?? null,
    text: filter.text ?? null,
    near: search.near,
    freeFrom: filter.from,
    freeTo: filter.to,
    wholeRange: filter.minutes == null,
  });
  const booked = await listLiveBookingsOverlapping(db, {
    resourceIds: candidates.map((c) => c.id),
    from: filter.from,
    to: filter.to,
  });
  const bookedByResource = new Map<string, BookingRow[]>();
  for (const b of booked)
    bookedByResource.set(b.resourceId, [...(bookedByResource.get(b.resourceId) ?? []), b]);
  const free: ResourceModel[] = [];
  for (const candidate of candidates) {
    const start = firstFreeStart(candidate, bookedByResource.get(candidate.id) ?? [], {
      from: filter.from,
      to: filter.to,
      minutes,
      now,
    });
    if (start) free.push({ ...candidate, firstFreeAt: start });
  }
  const sorted = free.sort((a, b) =>
    compareCursorKeys(freeResourceSortKey(a, search.order), freeResourceSortKey(b, search.order)),
  );
  const rest = search.after
    ? sorted.filter(
        (row) => compareCursorKeys(freeResourceSortKey(row, search.order), search.after!) > 0,
      )
    : sorted;
  return {
    rows: rest.slice(0, search.first),
    hasNextPage: rest.length > search.first,
    totalCount: async () => sorted.length,
  };
}
