import type { BookingResolvers } from '../__generated__/resolvers-types.js';
import { canSeeBooking } from '../access.js';
import { freeCancellationUntil } from '../booking-rules.js';
import type { Context } from '../context.js';
import type { BookingRow } from '../db/schema.js';
import { localId, publicId } from '../ids.js';
import { eur } from './money.js';
import { personModel } from './Person.js';

/** The person a booking is for: named on it, or through its member record. */
export async function bookingOwner(ctx: Context, booking: BookingRow): Promise<string | null> {
  if (booking.personId) return booking.personId;
  if (!booking.memberId) return null;
  return (await ctx.loaders.memberById.load(booking.memberId))?.personId ?? null;
}

/** A booking as the viewer may see it, or null. */
export async function visibleBooking(ctx: Context, booking: BookingRow | null) {
  if (!booking) return null;
  return canSeeBooking(ctx, { personId: await bookingOwner(ctx, booking) }) ? booking : null;
}

export const Booking: BookingResolvers = {
  __resolveReference: async ({ id }, ctx) => {
    const local = localId(ctx, id, 'booking');
    return local.ok ? visibleBooking(ctx, await ctx.loaders.bookingById.load(local.uuid)) : null;
  },
  id: (booking, _args, ctx) => publicId(ctx, 'booking', booking.id),
  resource: async (booking, _args, ctx) =>
    (await ctx.loaders.resourceById.load(booking.resourceId))!,
  bundle: async (booking, _args, ctx) =>
    (await ctx.loaders.bookingsByBundleId.load(booking.bundleId)).filter(
      (b) => b.id !== booking.id,
    ),
  member: (booking, _args, ctx) =>
    booking.memberId ? ctx.loaders.memberById.load(booking.memberId) : null,
  person: async (booking, _args, ctx) => personModel(await bookingOwner(ctx, booking)),
  price: (booking) => (booking.priceCents === null ? null : eur(booking.priceCents)),
  freeCancellationUntil: async (booking, _args, ctx) => {
    const resource = await ctx.loaders.resourceById.load(booking.resourceId);
    return freeCancellationUntil(resource ?? { freeCancellationHours: 0 }, booking.startsAt);
  },
};
