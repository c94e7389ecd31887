import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { passBookings, type PassBookingRow } from '../db/schema.js';

export async function getPassBookingsByIds(
  db: Db,
  ids: readonly string[],
): Promise<PassBookingRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(passBookings)
    .where(inArray(passBookings.id, [...ids]));
}

/** The pass-paid bookings behind host bookings, by the host booking's id. */
export async function getPassBookingsByBookingIds(
  db: Db,
  bookingIds: readonly string[],
): Promise<PassBookingRow[]> {
  if (bookingIds.length === 0) return [];
  return db
    .select()
    .from(passBookings)
    .where(inArray(passBookings.bookingId, [...bookingIds]));
}
