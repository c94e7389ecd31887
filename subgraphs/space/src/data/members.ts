import { foldText, type CursorKey } from '@tiers-lieux/schema';
import {
  and,
  arrayOverlaps,
  asc,
  desc,
  eq,
  inArray,
  isNull,
  like,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import {
  members,
  memberships,
  visits,
  type Audience,
  type MemberRow,
  type MembershipRow,
  type NewMemberRow,
  type VisitRow,
} from '../db/schema.js';
import { pageOfRows, type Page } from './spaces.js';
import { containsPattern, rowAfter } from './sql.js';

export interface MemberQuery {
  text?: string | null;
  skills?: readonly string[] | null;
  profiles?: readonly Audience[] | null;
  /** Members with a membership of this space current on `today`. */
  spaceId?: string | null;
  today: string;
  /**
   * What the viewer may list: every member, or only those in the directory (plus the record of
   * the person the viewer is), searched by what the directory shows of them.
   */
  visibility: { all: true } | { all: false; selfPersonId: string | null };
}

export function memberSortKey(row: MemberRow): CursorKey {
  return [row.nameKey, row.id];
}

export async function getMembersByIds(db: Db, ids: readonly string[]): Promise<MemberRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(members)
    .where(inArray(members.id, [...ids]));
}

function currentMembershipOf(spaceIds: readonly string[], today: string): SQL {
  return sql`(select ${memberships.memberId} from ${memberships}
    where ${inArray(memberships.spaceId, [...spaceIds])}
      and ${memberships.since} <= ${today}::date
      and (${memberships.until} is null or ${memberships.until} >= ${today}::date))`;
}

function conditions(query: MemberQuery): SQL[] {
  const where: (SQL | undefined)[] = [];
  if (!query.visibility.all) {
    where.push(
      query.visibility.selfPersonId
        ? or(eq(members.isInDirectory, true), eq(members.personId, query.visibility.selfPersonId))
        : eq(members.isInDirectory, true),
    );
  }
  // Skills kept out of the directory are found only by those who may see every member.
  const shownSkillKeys = sql`(select coalesce(array_agg(k), '{}') from unnest(${members.skillKeys}) k
    where not k = any(${members.hiddenSkillKeys}))`;
  if (query.text) {
    const pattern = containsPattern(query.text);
    where.push(
      query.visibility.all
        ? like(members.searchText, pattern)
        : or(
            like(members.nameKey, pattern),
            sql`exists (select 1 from unnest(${shownSkillKeys}) k where k like ${pattern})`,
          ),
    );
  }
  if (query.skills?.length) {
    const keys = query.skills.map(foldText);
    where.push(
      query.visibility.all
        ? arrayOverlaps(members.skillKeys, keys)
        : sql`${shownSkillKeys} && array[${sql.join(
            keys.map((key) => sql`${key}`),
            sql`, `,
          )}]::text[]`,
    );
  }
  if (query.profiles?.length) where.push(inArray(members.profile, [...query.profiles]));
  if (query.spaceId)
    where.push(inArray(members.id, currentMembershipOf([query.spaceId], query.today)));
  return where.filter((c): c is SQL => c !== undefined);
}

/** One page of members, by folded display name then id. */
export async function pageMembers(
  db: Db,
  params: { query: MemberQuery; first: number; after: CursorKey | null },
): Promise<Page<MemberRow>> {
  const where = conditions(params.query);
  if (params.after) {
    const [nameKey, id] = params.after;
    where.push(
      rowAfter(
        [sql`${members.nameKey} COLLATE "C"`, sql`${members.id}`],
        [sql`${String(nameKey)}::text COLLATE "C"`, sql`${String(id)}::uuid`],
      ),
    );
  }
  const rows = await db
    .select()
    .from(members)
    .where(and(...where))
    .orderBy(sql`${members.nameKey} COLLATE "C"`, asc(members.id))
    .limit(params.first + 1);
  return pageOfRows(db, rows, params.first, {
    table: members,
    where: and(...conditions(params.query)),
  });
}

