import { and, asc, count, desc, eq, gt, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  events,
  members,
  registrations,
  visits,
  type MemberRow,
  type RegistrationRow,
  type VisitRow,
} from '../db/schema.js';
import { oweNothing, type Owe } from '../mail/notice.js';
import { settleEvent } from './registrations.js';
import { derivedColumns } from './members.js';

/** The member records of people of the network, by the uuid of `network:person:<uuid>`. */
export async function listMembersByPersonIds(
  db: Db,
  personIds: readonly string[],
): Promise<MemberRow[]> {
  if (personIds.length === 0) return [];
  return db
    .select()
    .from(members)
    .where(inArray(members.personId, [...personIds]))
    .orderBy(asc(members.id));
}

/** The member records of these people, as a subquery of member ids. */
function memberIdsOf(personIds: readonly string[]): SQL {
  return sql`(select ${members.id} from ${members} where ${inArray(members.personId, [...personIds])})`;
}

export type RegistrationWhen = 'UPCOMING' | 'PAST' | 'ALL';

/** A registration with the person it belongs to: the registered member's, or the person's own. */
export type PersonRegistrationRow = RegistrationRow & { ownerPersonId: string };

/**
 * The first `first` registrations of each person, through their member records or as
 * themselves, in the events' start order (then arrival), in one query.
 */
export async function listRegistrationsByPersonIds(
  db: Db,
  params: { personIds: readonly string[]; when: RegistrationWhen; now: Date; first: number },
): Promise<PersonRegistrationRow[]> {
  if (params.personIds.length === 0) return [];
  const owner = sql<string>`coalesce(${registrations.personId}, ${members.personId})`;
  const when = {
    UPCOMING: gt(events.endsAt, params.now),
    PAST: lte(events.endsAt, params.now),
    ALL: undefined,
  }[params.when];
  const ranked = db
    .select({
      id: registrations.id,
      owner: owner.as('owner'),
      rank: sql<number>`row_number() over (partition by ${owner} order by ${events.startsAt}, ${registrations.arrival})`.as(
        'rank',
      ),
    })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .leftJoin(members, eq(members.id, registrations.memberId))
    .where(
      and(
        or(
          inArray(registrations.personId, [...params.personIds]),
          inArray(registrations.memberId, memberIdsOf(params.personIds)),
        ),
        when,
      ),
    )
    .as('ranked');
  const rows = await db
    .select({ registration: registrations, owner: ranked.owner })
    .from(registrations)
    .innerJoin(ranked, eq(ranked.id, registrations.id))
    .innerJoin(events, eq(events.id, registrations.eventId))
    .where(sql`${ranked.rank} <= ${params.first}`)
    .orderBy(asc(events.startsAt), asc(registrations.arrival));
  return rows.map((r) => ({ ...r.registration, ownerPersonId: r.owner }));
}

/** A visit with the person it belongs to: the member's, or the visitor's. */
export type PersonVisitRow = VisitRow & { ownerPersonId: string };

/** The `first` most recent visits of each person, as a member or a visitor, in one query. */
export async function listRecentVisitsByPersonIds(
  db: Db,
  params: { personIds: readonly string[]; first: number },
): Promise<PersonVisitRow[]> {
  if (params.personIds.length === 0) return [];
  const owner = sql<string>`coalesce(${visits.personId}, ${members.personId})`;
  const ranked = db
    .select({
      id: visits.id,
      owner: owner.as('owner'),
      rank: sql<number>`row_number() over (partition by ${owner} order by ${visits.checkedInAt} desc, ${visits.id})`.as(
        'rank',
      ),
    })
    .from(visits)
    .leftJoin(members, eq(members.id, visits.memberId))
    .where(
      or(
        inArray(visits.personId, [...params.personIds]),
        inArray(visits.memberId, memberIdsOf(params.personIds)),
      ),
    )
    .as('ranked');
  const rows = await db
    .select({ visit: visits, owner: ranked.owner })
    .from(visits)
    .innerJoin(ranked, eq(ranked.id, visits.id))
    .where(sql`${ranked.rank} <= ${params.first}`)
    .orderBy(desc(visits.checkedInAt), asc(visits.id));
  return rows.map((r) => ({ ...r.visit, ownerPersonId: r.owner }));
}

