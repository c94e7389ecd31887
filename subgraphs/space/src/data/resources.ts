import { and, asc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  bookings,
  resources,
  spaces,
  type NewResourceRow,
  type ResourceKind,
  type ResourceRow,
} from '../db/schema.js';
import { containsPattern, distanceKm } from './sql.js';

export async function getResourcesByIds(db: Db, ids: readonly string[]): Promise<ResourceRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(resources)
    .where(inArray(resources.id, [...ids]));
}

/** Each space's active resources, by name. */
export async function listResourcesBySpaceIds(
  db: Db,
  spaceIds: readonly string[],
): Promise<ResourceRow[]> {
  if (spaceIds.length === 0) return [];
  return db
    .select()
    .from(resources)
    .where(and(inArray(resources.spaceId, [...spaceIds]), eq(resources.isActive, true)))
    .orderBy(asc(resources.name), asc(resources.id));
}

export async function createResource(db: Db, row: NewResourceRow): Promise<ResourceRow> {
  const [created] = await db.insert(resources).values(row).returning();
  return created!;
}

export async function updateResource(
  db: Db,
  id: string,
  changes: Partial<NewResourceRow>,
): Promise<ResourceRow | null> {
  if (Object.keys(changes).length === 0) {
    const [row] = await getResourcesByIds(db, [id]);
    return row ?? null;
  }
  const [row] = await db.update(resources).set(changes).where(eq(resources.id, id)).returning();
  return row ?? null;
}

export interface CandidateQuery {
  kinds: readonly ResourceKind[] | null;
  minCapacity: number | null;
  departments: readonly string[] | null;
  text: string | null;
  near: { lat: number; lon: number; radiusKm: number } | null;
  /** Resources with no live booking over the whole range (the caller checks the hours). */
  freeFrom: Date;
  freeTo: Date;
  /** When a shorter slot inside the range will do, a resource booked for part of it still counts. */
  wholeRange: boolean;
}

export type CandidateRow = ResourceRow & { spaceHours: string | null; distanceKm: number | null };

/**
 * The active resources of open spaces that match a search, with their space's hours and
 * distance: one statement, whatever the number of resources.
 */
export async function listCandidateResources(db: Db, q: CandidateQuery): Promise<CandidateRow[]> {
  const conditions: SQL[] = [eq(resources.isActive, true), eq(spaces.status, 'OPEN')];
  if (q.kinds) conditions.push(inArray(resources.kind, [...q.kinds]));
  if (q.minCapacity !== null) conditions.push(sql`${resources.capacity} >= ${q.minCapacity}`);
  if (q.departments) conditions.push(inArray(spaces.department, [...q.departments]));
  if (q.text) {
    conditions.push(sql`${spaces.searchText} LIKE ${containsPattern(q.text)}`);
  }
  const distance = q.near
    ? distanceKm(sql`${spaces.lat}`, sql`${spaces.lon}`, q.near.lat, q.near.lon)
    : null;
  if (q.near && distance) conditions.push(sql`${distance} <= ${q.near.radiusKm}`);
  if (q.wholeRange) {
    conditions.push(sql`NOT EXISTS (
      SELECT 1 FROM ${bookings}
      WHERE ${bookings.resourceId} = ${resources.id}
        AND ${bookings.status} IN ('HELD', 'CONFIRMED')
        AND tstzrange(${bookings.startsAt}, ${bookings.endsAt}, '[)')
            && tstzrange(${q.freeFrom.toISOString()}::timestamptz, ${q.freeTo.toISOString()}::timestamptz, '[)'))`);
  }
  const rows = await db
    .select({
      resource: resources,
      spaceHours: spaces.openingHours,
      distanceKm: distance ?? sql<null>`null::float8`,
    })
    .from(resources)
    .innerJoin(spaces, eq(spaces.id, resources.spaceId))
    .where(and(...conditions))
    .orderBy(asc(resources.id));
  return rows.map((r) => ({ ...r.resource, spaceHours: r.spaceHours, distanceKm: r.distanceKm }));
}

/** The live bookings of some resources that overlap a range, in start order. */
export async function listLiveBookingsOverlapping(
  db: Db,
  params: { resourceIds: readonly string[]; from: Date; to: Date },
) {
  if (params.resourceIds.length === 0) return [];
  return db
    .select()
    .from(bookings)
    .where(
      and(
        inArray(bookings.resourceId, [...params.resourceIds]),
        inArray(bookings.status, ['HELD', 'CONFIRMED']),
        lt(bookings.startsAt, params.to),
        gt(bookings.endsAt, params.from),
      ),
    )
    .orderBy(asc(bookings.startsAt), asc(bookings.id));
}
