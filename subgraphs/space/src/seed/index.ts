import { instantFromParisWallClock, parisDate, parisWallClock } from '@tiers-lieux/schema';
import { SEEDED_PEOPLE } from '@tiers-lieux/schema/seed-people';
import { count } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { spaces } from '../db/schema.js';
import { createEvent } from '../data/events.js';
import { checkIn, checkInVisitor, checkOut, checkOutVisit, createMember } from '../data/members.js';
import { registerForEvent } from '../data/registrations.js';
import { createSpace } from '../data/spaces.js';
import { createResource } from '../data/resources.js';
import { SEED, type SeedEvent } from './partners.js';
import { SEED_RESOURCES } from './resources.js';

export { SEED_SPACE_IDS } from './partners.js';
export { SEED_RESOURCE_IDS } from './resources.js';

export const SEEDED_PARTNERS = Object.keys(SEED);

/** The start of a seeded event: `inDays` from today, moved to the next `weekday`, Paris time. */
export function seedEventStart(when: SeedEvent['when'], now: Date): Date {
  const today = parisWallClock(now);
  const [hour, minute] = when.at.split(':').map(Number) as [number, number];
  const base = new Date(Date.UTC(today.year, today.month - 1, today.day + when.inDays));
  if (when.weekday !== undefined) {
    base.setUTCDate(base.getUTCDate() + ((when.weekday - base.getUTCDay() + 7) % 7));
  }
  const at = (d: Date) =>
    instantFromParisWallClock({
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour,
      minute,
      second: 0,
    });
  let start = at(base);
  if (start <= now) {
    base.setUTCDate(base.getUTCDate() + (when.weekday !== undefined ? 7 : 1));
    start = at(base);
  }
  return start;
}

/** The uuid of the seeded person a member record of this partner belongs to. */
function seededPersonOf(partner: string, memberId: string): string | null {
  return SEEDED_PEOPLE.find((p) => p.members?.[partner] === memberId)?.uuid ?? null;
}

function daysAgo(now: Date, days: number): string {
  return parisDate(new Date(now.getTime() - days * 86_400_000));
}

/**
 * Seeds a partner's database with its spaces, members and upcoming events from the
 * articles, unless it already has spaces. Events are dated from `now`, so the directory
 * always shows a live week.
 */
export async function seedPartner(db: Db, partner: string, now: Date): Promise<boolean> {
  const data = SEED[partner];
  if (!data) return false;
  const [existing] = await db.select({ n: count() }).from(spaces);
  if ((existing?.n ?? 0) > 0) return false;
  for (const space of data.spaces) {
    await createSpace(db, { id: space.id, values: space.values, offers: space.offers });
  }
  for (const resource of SEED_RESOURCES[partner] ?? []) await createResource(db, resource);
  for (const member of data.members) {
    const membership = member.membership
      ? {
          spaceId: member.membership.spaceId,
          plan: member.membership.plan,
          since: daysAgo(now, member.membership.sinceDaysAgo),
          until: null,
        }
      : null;
    await createMember(db, {
      id: member.id,
      values: { ...member.values, personId: seededPersonOf(partner, member.id) },
      membership,
    });
  }
  for (const event of data.events) {
    const startsAt = seedEventStart(event.when, now);
    await createEvent(db, {
      ...event.values,
      id: event.id,
      spaceId: event.spaceId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + event.when.minutes * 60_000),
    });
  }
  // A morning at their space yesterday for every member, and the first event's first guests.
  const yesterday = new Date(now.getTime() - 86_400_000);
  for (const member of data.members) {
    if (!member.membership) continue;
    await checkIn(db, {
      memberId: member.id,
      spaceId: member.membership.spaceId,
      at: new Date(yesterday.getTime() - 4 * 3_600_000),
    });
    await checkOut(db, { memberId: member.id, at: new Date(yesterday.getTime() - 3_600_000) });
  }
  for (const visitor of data.visitors ?? []) {
    const person = SEEDED_PEOPLE.find((p) => p.email === visitor.email);
    if (!person) continue;
    const arrived = new Date(now.getTime() - visitor.daysAgo * 86_400_000 - 6 * 3_600_000);
    const visit = await checkInVisitor(db, {
      personId: person.uuid,
      spaceId: visitor.spaceId,
      passId: null,
      at: arrived,
    });
    if (visit.ok)
      await checkOutVisit(db, {
        visitId: visit.visit.id,
        at: new Date(arrived.getTime() + 3 * 3_600_000),
      });
  }
  const [firstEvent] = data.events;
  if (firstEvent) {
    for (const member of data.members)
      await registerForEvent(db, { eventId: firstEvent.id, memberId: member.id, now });
  }
  return true;
}
