import { and, asc, count, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { events, registrations, type RegistrationRow } from '../db/schema.js';
import { countSeatsByEventIds, promoteWaiting } from './events.js';

export type RegistrationRefusal =
  | 'UNKNOWN_EVENT'
  | 'EVENT_CLOSED'
  | 'ALREADY_REGISTERED'
  | 'GUEST_LIMIT'
  | 'UNKNOWN_REGISTRATION'
  | 'ALREADY_CANCELLED';

export type RegistrationOutcome =
  | { ok: true; registration: RegistrationRow; promoted: RegistrationRow | null }
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

/** Live registrations (confirmed, then waiting), each group in arrival order. */
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
 * What a guest registering themselves may do: register before the event starts, and hold at
 * most `maxUpcoming` live registrations to upcoming events under one email.
 */
export interface SelfRegistrationLimits {
  maxUpcoming: number;
}

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
      person: { id: string; name: string };
      selfRegistration?: undefined;
    };

/**
 * Registers a member, a guest or a person of the network. The event's row is locked for the whole transaction, so
 * concurrent registrations are counted one after the other: never more confirmed seats than
 * the capacity, and the waiting list in the order the locks were granted.
 */
export async function registerForEvent(
  db: Db,
  params: { eventId: string; now: Date } & Registrant,
): Promise<RegistrationOutcome> {
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
    if (existing) return { ok: false, reason: 'ALREADY_REGISTERED' };
    if (params.selfRegistration) {
      // Counted under the event's lock only: two events registered at once may both pass
      // with the last free slot, which overshoots the limit by one at worst.
      const [held] = await tx
        .select({ n: count() })
        .from(registrations)
        .innerJoin(events, eq(events.id, registrations.eventId))
        .where(and(ne(registrations.status, 'CANCELLED'), gt(events.endsAt, params.now), who));
      if ((held?.n ?? 0) >= params.selfRegistration.maxUpcoming)
        return { ok: false, reason: 'GUEST_LIMIT' };
    }
    const [seats] = await countSeatsByEventIds(tx, [event.id]);
    const hasSeat = event.capacity === null || (seats?.confirmed ?? 0) < event.capacity;
    const [registration] = await tx
      .insert(registrations)
      .values({
        eventId: event.id,
        memberId: params.memberId ?? null,
        guestName: params.guest?.name ?? null,
        guestEmail: params.guest?.email ?? null,
        personId: params.person?.id ?? null,
        personName: params.person?.name ?? null,
        status: hasSeat ? 'CONFIRMED' : 'WAITING',
      })
      .returning();
    return { ok: true, registration: registration!, promoted: null };
  });
}

/** Cancels a registration; a freed confirmed seat goes to the first of the waiting list. */
export async function cancelRegistration(db: Db, id: string): Promise<RegistrationOutcome> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ eventId: registrations.eventId })
      .from(registrations)
      .where(eq(registrations.id, id));
    if (!found) return { ok: false, reason: 'UNKNOWN_REGISTRATION' };
    // Same lock order as registerForEvent (event, then registrations): no deadlock between them.
    const [event] = await tx
      .select()
      .from(events)
      .where(eq(events.id, found.eventId))
      .for('update');
    const [current] = await tx.select().from(registrations).where(eq(registrations.id, id));
    if (!event || !current) return { ok: false, reason: 'UNKNOWN_REGISTRATION' };
    if (current.status === 'CANCELLED') return { ok: false, reason: 'ALREADY_CANCELLED' };
    const [registration] = await tx
      .update(registrations)
      .set({ status: 'CANCELLED' })
      .where(eq(registrations.id, id))
      .returning();
    let promoted: RegistrationRow | null = null;
    if (current.status === 'CONFIRMED' && event.status === 'SCHEDULED') {
      [promoted = null] = await promoteWaiting(tx, event.id, 1);
    }
    return { ok: true, registration: registration!, promoted };
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
