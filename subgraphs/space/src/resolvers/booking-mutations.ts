import { checked, ensure, int, text } from '@tiers-lieux/subgraph-shell';
import type {
  BookingErrorCode,
  CreateResourceInput,
  MutationResolvers,
  UpdateResourceInput,
} from '../__generated__/resolvers-types.js';
import {
  assertAllowed,
  canActForOneself,
  canCancelBooking,
  canManageResources,
  canWorkBookingDesk,
  isNetworkService,
  viewerPersonUuid,
} from '../access.js';
import {
  bookingPriceCents,
  freeCancellationUntil,
  REFUSAL_MESSAGES,
  refusalOf,
} from '../booking-rules.js';
import type { Context } from '../context.js';
import * as bookingData from '../data/bookings.js';
import * as resourceData from '../data/resources.js';
import type { BookingRow, NewResourceRow, ResourceRow } from '../db/schema.js';
import { ForbiddenError } from '../errors.js';
import { checkOpeningHours } from '../hours.js';
import { localId, personUuid } from '../ids.js';
import { bookingOwner } from './Booking.js';

export interface BookingError {
  code: BookingErrorCode;
  message: string;
  field: string | null;
}

function bookingError(code: BookingErrorCode, message: string, field?: string): BookingError {
  return { code, message, field: field ?? null };
}

const failed = (error: BookingError) => ({ booking: null, isFreeCancellation: null, error });
const done = (
  booking: BookingRow | null | undefined,
  isFreeCancellation: boolean | null = null,
) => ({
  booking: booking ?? null,
  isFreeCancellation,
  error: null,
});

type Found<T> = { ok: true; value: T } | { ok: false; error: BookingError };

/** The active resources an input names, all of one space of this partner, the first one first. */
async function bookedResources(
  ctx: Context,
  ids: readonly string[],
): Promise<Found<ResourceRow[]>> {
  const rows: ResourceRow[] = [];
  for (const [i, id] of ids.entries()) {
    const field = i === 0 ? 'input.resourceId' : 'input.alsoBook';
    const local = localId(ctx, id, 'resource');
    if (!local.ok && local.reason === 'MALFORMED')
      return {
        ok: false,
        error: bookingError('INVALID_INPUT', `${field} is not a resource id`, field),
      };
    const row = local.ok ? await ctx.loaders.resourceById.load(local.uuid) : null;
    if (!row || !row.isActive)
      return {
        ok: false,
        error: bookingError('UNKNOWN_RESOURCE', `No resource ${id} at ${ctx.partner}`, field),
      };
    if (rows.some((r) => r.id === row.id))
      return {
        ok: false,
        error: bookingError('INVALID_INPUT', `${field} names a resource twice`, field),
      };
    if (rows[0] && row.spaceId !== rows[0].spaceId)
      return {
        ok: false,
        error: bookingError('INVALID_INPUT', 'input.alsoBook must be of the same space', field),
      };
    rows.push(row);
  }
  return { ok: true, value: rows };
}

/** Why the rules of the resources refuse the range, as the payload's error; null when they allow it. */
async function rulesRefusal(
  ctx: Context,
  resources: readonly ResourceRow[],
  range: { startsAt: Date; endsAt: Date },
): Promise<BookingError | null> {
  const space = await ctx.loaders.spaceById.load(resources[0]!.spaceId);
  for (const resource of resources) {
    if (!space || space.status !== 'OPEN')
      return bookingError(
        'UNKNOWN_RESOURCE',
        'The space of this resource is not open',
        'input.resourceId',
      );
    const refusal = refusalOf(resource, space.openingHours, { ...range, now: ctx.now });
    if (refusal)
      return bookingError(refusal, REFUSAL_MESSAGES[refusal](resource), 'input.startsAt');
  }
  return null;
}

const priceOf = (range: { startsAt: Date; endsAt: Date }) => (resource: ResourceRow) =>
  bookingPriceCents(resource, (range.endsAt.getTime() - range.startsAt.getTime()) / 60_000);

function priceCents(value: number | null | undefined, field: string) {
  return value === undefined || value === null ? value : int(value, field, 0, 10_000_000);
}