/** Members with a membership current on `today`, for each space, by display name. */
export async function listCurrentMembersBySpaceIds(
  db: Db,
  params: { spaceIds: readonly string[]; today: string },
): Promise<(MemberRow & { spaceId: string })[]> {
  if (params.spaceIds.length === 0) return [];
  const rows = await db
    .select({ member: members, spaceId: memberships.spaceId })
    .from(memberships)
    .innerJoin(members, eq(members.id, memberships.memberId))
    .where(
      and(
        inArray(memberships.spaceId, [...params.spaceIds]),
        sql`${memberships.since} <= ${params.today}::date`,
        or(isNull(memberships.until), sql`${memberships.until} >= ${params.today}::date`),
      ),
    )
    .orderBy(sql`${members.nameKey} COLLATE "C"`, asc(members.id));
  // A member may hold two current memberships of one space (a card and a month, say).
  const seen = new Set<string>();
  return rows.flatMap(({ member, spaceId }) => {
    const key = `${spaceId}/${member.id}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ ...member, spaceId }];
  });
}

export async function listMembershipsByMemberIds(
  db: Db,
  memberIds: readonly string[],
): Promise<MembershipRow[]> {
  if (memberIds.length === 0) return [];
  return db
    .select()
    .from(memberships)
    .where(inArray(memberships.memberId, [...memberIds]))
    .orderBy(desc(memberships.since), asc(memberships.id));
}

/** The `first` most recent visits of each member, in one query. */
export async function listRecentVisitsByMemberIds(
  db: Db,
  params: { memberIds: readonly string[]; first: number },
): Promise<VisitRow[]> {
  if (params.memberIds.length === 0) return [];
  const ranked = db
    .select({
      id: visits.id,
      rank: sql<number>`row_number() over (partition by ${visits.memberId} order by ${visits.checkedInAt} desc, ${visits.id})`.as(
        'rank',
      ),
    })
    .from(visits)
    .where(inArray(visits.memberId, [...params.memberIds]))
    .as('ranked');
  const rows = await db
    .select({ visit: visits })
    .from(visits)
    .innerJoin(ranked, eq(ranked.id, visits.id))
    .where(sql`${ranked.rank} <= ${params.first}`)
    .orderBy(desc(visits.checkedInAt), asc(visits.id));
  return rows.map((r) => r.visit);
}

export async function listOpenVisitsByMemberIds(
  db: Db | Tx,
  memberIds: readonly string[],
): Promise<VisitRow[]> {
  if (memberIds.length === 0) return [];
  return db
    .select()
    .from(visits)
    .where(and(inArray(visits.memberId, [...memberIds]), isNull(visits.checkedOutAt)));
}

export type MemberValues = Omit<
  NewMemberRow,
  'id' | 'nameKey' | 'skillKeys' | 'searchText' | 'createdAt' | 'directoryOptInAt'
>;
export type MembershipValues = Omit<MembershipRow, 'id' | 'memberId'>;

/** The columns computed from a member's values (bulk loaders such as `pnpm bench` use them too). */
export function derivedColumns(values: Pick<MemberValues, 'displayName' | 'skills'>) {
  const skills = values.skills ?? [];
  return {
    nameKey: foldText(values.displayName),
    skillKeys: skills.map(foldText),
    searchText: foldText([values.displayName, ...skills].join(' ')),
  };
}

async function emailTaken(db: Db | Tx, email: string, exceptId?: string): Promise<boolean> {
  const [row] = await db
    .select({ id: members.id })
    .from(members)
    .where(sql`lower(${members.email}) = lower(${email})`)
    .limit(1);
  return row !== undefined && row.id !== exceptId;
}

async function personTaken(
  db: Db | Tx,
  personId: string | null | undefined,
  exceptId?: string,
): Promise<boolean> {
  if (!personId) return false;
  const [row] = await db
    .select({ id: members.id })
    .from(members)
    .where(eq(members.personId, personId))
    .limit(1);
  return row !== undefined && row.id !== exceptId;
}

const UNIQUE_VIOLATION = '23505';

interface DriverError {
  code?: unknown;
  /** postgres.js names the constraint here, */
  constraint_name?: unknown;
  /** and PGlite here. */
  constraint?: unknown;
}

/** The unique index a write violated (each driver wraps its error its own way), or null. */
export function violatedUniqueIndex(error: unknown): string | null {
  for (const e of [error, (error as { cause?: unknown } | null)?.cause] as (DriverError | null)[]) {
    if (e?.code === UNIQUE_VIOLATION) {
      const name = e.constraint_name ?? e.constraint;
      return typeof name === 'string' ? name : '';
    }
  }
  return null;
}

function isUniqueViolation(error: unknown): boolean {
  return violatedUniqueIndex(error) !== null;
}

type MemberRefusal = 'EMAIL_TAKEN' | 'PERSON_TAKEN' | 'UNKNOWN_MEMBER';
export type MemberOutcome = { ok: true; member: MemberRow } | { ok: false; reason: MemberRefusal };

/** What a unique violation of a member write means; a race the pre-checks could not see. */
function memberConflict(error: unknown): MemberOutcome | null {
  const index = violatedUniqueIndex(error);
  if (index === null) return null;
  return { ok: false, reason: index === 'members_one_per_person' ? 'PERSON_TAKEN' : 'EMAIL_TAKEN' };
}

/** Inserts a member and a first membership in one transaction; the email is unique (case-insensitive). */
export async function createMember(
  db: Db,
  params: { values: MemberValues; membership?: MembershipValues | null; id?: string },
): Promise<MemberOutcome> {
  try {
    return await db.transaction(async (tx) => {
      if (await emailTaken(tx, params.values.email))
        return { ok: false, reason: 'EMAIL_TAKEN' } as const;
      if (await personTaken(tx, params.values.personId))
        return { ok: false, reason: 'PERSON_TAKEN' } as const;
      const [member] = await tx
        .insert(members)
        .values({
          ...params.values,
          ...derivedColumns(params.values),
          directoryOptInAt: params.values.isInDirectory ? sql`now()` : null,
          ...(params.id ? { id: params.id } : {}),
        })
        .returning();
      if (params.membership)
        await tx.insert(memberships).values({ ...params.membership, memberId: member!.id });
      return { ok: true, member: member! } as const;
    });
  } catch (error) {
    const conflict = memberConflict(error);
    if (conflict) return conflict;
    throw error;
  }
}

export async function updateMember(
  db: Db,
  params: { id: string; changes: Partial<MemberValues> },
): Promise<MemberOutcome> {
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(members)
        .where(eq(members.id, params.id))
        .for('update');
      if (!current) return { ok: false, reason: 'UNKNOWN_MEMBER' } as const;
      if (params.changes.email && (await emailTaken(tx, params.changes.email, params.id))) {
        return { ok: false, reason: 'EMAIL_TAKEN' } as const;
      }
      if (await personTaken(tx, params.changes.personId, params.id)) {
        return { ok: false, reason: 'PERSON_TAKEN' } as const;
      }
      const next = { ...current, ...params.changes };
      const skillKeys = derivedColumns(next).skillKeys;
      const [member] = await tx
        .update(members)
        .set({
          ...params.changes,
          ...derivedColumns(next),
          // A skill hidden from the directory and then dropped is hidden no more.
          hiddenSkillKeys: next.hiddenSkillKeys?.filter((key) => skillKeys.includes(key)) ?? [],
          // Dated when the member opts in, kept while they stay in, cleared when they opt out.
          directoryOptInAt: !next.isInDirectory
            ? null
            : current.isInDirectory && current.directoryOptInAt
              ? current.directoryOptInAt
              : sql`now()`,
        })
        .where(eq(members.id, params.id))
        .returning();
      return { ok: true, member: member! } as const;
    });
  } catch (error) {
    const conflict = memberConflict(error);
    if (conflict) return conflict;
    throw error;
  }
}

export type MembershipOutcome =
  | { ok: true; membership: MembershipRow; member: MemberRow }
  | { ok: false; reason: 'UNKNOWN_MEMBER' | 'ALREADY_MEMBER' };

/**
 * Adds a membership to an existing member, unless they already hold the same plan of the same
 * space over an overlapping period. The member's row is locked meanwhile, so two adds of one
 * member are one after the other and the check holds.
 */
export async function addMembership(
  db: Db,
  values: MembershipValues & { memberId: string },
): Promise<MembershipOutcome> {
  return db.transaction(async (tx) => {
    const [member] = await tx
      .select()
      .from(members)
      .where(eq(members.id, values.memberId))
      .for('update');
    if (!member) return { ok: false, reason: 'UNKNOWN_MEMBER' } as const;
    const [overlapping] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(
        and(
          eq(memberships.memberId, values.memberId),
          eq(memberships.spaceId, values.spaceId),
          eq(memberships.plan, values.plan),
          or(isNull(memberships.until), sql`${memberships.until} >= ${values.since}::date`),
          values.until ? sql`${memberships.since} <= ${values.until}::date` : undefined,
        ),
      )
      .limit(1);
    if (overlapping) return { ok: false, reason: 'ALREADY_MEMBER' } as const;
    const [row] = await tx.insert(memberships).values(values).returning();
    return { ok: true, membership: row!, member } as const;
  });
}

export type VisitOutcome =
  | { ok: true; visit: VisitRow }
  | { ok: false; reason: 'UNKNOWN_MEMBER' | 'ALREADY_CHECKED_IN' | 'NOT_CHECKED_IN' };

async function checkMemberIn(
  tx: Tx,
  params: { memberId: string; spaceId: string; at: Date; passId?: string | null },
): Promise<VisitOutcome> {
  const [member] = await tx
    .select({ id: members.id })
    .from(members)
    .where(eq(members.id, params.memberId))
    .for('update');
  if (!member) return { ok: false, reason: 'UNKNOWN_MEMBER' };
  const [open] = await listOpenVisitsByMemberIds(tx, [params.memberId]);
  if (open) return { ok: false, reason: 'ALREADY_CHECKED_IN' };
  const [visit] = await tx
    .insert(visits)
    .values({
      kind: 'MEMBER',
      memberId: params.memberId,
      spaceId: params.spaceId,
      passId: params.passId ?? null,
      checkedInAt: params.at,
    })
    .returning();
  return { ok: true, visit: visit! };
}

/** Opens a visit; a member has at most one open visit (a partial unique index guards it). */
export async function checkIn(
  db: Db,
  params: { memberId: string; spaceId: string; at: Date },
): Promise<VisitOutcome> {
  try {
    return await db.transaction((tx) => checkMemberIn(tx, params));
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'ALREADY_CHECKED_IN' };
    throw error;
  }
}

/**
 * Opens the visit of a person of the network: as the member they are here, if they are one,
 * else as a visitor from the network. A person has at most one open visit as a visitor (a
 * partial unique index guards it).
 */
export async function checkInVisitor(
  db: Db,
  params: { personId: string; spaceId: string; passId: string | null; at: Date },
): Promise<VisitOutcome> {
  try {
    return await db.transaction(async (tx) => {
      const [member] = await tx
        .select({ id: members.id })
        .from(members)
        .where(eq(members.personId, params.personId));
      if (member) return checkMemberIn(tx, { ...params, memberId: member.id });
      const [open] = await tx
        .select({ id: visits.id })
        .from(visits)
        .where(and(eq(visits.personId, params.personId), isNull(visits.checkedOutAt)));
      if (open) return { ok: false, reason: 'ALREADY_CHECKED_IN' } as const;
      const [visit] = await tx
        .insert(visits)
        .values({
          kind: 'NETWORK_VISITOR',
          personId: params.personId,
          spaceId: params.spaceId,
          passId: params.passId,
          checkedInAt: params.at,
        })
        .returning();
      return { ok: true, visit: visit! } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'ALREADY_CHECKED_IN' };
    throw error;
  }
}

/** Closes an open visit by its id (a visitor's, or a member's). */
export async function checkOutVisit(
  db: Db,
  params: { visitId: string; at: Date },
): Promise<VisitOutcome> {
  const [visit] = await db
    .update(visits)
    .set({
      checkedOutAt: sql`greatest(${visits.checkedInAt}, ${params.at.toISOString()}::timestamptz)`,
    })
    .where(and(eq(visits.id, params.visitId), isNull(visits.checkedOutAt)))
    .returning();
  return visit ? { ok: true, visit } : { ok: false, reason: 'NOT_CHECKED_IN' };
}

export async function checkOut(
  db: Db,
  params: { memberId: string; at: Date },
): Promise<VisitOutcome> {
  const [visit] = await db
    .update(visits)
    .set({
      checkedOutAt: sql`greatest(${visits.checkedInAt}, ${params.at.toISOString()}::timestamptz)`,
    })
    .where(and(eq(visits.memberId, params.memberId), isNull(visits.checkedOutAt)))
    .returning();
  return visit ? { ok: true, visit } : { ok: false, reason: 'NOT_CHECKED_IN' };
}

/** Who is checked in at these spaces now, latest arrival first, at most `first` per space. */
export async function listOpenVisitsBySpaceIds(
  db: Db,
  params: { spaceIds: readonly string[]; first: number },
): Promise<VisitRow[]> {
  if (params.spaceIds.length === 0) return [];
  const rows = await db
    .select()
    .from(visits)
    .where(and(inArray(visits.spaceId, [...params.spaceIds]), isNull(visits.checkedOutAt)))
    .orderBy(desc(visits.checkedInAt), asc(visits.id));
  const perSpace = new Map<string, number>();
  return rows.filter((v) => {
    const n = (perSpace.get(v.spaceId) ?? 0) + 1;
    perSpace.set(v.spaceId, n);
    return n <= params.first;
  });
}