/** What a pseudonymised member record and registration show in place of the person. */
export const ERASED_MEMBER_NAME = 'Membre effacé';
export const ERASED_PERSON_NAME = 'Personne effacée';

export interface ErasedCounts {
  erasedMembers: number;
  erasedRegistrations: number;
  unlinkedVisits: number;
}

/**
 * Erases what this partner holds about a person, in one transaction: their live registrations
 * to events that have not ended are cancelled (a freed seat goes to the waiting list), their
 * member records and registrations as a person are pseudonymised, and their visits lose the
 * link to them but stay, counted.
 */
export async function erasePersonData(
  db: Db,
  params: { personId: string; now: Date; owe?: Owe },
): Promise<ErasedCounts> {
  return db.transaction(async (tx) => {
    const owned = await tx
      .select({ id: members.id })
      .from(members)
      .where(eq(members.personId, params.personId));
    const memberIds = owned.map((m) => m.id);
    const theirs = or(
      eq(registrations.personId, params.personId),
      memberIds.length ? inArray(registrations.memberId, memberIds) : undefined,
    );
    const live = await tx
      .select({ id: registrations.id, eventId: registrations.eventId })
      .from(registrations)
      .innerJoin(events, eq(events.id, registrations.eventId))
      .where(and(theirs, ne(registrations.status, 'CANCELLED'), gt(events.endsAt, params.now)))
      .orderBy(asc(registrations.eventId), asc(registrations.id));
    // As cancelRegistration does: the event's lock first, then the registration as it is now.
    for (const { id, eventId } of live) {
      const [event] = await tx.select().from(events).where(eq(events.id, eventId)).for('update');
      const [current] = await tx
        .select({ status: registrations.status })
        .from(registrations)
        .where(eq(registrations.id, id));
      if (!event || !current || current.status === 'CANCELLED') continue;
      await tx.update(registrations).set({ status: 'CANCELLED' }).where(eq(registrations.id, id));
      if (current.status === 'CONFIRMED' || current.status === 'PENDING')
        await settleEvent(tx, event, { now: params.now, owe: params.owe ?? oweNothing });
    }
    const asPerson = await tx
      .update(registrations)
      .set({ personId: null, personName: ERASED_PERSON_NAME, personEmail: null })
      .where(eq(registrations.personId, params.personId))
      .returning({ id: registrations.id });
    const asMember = memberIds.length
      ? await tx
          .select({ id: registrations.id })
          .from(registrations)
          .where(inArray(registrations.memberId, memberIds))
      : [];
    for (const id of memberIds) {
      await tx
        .update(members)
        .set({
          displayName: ERASED_MEMBER_NAME,
          email: `efface-${id}@invalid`,
          phone: null,
          profile: null,
          skills: [],
          hiddenSkillKeys: [],
          isInDirectory: false,
          directoryOptInAt: null,
          personId: null,
          erasedAt: params.now,
          ...derivedColumns({ displayName: ERASED_MEMBER_NAME, skills: [] }),
        })
        .where(eq(members.id, id));
    }
    const unlinked = await tx
      .update(visits)
      .set({ personId: null })
      .where(eq(visits.personId, params.personId))
      .returning({ id: visits.id });
    const [memberVisits] = memberIds.length
      ? await tx.select({ n: count() }).from(visits).where(inArray(visits.memberId, memberIds))
      : [];
    return {
      erasedMembers: memberIds.length,
      erasedRegistrations: asPerson.length + asMember.length,
      unlinkedVisits: unlinked.length + (memberVisits?.n ?? 0),
    };
  });
}