function resourceFields(input: CreateResourceInput | UpdateResourceInput) {
  const hours =
    input.bookableHours === undefined || input.bookableHours === null
      ? input.bookableHours
      : checkOpeningHours(input.bookableHours);
  if (hours && !hours.ok) ensure(false, hours.message, 'input.bookableHours');
  const values: Partial<NewResourceRow> = {
    name: input.name == null ? undefined : text(input.name, 'input.name', 120),
    description:
      input.description == null
        ? input.description
        : text(input.description, 'input.description', 2000),
    capacity: input.capacity == null ? undefined : int(input.capacity, 'input.capacity', 1, 500),
    pricePerHourCents: priceCents(input.pricePerHourCents, 'input.pricePerHourCents'),
    pricePerHalfDayCents: priceCents(input.pricePerHalfDayCents, 'input.pricePerHalfDayCents'),
    pricePerDayCents: priceCents(input.pricePerDayCents, 'input.pricePerDayCents'),
    bookableHours: hours === undefined || hours === null ? hours : hours.ok ? hours.value : null,
    minMinutes:
      input.minMinutes == null ? undefined : int(input.minMinutes, 'input.minMinutes', 15, 10080),
    maxMinutes:
      input.maxMinutes == null ? undefined : int(input.maxMinutes, 'input.maxMinutes', 15, 10080),
    maxDaysAhead:
      input.maxDaysAhead == null
        ? undefined
        : int(input.maxDaysAhead, 'input.maxDaysAhead', 0, 366),
    freeCancellationHours:
      input.freeCancellationHours == null
        ? undefined
        : int(input.freeCancellationHours, 'input.freeCancellationHours', 0, 24 * 60),
    acceptsPass: input.acceptsPass ?? undefined,
  };
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined),
  ) as Partial<NewResourceRow>;
}

function minMaxProblem(row: { minMinutes: number; maxMinutes: number }): BookingError | null {
  return row.maxMinutes < row.minMinutes
    ? bookingError(
        'INVALID_INPUT',
        'input.maxMinutes must be at least input.minMinutes',
        'input.maxMinutes',
      )
    : null;
}

function assertNetworkService(ctx: Context, action: string): void {
  if (!isNetworkService(ctx)) throw new ForbiddenError(action);
}

/** The saga's key: what the network generated, never anything else. */
function sagaKey(value: string): Found<string> {
  return /^[A-Za-z0-9:_-]{8,100}$/.test(value)
    ? { ok: true, value }
    : {
        ok: false,
        error: bookingError('INVALID_INPUT', 'input.key is not a saga key', 'input.key'),
      };
}

export const bookingMutations: Pick<
  MutationResolvers,
  | 'createResource'
  | 'updateResource'
  | 'bookResource'
  | 'cancelBooking'
  | 'holdBooking'
  | 'confirmBooking'
  | 'releaseBooking'
  | 'cancelSagaBooking'
