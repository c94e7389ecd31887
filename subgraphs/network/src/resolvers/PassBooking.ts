import type { BookingResolvers, PassBookingResolvers } from '../__generated__/resolvers-types.js';
import { canSeePassBooking } from '../access.js';
import { networkId } from '../ids.js';

/** What the person is told: the saga's inner states are one `PENDING` to them. */
function publicState(state: string) {
  switch (state) {
    case 'CONFIRMED':
    case 'FAILED':
    case 'CANCELLED':
      return state;
    case 'CANCELLING':
      return 'CANCELLED';
    default:
      return 'PENDING';
  }
}

export const PassBooking: PassBookingResolvers = {
  id: (row) => networkId('pass-booking', row.id),
  state: (row) => publicState(row.state),
  booking: (row) => (row.bookingId ? { id: row.bookingId } : null),
  pass: (row, _args, ctx) =>
    canSeePassBooking(ctx.viewer, row) ? ctx.loaders.passById.load(row.passId) : null,
  redemption: (row, _args, ctx) =>
    row.redemptionId && canSeePassBooking(ctx.viewer, row)
      ? ctx.loaders.redemptionById.load(row.redemptionId)
      : null,
  failure: (row) => (row.state === 'FAILED' ? row.errorCode : null),
};

export const Booking: BookingResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  passBooking: async (booking, _args, ctx) => {
    const row = await ctx.loaders.passBookingByBookingId.load(booking.id);
    return row && canSeePassBooking(ctx.viewer, row) ? row : null;
  },
};
