import { and, asc, count, eq, gt, inArray, isNotNull, isNull, lte, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { events, registrations, type EventRow, type RegistrationRow } from '../db/schema.js';
import { oweNothing, type Owe } from '../mail/notice.js';
import { countSeatsByEventIds, promoteWaiting } from './events.js';

export type RegistrationRefusal =
  | 'UNKNOWN_EVENT'
  | 'EVENT_CLOSED'
  | 'ALREADY_REGISTERED'
  | 'GUEST_LIMIT'
  | 'UNKNOWN_REGISTRATION'
  | 'ALREADY_CANCELLED';

export type RegistrationOutcome =
  /** `registration` is null for a guest registering themselves: the answer is in their mail. */
  | { ok: true; registration: RegistrationRow | null; promoted: RegistrationRow | null }
  | { ok: false; reason: RegistrationRefusal };

export async function getRegistrationsByIds(
  db: Db,
  ids: readonly string[],
): Promise<RegistrationRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(registrations)
    .where(inArray(registrations.id, [...ids]));
}

/** Live registrations (confirmed, then waiting, then pending), each group in arrival order. */
export async function listRegistrationsByEventIds(
  db: Db,
  eventIds: readonly string[],
): Promise<RegistrationRow[]> {
  if (eventIds.length === 0) return [];
  return db
    .select()
    .from(registrations)
    .where(
      and(inArray(registrations.eventId, [...eventIds]), ne(registrations.status, 'CANCELLED')),
    )
    .orderBy(asc(registrations.status), asc(registrations.arrival));
}

export async function listRegistrationsByMemberIds(
  db: Db,
  memberIds: readonly string[],
): Promise<RegistrationRow[]> {
  if (memberIds.length === 0) return [];
  return db
    .select()
    .from(registrations)
    .where(inArray(registrations.memberId, [...memberIds]))
    .orderBy(asc(registrations.arrival));
}

/**
 * What a guest registering themselves may do: register before the event starts, confirm by
 * mail within `holdMinutes`, and hold at most `maxUpcoming` confirmed registrations to upcoming
 * events under one email.
 */
export interface SelfRegistrationLimits {
  maxUpcoming: number;
  holdMinutes: number;
}

/** How long a seat freed for someone on the waiting list is held for their confirmation. */
export const PROMOTION_HOLD_MS = 24 * 3_600_000;

/** Who registers: a member, a guest by name and email, or a person of the network by name. */
export type Registrant =
  | { memberId: string; guest?: undefined; person?: undefined; selfRegistration?: undefined }
  | {
      memberId?: undefined;
      guest: { name: string; email: string };
      person?: undefined;
      selfRegistration?: SelfRegistrationLimits;
    }
  | {
      memberId?: undefined;
      guest?: undefined;
      /** `email`: the verified address mails go to, when the gateway told it (`personEmail`). */
      person: { id: string; name: string; email?: string | null };
      selfRegistration?: undefined;
    };

/**
 * Registers a member, a guest or a person of the network. The event's row is locked for the
 * whole transaction, so concurrent registrations are counted one after the other: never more
 * confirmed or held seats than the capacity, and the waiting list in the order the locks were
 * granted.
 *
 * A guest registering themselves (`selfRegistration`) is never told here whether the address
 * was registered already or holds too many registrations: the outcome is `{ ok: true,
 * registration: null }` and the mail written to that address says what applies.
 */