> = {
  createResource: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canManageResources(ctx), 'set up resources');
    const space = localId(ctx, input.spaceId, 'space');
    const row = space.ok ? await ctx.loaders.spaceById.load(space.uuid) : null;
    if (!row)
      return {
        resource: null,
        error: bookingError(
          'UNKNOWN_SPACE',
          `No space ${input.spaceId} at ${ctx.partner}`,
          'input.spaceId',
        ),
      };
    const fields = checked(() => resourceFields(input));
    if (!fields.ok)
      return { resource: null, error: { ...fields.error, field: fields.error.field ?? null } };
    const values = { minMinutes: 30, maxMinutes: 600, ...fields.value };
    const problem = minMaxProblem(values);
    if (problem) return { resource: null, error: problem };
    const created = await resourceData.createResource(ctx.db, {
      ...values,
      name: text(input.name, 'input.name', 120),
      spaceId: row.id,
      kind: input.kind,
    });
    return { resource: created, error: null };
  },

  updateResource: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canManageResources(ctx), 'set up resources');
    const local = localId(ctx, input.id, 'resource');
    const existing = local.ok ? await ctx.loaders.resourceById.load(local.uuid) : null;
    if (!existing)
      return {
        resource: null,
        error: bookingError(
          'UNKNOWN_RESOURCE',
          `No resource ${input.id} at ${ctx.partner}`,
          'input.id',
        ),
      };
    const fields = checked(() => resourceFields(input));
    if (!fields.ok)
      return { resource: null, error: { ...fields.error, field: fields.error.field ?? null } };
    const changes = {
      ...fields.value,
      ...(input.isActive == null ? {} : { isActive: input.isActive }),
    };
    const problem = minMaxProblem({ ...existing, ...changes });
    if (problem) return { resource: null, error: problem };
    return {
      resource: await resourceData.updateResource(ctx.db, existing.id, changes),
      error: null,
    };
  },

  bookResource: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canActForOneself(ctx), 'book resources');
    const forSomeoneElse =
      input.memberId != null || input.personId != null || input.guestName != null;
    assertAllowed(ctx, !forSomeoneElse || canWorkBookingDesk(ctx), 'book for someone else');
    assertAllowed(ctx, !input.included || canWorkBookingDesk(ctx), 'book as included in a plan');
    const found = await bookedResources(ctx, [input.resourceId, ...(input.alsoBook ?? [])]);
    if (!found.ok) return failed(found.error);
    let who: { memberId: string | null; personId: string | null; name: string };
    if (input.memberId != null) {
      const local = localId(ctx, input.memberId, 'member');
      const member = local.ok ? await ctx.loaders.memberById.load(local.uuid) : null;
      if (!member || member.erasedAt)
        return failed(
          bookingError(
            'UNKNOWN_MEMBER',
            `No member ${input.memberId} at ${ctx.partner}`,
            'input.memberId',
          ),
        );
      who = { memberId: member.id, personId: null, name: member.displayName };
    } else if (input.personId != null) {
      const uuid = personUuid(input.personId);
      if (!uuid)
        return failed(
          bookingError('INVALID_INPUT', 'input.personId is not a person id', 'input.personId'),
        );
      const [member] = await ctx.loaders.membersByPersonId.load(uuid);
      const name = checked(() =>
        text(
          input.guestName ?? member?.displayName ?? 'Personne du réseau',
          'input.guestName',
          120,
        ),
      );
      if (!name.ok) return failed({ ...name.error, field: name.error.field ?? null });
      who = { memberId: member?.id ?? null, personId: uuid, name: name.value };
    } else if (input.guestName != null) {
      const name = checked(() => text(input.guestName!, 'input.guestName', 120));
      if (!name.ok) return failed({ ...name.error, field: name.error.field ?? null });
      who = { memberId: null, personId: null, name: name.value };
    } else {
      const uuid = viewerPersonUuid(ctx)!;
      const [member] = await ctx.loaders.membersByPersonId.load(uuid);
      who = {
        memberId: member?.id ?? null,
        personId: uuid,
        name: member?.displayName ?? 'Personne du réseau',
      };
    }
    const range = { startsAt: input.startsAt, endsAt: input.endsAt };
    const refusal = await rulesRefusal(ctx, found.value, range);
    if (refusal) return failed(refusal);
    const outcome = await bookingData.bookResources(ctx.db, {
      resources: found.value,
      ...range,
      status: 'CONFIRMED',
      payment: input.included ? 'INCLUDED' : 'AT_DESK',
      ...who,
      bookedForName: who.name,
      passId: null,
      sagaKey: null,
      priceCents: input.included ? () => null : priceOf(range),
    });
    if (!outcome.ok)
      return failed(
        bookingError('SLOT_TAKEN', 'Another booking holds part of this range', 'input.startsAt'),
      );
    return done(outcome.bundle[0]);
  },

  cancelBooking: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canActForOneself(ctx), 'cancel bookings');
    const local = localId(ctx, input.id, 'booking');
    const booking = local.ok ? await ctx.loaders.bookingById.load(local.uuid) : null;
    const unknown = bookingError(
      'UNKNOWN_BOOKING',
      `No booking ${input.id} at ${ctx.partner}`,
      'input.id',
    );
    if (!booking) return failed(unknown);
    if (!canCancelBooking(ctx, { personId: await bookingOwner(ctx, booking) })) {
      assertAllowed(ctx, false, 'cancel this booking');
    }
    if (booking.payment === 'PASS')
      return failed(
        bookingError(
          'PAID_WITH_PASS',
          "A booking paid with a pass is cancelled with the network's cancelPassBooking",
          'input.id',
        ),
      );
    if (booking.status !== 'CONFIRMED')
      return failed(bookingError('ALREADY_CANCELLED', 'This booking is not live', 'input.id'));
    const bundle = await bookingData.cancelBundle(ctx.db, {
      bundleId: booking.bundleId,
      now: ctx.now,
    });
    return done(bundle.find((b) => b.id === booking.id));
  },

  holdBooking: async (_parent, { input }, ctx) => {
    assertNetworkService(ctx, 'hold bookings');
    const key = sagaKey(input.key);
    if (!key.ok) return failed(key.error);
    const existing = await bookingData.listBundleBySagaKey(ctx.db, key.value);
    if (existing.length > 0) return done(existing[0]);
    const found = await bookedResources(ctx, [input.resourceId, ...(input.alsoBook ?? [])]);
    if (!found.ok) return failed(found.error);
    if (!found.value[0]!.acceptsPass)
      return failed(
        bookingError(
          'PASS_NOT_ACCEPTED',
          'This resource does not take network passes',
          'input.resourceId',
        ),
      );
    const personId = personUuid(input.personId);
    if (!personId)
      return failed(
        bookingError('INVALID_INPUT', 'input.personId is not a person id', 'input.personId'),
      );
    const name = checked(() => text(input.name, 'input.name', 120));
    if (!name.ok) return failed({ ...name.error, field: name.error.field ?? null });
    const range = { startsAt: input.startsAt, endsAt: input.endsAt };
    const refusal = await rulesRefusal(ctx, found.value, range);
    if (refusal) return failed(refusal);
    const [member] = await ctx.loaders.membersByPersonId.load(personId);
    const outcome = await bookingData.bookResources(ctx.db, {
      resources: found.value,
      ...range,
      status: 'HELD',
      payment: 'PASS',
      memberId: member?.id ?? null,
      personId,
      bookedForName: name.value,
      passId: input.passId,
      sagaKey: key.value,
      priceCents: () => null,
    });
    if (!outcome.ok)
      return failed(
        bookingError('SLOT_TAKEN', 'Another booking holds part of this range', 'input.startsAt'),
      );
    return done(outcome.bundle[0]);
  },

  confirmBooking: async (_parent, { input }, ctx) => {
    assertNetworkService(ctx, 'confirm bookings');
    const key = sagaKey(input.key);
    if (!key.ok) return failed(key.error);
    const step = await bookingData.confirmHold(ctx.db, key.value);
    if (step.ok) return done(step.bundle[0]);
    return failed(
      bookingError(
        'HOLD_RELEASED',
        `The hold of this key is ${step.reason.toLowerCase().replace('_', ' ')}`,
        'input.key',
      ),
    );
  },

  releaseBooking: async (_parent, { input }, ctx) => {
    assertNetworkService(ctx, 'release bookings');
    const key = sagaKey(input.key);
    if (!key.ok) return failed(key.error);
    const step = await bookingData.releaseHold(ctx.db, key.value);
    if (step.ok) return done(step.bundle[0]);
    return failed(
      bookingError('ALREADY_CONFIRMED', 'The booking of this key is confirmed', 'input.key'),
    );
  },

  cancelSagaBooking: async (_parent, { input }, ctx) => {
    assertNetworkService(ctx, 'cancel pass-paid bookings');
    const key = sagaKey(input.key);
    if (!key.ok) return failed(key.error);
    const [first] = await bookingData.listBundleBySagaKey(ctx.db, key.value);
    if (!first || first.status === 'RELEASED' || first.status === 'HELD')
      return failed(
        bookingError('UNKNOWN_BOOKING', 'No confirmed booking of this key', 'input.key'),
      );
    const resource = await ctx.loaders.resourceById.load(first.resourceId);
    const freeUntil = freeCancellationUntil(resource!, first.startsAt);
    const bundle =
      first.status === 'CONFIRMED'
        ? await bookingData.cancelBundle(ctx.db, { bundleId: first.bundleId, now: ctx.now })
        : [first];
    const cancelled = bundle.find((b) => b.id === first.id)!;
    return done(cancelled, cancelled.cancelledAt !== null && cancelled.cancelledAt <= freeUntil);
  },
};
