import { randomUUID } from 'node:crypto';
import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { bookings, members, resources, type BookingRow, type ResourceRow } from '../db/schema.js';

/**
 * How long a hold blocks its slot without being confirmed. The network confirms or releases in
 * seconds; a hold it lost track of (a hold request that arrived after the network gave up on it)
 * is released by the next booking of the resource after this.
 */
export const HOLD_MINUTES = 15;

/** PostgreSQL's exclusion_violation: the constraint `bookings_never_overlap` refused a row. */
const EXCLUSION_VIOLATION = '23P01';
/**
 * Two bookings inserted at once can each wait on the other's uncommitted row of the exclusion
 * constraint; PostgreSQL then aborts one (`deadlock_detected`). Nothing was written: it is
 * tried again, and finds the other committed (a `SLOT_TAKEN`) or gone.
 */
const DEADLOCK_DETECTED = '40P01';
const DEADLOCK_RETRIES = 5;

function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface NewBooking {
  resources: readonly ResourceRow[];
  startsAt: Date;
  endsAt: Date;
  status: 'HELD' | 'CONFIRMED';
  payment: BookingRow['payment'];
  memberId: string | null;
  personId: string | null;
  bookedForName: string;
  passId: string | null;
  sagaKey: string | null;
  priceCents: (resource: ResourceRow) => number | null;
}

export type BookOutcome =
  { ok: true; bundle: BookingRow[]; replayed: boolean } | { ok: false; reason: 'SLOT_TAKEN' };

/**
 * Books resources for one range, all or none, in one transaction. Overlaps are refused by the
 * database's exclusion constraint, never by a check here: a check-then-insert would let two
 * concurrent bookings both see the slot free. With a saga key, a bundle already made under that
 * key is answered as it is (the network retries a hold it has not heard back from).
 */
export async function bookResources(db: Db, booking: NewBooking): Promise<BookOutcome> {
  if (booking.sagaKey) {
    const existing = await listBundleBySagaKey(db, booking.sagaKey);
    if (existing.length > 0) return { ok: true, bundle: existing, replayed: true };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await insertBundle(db, booking);
    } catch (error) {
      if (sqlState(error) !== DEADLOCK_DETECTED || attempt >= DEADLOCK_RETRIES) throw error;
    }
  }
}

async function insertBundle(db: Db, booking: NewBooking): Promise<BookOutcome> {
  const bundleId = randomUUID();
  try {
    const bundle = await db.transaction(async (tx) => {
      await tx
        .update(bookings)
        .set({ status: 'RELEASED' })
        .where(
          and(
            inArray(
              bookings.resourceId,
              booking.resources.map((r) => r.id),
            ),
            eq(bookings.status, 'HELD'),
            lt(bookings.createdAt, new Date(Date.now() - HOLD_MINUTES * 60_000)),
          ),
        );
      return tx
        .insert(bookings)
        .values(
          booking.resources.map((resource) => ({
            bundleId,
            resourceId: resource.id,
            startsAt: booking.startsAt,
            endsAt: booking.endsAt,
            status: booking.status,
            payment: booking.payment,
            memberId: booking.memberId,
            personId: booking.personId,
            bookedForName: booking.bookedForName,
            passId: booking.passId,
            sagaKey: booking.sagaKey,
            priceCents: booking.priceCents(resource),
          })),
        )
        .returning();
    });
    return { ok: true, bundle, replayed: false };
  } catch (error) {
    if (sqlState(error) === EXCLUSION_VIOLATION) return { ok: false, reason: 'SLOT_TAKEN' };
    // The same saga key was held concurrently (unique index): answer that hold.
    if (booking.sagaKey && sqlState(error) === '23505') {
      const existing = await listBundleBySagaKey(db, booking.sagaKey);
      if (existing.length > 0) return { ok: true, bundle: existing, replayed: true };
    }
    throw error;
  }
}

export async function listBundleBySagaKey(db: Db | Tx, sagaKey: string): Promise<BookingRow[]> {
  return db
    .select()
    .from(bookings)
    .where(eq(bookings.sagaKey, sagaKey))
    .orderBy(asc(bookings.createdAt), asc(bookings.id));
}

export async function getBookingsByIds(db: Db, ids: readonly string[]): Promise<BookingRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(bookings)
    .where(inArray(bookings.id, [...ids]));
}

export async function listBookingsByBundleIds(
  db: Db,
  bundleIds: readonly string[],
): Promise<BookingRow[]> {
  if (bundleIds.length === 0) return [];
  return db
    .select()
    .from(bookings)
    .where(inArray(bookings.bundleId, [...bundleIds]))
    .orderBy(asc(bookings.createdAt), asc(bookings.id));
}

