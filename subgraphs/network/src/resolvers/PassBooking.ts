import type { BookingResolvers, PassBookingResolvers } from '../__generated__/resolvers-types.js';
import { canSeePassBooking } from '../access.js';
import type { PassBookingRow } from '../db/schema.js';
import { networkId } from '../ids.js';

/**
 * What the person is told. A row that will end FAILED whatever happens (a hold refused or never
 * answered, a release under way: nothing was spent) is FAILED to them already; the others in
 * between are PENDING.
 */
export function publicState(row: Pick<PassBookingRow, 'state' | 'errorCode'>) {
  switch (row.state) {
    case 'CONFIRMED':
    case 'FAILED':
    case 'CANCELLED':
      return row.state;
    case 'CANCELLING':
      return 'CANCELLED';
    case 'RELEASING':
      return 'FAILED';
    case 'STARTED':
      return row.errorCode ? 'FAILED' : 'PENDING';
    default:
      return 'PENDING';
  }
}

export const PassBooking: PassBookingResolvers = {
  id: (row) => networkId('pass-booking', row.id),
  state: (row) => publicState(row),
  booking: (row) => (row.bookingId ? { id: row.bookingId } : null),
  pass: (row, _args, ctx) =>
    canSeePassBooking(ctx.viewer, row) ? ctx.loaders.passById.load(row.passId) : null,
  redemption: (row, _args, ctx) =>
    row.redemptionId && canSeePassBooking(ctx.viewer, row)
      ? ctx.loaders.redemptionById.load(row.redemptionId)
      : null,
  failure: (row) => (publicState(row) === 'FAILED' ? row.errorCode : null),
};

export const Booking: BookingResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  passBooking: async (booking, _args, ctx) => {
    const row = await ctx.loaders.passBookingByBookingId.load(booking.id);
    return row && canSeePassBooking(ctx.viewer, row) ? row : null;
  },
};