export async function registerForEvent(
  db: Db,
  params: { eventId: string; now: Date; owe?: Owe } & Registrant,
): Promise<RegistrationOutcome> {
  const owe = params.owe ?? oweNothing;
  return db.transaction(async (tx) => {
    const [event] = await tx
      .select()
      .from(events)
      .where(eq(events.id, params.eventId))
      .for('update');
    if (!event) return { ok: false, reason: 'UNKNOWN_EVENT' };
    const closesAt = params.selfRegistration ? event.startsAt : event.endsAt;
    if (event.status === 'CANCELLED' || closesAt <= params.now)
      return { ok: false, reason: 'EVENT_CLOSED' };
    const who = params.guest
      ? sql`lower(${registrations.guestEmail}) = lower(${params.guest.email})`
      : params.person
        ? eq(registrations.personId, params.person.id)
        : eq(registrations.memberId, params.memberId);
    const [existing] = await tx
      .select({ id: registrations.id })
      .from(registrations)
      .where(and(eq(registrations.eventId, event.id), ne(registrations.status, 'CANCELLED'), who))
      .limit(1);
    const limits = params.selfRegistration;
    if (existing) {
      if (!limits) return { ok: false, reason: 'ALREADY_REGISTERED' };
      await owe(tx, { kind: 'registration-exists', registrationId: existing.id });
      return { ok: true, registration: null, promoted: null };
    }
    if (limits && params.guest) {
      // Only confirmed addresses count, so registering someone else's address cannot lock
      // them out. Counted under the event's lock only: two events registered at once may both
      // pass with the last free slot, which overshoots the limit by one at worst.
      const [held] = await tx
        .select({ n: count() })
        .from(registrations)
        .innerJoin(events, eq(events.id, registrations.eventId))
        .where(
          and(
            ne(registrations.status, 'CANCELLED'),
            isNotNull(registrations.emailConfirmedAt),
            gt(events.endsAt, params.now),
            who,
          ),
        );
      if ((held?.n ?? 0) >= limits.maxUpcoming) {
        await owe(tx, { kind: 'guest-limit', eventId: event.id, ...params.guest });
        return { ok: true, registration: null, promoted: null };
      }
    }
    const hasSeat = (await freeSeats(tx, event)) !== 0;
    const [registration] = await tx
      .insert(registrations)
      .values({
        eventId: event.id,
        memberId: params.memberId ?? null,
        guestName: params.guest?.name ?? null,
        guestEmail: params.guest?.email ?? null,
        personId: params.person?.id ?? null,
        personName: params.person?.name ?? null,
        personEmail: params.person?.email ?? null,
        status: limits ? (hasSeat ? 'PENDING' : 'WAITING') : hasSeat ? 'CONFIRMED' : 'WAITING',
        holdUntil: limits ? new Date(params.now.getTime() + limits.holdMinutes * 60_000) : null,
        emailConfirmedAt: params.guest && !limits ? params.now : null,
      })
      .returning();
    if (limits) {
      await owe(tx, { kind: 'registration-to-confirm', registrationId: registration!.id });
      return { ok: true, registration: null, promoted: null };
    }
    if (registration!.status === 'CONFIRMED') {
      await owe(tx, { kind: 'registration-confirmed', registrationId: registration!.id });
    }
    return { ok: true, registration: registration!, promoted: null };
  });
}

/**
 * Seats neither confirmed nor held: null for an event without a capacity. The caller holds
 * the event's row lock.
 */
async function freeSeats(tx: Tx, event: EventRow): Promise<number | null> {
  if (event.capacity === null) return null;
  const [seats] = await countSeatsByEventIds(tx, [event.id]);
  return Math.max(0, event.capacity - (seats?.confirmed ?? 0) - (seats?.held ?? 0));
}

/**
 * Gives the seats that are free to the waiting list, in order, each held for its
 * confirmation; the caller holds the event's row lock.
 */
export async function settleEvent(
  tx: Tx,
  event: EventRow,
  params: { now: Date; owe: Owe },
): Promise<RegistrationRow[]> {
  if (event.status !== 'SCHEDULED' || event.endsAt <= params.now) return [];
  const holdUntil = new Date(
    Math.max(
      Math.min(params.now.getTime() + PROMOTION_HOLD_MS, event.startsAt.getTime()),
      params.now.getTime() + 30 * 60_000,
    ),
  );
  const promoted = await promoteWaiting(tx, event.id, await freeSeats(tx, event), holdUntil);
  for (const row of promoted) await params.owe(tx, { kind: 'promoted', registrationId: row.id });
  return promoted;
}

/** Locks a registration's event (always before the registration: no deadlock), then reads both. */
async function lockRegistration(tx: Tx, id: string) {
  const [found] = await tx
    .select({ eventId: registrations.eventId })
    .from(registrations)
    .where(eq(registrations.id, id));
  if (!found) return null;
  const [event] = await tx.select().from(events).where(eq(events.id, found.eventId)).for('update');
  const [current] = await tx.select().from(registrations).where(eq(registrations.id, id));
  return event && current ? { event, current } : null;
}

/** Cancels a registration; a freed seat goes to the first of the waiting list. */
export async function cancelRegistration(
  db: Db,
  id: string,
  options: { now?: Date; owe?: Owe } = {},
): Promise<RegistrationOutcome> {
  const now = options.now ?? new Date();
  const owe = options.owe ?? oweNothing;
  return db.transaction(async (tx) => {
    const locked = await lockRegistration(tx, id);
    if (!locked) return { ok: false, reason: 'UNKNOWN_REGISTRATION' };
    if (locked.current.status === 'CANCELLED') return { ok: false, reason: 'ALREADY_CANCELLED' };
    const [registration] = await tx
      .update(registrations)
      .set({ status: 'CANCELLED', holdUntil: null })
      .where(eq(registrations.id, id))
      .returning();
    const [promoted = null] = await settleEvent(tx, locked.event, { now, owe });
    return { ok: true, registration: registration!, promoted };
  });
}

/**
 * Confirms a registration by the link in its mail: a pending one takes its seat, a guest's
 * waiting one counts from now on (and may take a seat that freed up meanwhile). Confirming
 * twice changes nothing.
 */