/** The live and cancelled bookings of some spaces' resources that start in a range, in start order. */
export async function listBookingsOfSpaces(
  db: Db,
  params: { spaceIds: readonly string[]; from: Date; to: Date },
): Promise<(BookingRow & { spaceId: string })[]> {
  if (params.spaceIds.length === 0) return [];
  const rows = await db
    .select({ booking: bookings, spaceId: resources.spaceId })
    .from(bookings)
    .innerJoin(resources, eq(resources.id, bookings.resourceId))
    .where(
      and(
        inArray(resources.spaceId, [...params.spaceIds]),
        inArray(bookings.status, ['HELD', 'CONFIRMED', 'CANCELLED']),
        gte(bookings.startsAt, params.from),
        lt(bookings.startsAt, params.to),
      ),
    )
    .orderBy(asc(bookings.startsAt), asc(bookings.id));
  return rows.map((r) => ({ ...r.booking, spaceId: r.spaceId }));
}

/** Each person's bookings here (as themselves or through their member record; holds left out), latest start first, `first` each. */
export async function listBookingsByPersonIds(
  db: Db,
  params: { personIds: readonly string[]; first: number },
): Promise<(BookingRow & { ownerPersonId: string })[]> {
  if (params.personIds.length === 0) return [];
  const owner = sql<string>`coalesce(${bookings.personId}, ${members.personId})`;
  const rows = await db
    .select({ booking: bookings, ownerPersonId: owner })
    .from(bookings)
    .leftJoin(members, eq(members.id, bookings.memberId))
    .where(
      and(
        inArray(bookings.status, ['CONFIRMED', 'CANCELLED']),
        inArray(owner, [...params.personIds]),
      ),
    )
    .orderBy(sql`${bookings.startsAt} DESC`, asc(bookings.id));
  const counts = new Map<string, number>();
  return rows
    .map((r) => ({ ...r.booking, ownerPersonId: r.ownerPersonId }))
    .filter((r) => {
      const n = (counts.get(r.ownerPersonId) ?? 0) + 1;
      counts.set(r.ownerPersonId, n);
      return n <= params.first;
    });
}

export type HoldStep =
  | { ok: true; bundle: BookingRow[] }
  | { ok: false; reason: 'UNKNOWN_HOLD' | 'RELEASED' | 'CONFIRMED' | 'CANCELLED' };

/** Confirms the hold made under a saga key; confirming it again answers the same bundle. */
export async function confirmHold(db: Db, sagaKey: string): Promise<HoldStep> {
  return db.transaction(async (tx) => {
    const bundle = await tx
      .select()
      .from(bookings)
      .where(eq(bookings.sagaKey, sagaKey))
      .for('update');
    if (bundle.length === 0) return { ok: false, reason: 'UNKNOWN_HOLD' };
    if (bundle.some((b) => b.status === 'RELEASED')) return { ok: false, reason: 'RELEASED' };
    if (bundle.some((b) => b.status === 'CANCELLED')) return { ok: false, reason: 'CANCELLED' };
    const confirmed = await tx
      .update(bookings)
      .set({ status: 'CONFIRMED' })
      .where(eq(bookings.sagaKey, sagaKey))
      .returning();
    return { ok: true, bundle: confirmed };
  });
}

/**
 * Releases the hold made under a saga key, freeing the slot; releasing again, or a key never
 * held, is a success. A confirmed bundle is not released: the network cancels it instead.
 */
export async function releaseHold(db: Db, sagaKey: string): Promise<HoldStep> {
  return db.transaction(async (tx) => {
    const bundle = await tx
      .select()
      .from(bookings)
      .where(eq(bookings.sagaKey, sagaKey))
      .for('update');
    if (bundle.some((b) => b.status === 'CONFIRMED')) return { ok: false, reason: 'CONFIRMED' };
    const released = await tx
      .update(bookings)
      .set({ status: 'RELEASED' })
      .where(and(eq(bookings.sagaKey, sagaKey), eq(bookings.status, 'HELD')))
      .returning();
    return { ok: true, bundle: released.length > 0 ? released : bundle };
  });
}

/** Cancels a live bundle; cancelling it again answers the cancelled bundle. */
export async function cancelBundle(
  db: Db,
  params: { bundleId: string; now: Date },
): Promise<BookingRow[]> {
  return db.transaction(async (tx) => {
    await tx
      .update(bookings)
      .set({ status: 'CANCELLED', cancelledAt: params.now })
      .where(and(eq(bookings.bundleId, params.bundleId), eq(bookings.status, 'CONFIRMED')));
    return tx
      .select()
      .from(bookings)
      .where(eq(bookings.bundleId, params.bundleId))
      .orderBy(asc(bookings.createdAt), asc(bookings.id));
  });
}
