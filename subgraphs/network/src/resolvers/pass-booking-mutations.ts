import { createHash } from 'node:crypto';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { actingPerson, assertAllowed, canBookWithPass, canSeePassBooking } from '../access.js';
import type { Context } from '../context.js';
import { entriesFor, getPassByCode } from '../data/passes.js';
import type { PassBookingRow } from '../db/schema.js';
import { userError, type NetworkUserError } from '../errors.js';
import { parseNetworkId } from '../ids.js';
import { checked, passBookingInput } from './inputs.js';
import { publicState } from './PassBooking.js';

/** The refusals of the ledger that a booking passes on as they are. */
const LEDGER_REFUSALS = new Set([
  'UNKNOWN_CODE',
  'NOT_VALID_AT_SPACE',
  'PARTNER_SUSPENDED',
  'EXPIRED',
  'NOT_ENOUGH_ENTRIES',
]);

/** Why a pass-paid booking failed, as the payload's error. */
function failureError(row: PassBookingRow): NetworkUserError {
  const code = row.errorCode ?? 'PARTNER_UNAVAILABLE';
  if (LEDGER_REFUSALS.has(code))
    return userError(
      code as 'NOT_ENOUGH_ENTRIES',
      `The pass cannot pay for this booking (${code})`,
      'input.passCode',
    );
  if (code === 'PARTNER_UNAVAILABLE' || code === 'INTERRUPTED')
    return userError(
      'PARTNER_UNAVAILABLE',
      'The host partner did not answer: nothing was booked nor spent',
    );
  return userError('BOOKING_REFUSED', `The host partner refused the booking (${code})`);
}

/**
 * The saga's key for a person's request: the client's key is theirs alone (two people using
 * the same key make two bookings), and the host and the ledger see a key the network made.
 */
function sagaKey(personUuid: string, clientKey: string): string {
  return `pb-${createHash('sha256').update(`${personUuid}\n${clientKey}`).digest('hex').slice(0, 40)}`;
}

function unknownBooking(): NetworkUserError {
  return userError(
    'UNKNOWN_BOOKING',
    'The network has no confirmed pass-paid booking with this id',
  );
}

export const passBookingMutations: Pick<MutationResolvers, 'bookWithPass' | 'cancelPassBooking'> = {
  bookWithPass: async (_parent, { input }, ctx: Context) => {
    assertAllowed(ctx.viewer, canBookWithPass(ctx.viewer), 'book with a pass');
    const asked = checked(() => passBookingInput(input));
    if (!asked.ok) return { passBooking: null, error: asked.error };
    const host = await ctx.loaders.partnerBySlug.load(asked.value.hostSlug);
    if (!host)
      return {
        passBooking: null,
        error: userError(
          'UNKNOWN_PARTNER',
          `The network has no partner "${asked.value.hostSlug}"`,
          'input.resourceId',
        ),
      };
    const pass = await getPassByCode(ctx.db, asked.value.code);
    if (!pass)
      return {
        passBooking: null,
        error: userError('UNKNOWN_CODE', 'No pass has this code', 'input.passCode'),
      };
    const minutes = (asked.value.endsAt.getTime() - asked.value.startsAt.getTime()) / 60_000;
    // Checked again, under the pass's lock, when the entries are spent; here it spares a hold.
    if (entriesFor(Math.ceil(minutes), pass.entryMinutes) > pass.entriesLeft)
      return {
        passBooking: null,
        error: userError(
          'NOT_ENOUGH_ENTRIES',
          'The pass has fewer entries left than this booking needs',
          'input.passCode',
        ),
      };
    const personUuid = actingPerson(ctx.viewer)!;
    const row = await ctx.saga.book({
      key: sagaKey(personUuid, asked.value.idempotencyKey),
      personId: personUuid,
      passId: pass.id,
      hostSlug: host.slug,
      resourceIds: asked.value.resourceIds,
      startsAt: asked.value.startsAt,
      endsAt: asked.value.endsAt,
      name: await bookingName(ctx, personUuid),
    });
    return { passBooking: row, error: publicState(row) === 'FAILED' ? failureError(row) : null };
  },

  cancelPassBooking: async (_parent, { id }, ctx: Context) => {
    assertAllowed(ctx.viewer, canBookWithPass(ctx.viewer), 'cancel pass-paid bookings');
    const uuid = parseNetworkId(id, 'pass-booking');
    const row = uuid ? await ctx.loaders.passBookingById.load(uuid) : null;
    if (!row) return { passBooking: null, error: unknownBooking() };
    assertAllowed(ctx.viewer, canSeePassBooking(ctx.viewer, row), 'cancel this booking');
    if (row.state === 'CANCELLED' || row.state === 'CANCELLING')
      return { passBooking: row, error: null };
    if (row.state !== 'CONFIRMED') return { passBooking: row, error: unknownBooking() };
    return { passBooking: await ctx.saga.cancel(row), error: null };
  },
};

/** The name the host books under: the person's display name. */
async function bookingName(ctx: Context, personUuid: string): Promise<string> {
  const person = await ctx.loaders.personById.load(personUuid);
  return person?.displayName ?? 'Personne du réseau';
}