export async function confirmRegistration(
  db: Db,
  id: string,
  options: { now: Date; owe?: Owe },
): Promise<RegistrationOutcome> {
  const owe = options.owe ?? oweNothing;
  return db.transaction(async (tx) => {
    const locked = await lockRegistration(tx, id);
    if (!locked) return { ok: false, reason: 'UNKNOWN_REGISTRATION' };
    const { current, event } = locked;
    if (current.status === 'CANCELLED') return { ok: false, reason: 'ALREADY_CANCELLED' };
    if (current.status === 'CONFIRMED' || (current.status === 'WAITING' && !current.holdUntil))
      return { ok: true, registration: current, promoted: null };
    const pending = current.status === 'PENDING';
    await tx
      .update(registrations)
      .set({
        status: pending ? 'CONFIRMED' : 'WAITING',
        holdUntil: null,
        emailConfirmedAt: current.emailConfirmedAt ?? options.now,
      })
      .where(eq(registrations.id, id));
    if (pending) await owe(tx, { kind: 'registration-confirmed', registrationId: id });
    else await settleEvent(tx, event, { now: options.now, owe });
    const [registration] = await tx.select().from(registrations).where(eq(registrations.id, id));
    return { ok: true, registration: registration!, promoted: null };
  });
}

/**
 * Releases the holds whose time is up (pending seats, unconfirmed guests on the waiting list)
 * and gives the freed seats to the waiting list. Safe to run in several replicas at once: each
 * event is settled under its row lock, and a row already released is left alone.
 */
export async function releaseExpiredHolds(
  db: Db,
  params: { now: Date; owe?: Owe; batch?: number },
): Promise<number> {
  const owe = params.owe ?? oweNothing;
  const expired = await db
    .selectDistinct({ eventId: registrations.eventId })
    .from(registrations)
    .where(
      and(
        lte(registrations.holdUntil, params.now),
        inArray(registrations.status, ['PENDING', 'WAITING']),
      ),
    )
    .limit(params.batch ?? 100);
  let released = 0;
  for (const { eventId } of expired) {
    released += await db.transaction(async (tx) => {
      const [event] = await tx.select().from(events).where(eq(events.id, eventId)).for('update');
      if (!event) return 0;
      const rows = await tx
        .update(registrations)
        .set({ status: 'CANCELLED', holdUntil: null })
        .where(
          and(
            eq(registrations.eventId, eventId),
            lte(registrations.holdUntil, params.now),
            inArray(registrations.status, ['PENDING', 'WAITING']),
          ),
        )
        .returning({ id: registrations.id });
      await settleEvent(tx, event, { now: params.now, owe });
      return rows.length;
    });
  }
  return released;
}

/**
 * Writes the reminders of the day before: confirmed registrations to scheduled events that
 * start within a day, each once (`remindedAt`, claimed with SKIP LOCKED so replicas share).
 */
export async function remindTomorrow(
  db: Db,
  params: { now: Date; owe?: Owe; batch?: number },
): Promise<number> {
  const owe = params.owe ?? oweNothing;
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: registrations.id })
      .from(registrations)
      .innerJoin(events, eq(events.id, registrations.eventId))
      .where(
        and(
          eq(registrations.status, 'CONFIRMED'),
          isNull(registrations.remindedAt),
          eq(events.status, 'SCHEDULED'),
          gt(events.startsAt, params.now),
          lte(events.startsAt, new Date(params.now.getTime() + 24 * 3_600_000)),
        ),
      )
      .limit(params.batch ?? 200)
      .for('update', { of: registrations, skipLocked: true });
    if (due.length === 0) return 0;
    await tx
      .update(registrations)
      .set({ remindedAt: params.now })
      .where(
        inArray(
          registrations.id,
          due.map((r) => r.id),
        ),
      );
    for (const { id } of due) await owe(tx, { kind: 'reminder', registrationId: id });
    return due.length;
  });
}

/** For a waiting registration, its rank in the waiting list (1 is next). */
export function waitingPositions(rows: readonly RegistrationRow[]): Map<string, number> {
  const positions = new Map<string, number>();
  let rank = 0;
  for (const row of [...rows].sort((a, b) => a.arrival - b.arrival)) {
    if (row.status === 'WAITING') positions.set(row.id, ++rank);
  }
  return positions;
}

export type DoorCheckIn =
  | { ok: true; registration: RegistrationRow }
  | { ok: false; reason: 'UNKNOWN_REGISTRATION' | 'NOT_CONFIRMED' };

/** Marks a confirmed registration as come (or not, with `undo`); the first check-in time stays. */
export async function checkInAtDoor(
  db: Db,
  params: { id: string; undo: boolean; at: Date },
): Promise<DoorCheckIn> {
  const [current] = await db.select().from(registrations).where(eq(registrations.id, params.id));
  if (!current) return { ok: false, reason: 'UNKNOWN_REGISTRATION' };
  if (current.status !== 'CONFIRMED') return { ok: false, reason: 'NOT_CONFIRMED' };
  const [row] = await db
    .update(registrations)
    .set({ checkedInAt: params.undo ? null : (current.checkedInAt ?? params.at) })
    .where(eq(registrations.id, params.id))
    .returning();
  return { ok: true, registration: row! };
}
