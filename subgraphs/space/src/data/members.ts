import { foldText, type CursorKey } from '@tiers-lieux/schema';
import {
  and,
  arrayOverlaps,
  asc,
  count,
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
import type { Page } from './spaces.js';
import { containsPattern, rowAfter } from './sql.js';

export interface MemberQuery {
  text?: string | null;
  skills?: readonly string[] | null;
  profiles?: readonly Audience[] | null;
  /** Members with a membership of this space current on `today`. */
  spaceId?: string | null;
  today: string;
  /**
   * What the viewer may list: every member, or only those in the directory (plus the
   * viewer's own record).
   */
  visibility: { all: true } | { all: false; selfId: string | null };
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
      query.visibility.selfId
        ? or(eq(members.isInDirectory, true), eq(members.id, query.visibility.selfId))
        : eq(members.isInDirectory, true),
    );
  }
  if (query.text) where.push(like(members.searchText, containsPattern(query.text)));
  if (query.skills?.length)
    where.push(arrayOverlaps(members.skillKeys, query.skills.map(foldText)));
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
  return {
    rows: rows.slice(0, params.first),
    hasNextPage: rows.length > params.first,
    totalCount: async () => {
      const [result] = await db
        .select({ n: count() })
        .from(members)
        .where(and(...conditions(params.query)));
      return result?.n ?? 0;
    },
  };
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
  'id' | 'nameKey' | 'skillKeys' | 'searchText' | 'createdAt'
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

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === UNIQUE_VIOLATION || e?.cause?.code === UNIQUE_VIOLATION;
}

export type MemberOutcome =
  { ok: true; member: MemberRow } | { ok: false; reason: 'EMAIL_TAKEN' | 'UNKNOWN_MEMBER' };

/** Inserts a member and a first membership in one transaction; the email is unique (case-insensitive). */
export async function createMember(
  db: Db,
  params: { values: MemberValues; membership?: MembershipValues | null; id?: string },
): Promise<MemberOutcome> {
  try {
    return await db.transaction(async (tx) => {
      if (await emailTaken(tx, params.values.email))
        return { ok: false, reason: 'EMAIL_TAKEN' } as const;
      const [member] = await tx
        .insert(members)
        .values({
          ...params.values,
          ...derivedColumns(params.values),
          ...(params.id ? { id: params.id } : {}),
        })
        .returning();
      if (params.membership)
        await tx.insert(memberships).values({ ...params.membership, memberId: member!.id });
      return { ok: true, member: member! } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'EMAIL_TAKEN' };
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
      const next = { ...current, ...params.changes };
      const [member] = await tx
        .update(members)
        .set({ ...params.changes, ...derivedColumns(next) })
        .where(eq(members.id, params.id))
        .returning();
      return { ok: true, member: member! } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'EMAIL_TAKEN' };
    throw error;
  }
}

export async function addMembership(
  db: Db,
  values: MembershipValues & { memberId: string },
): Promise<MembershipRow> {
  const [row] = await db.insert(memberships).values(values).returning();
  return row!;
}

export type VisitOutcome =
  | { ok: true; visit: VisitRow }
  | { ok: false; reason: 'UNKNOWN_MEMBER' | 'ALREADY_CHECKED_IN' | 'NOT_CHECKED_IN' };

/** Opens a visit; a member has at most one open visit (a partial unique index guards it). */
export async function checkIn(
  db: Db,
  params: { memberId: string; spaceId: string; at: Date },
): Promise<VisitOutcome> {
  try {
    return await db.transaction(async (tx) => {
      const [member] = await tx
        .select({ id: members.id })
        .from(members)
        .where(eq(members.id, params.memberId))
        .for('update');
      if (!member) return { ok: false, reason: 'UNKNOWN_MEMBER' } as const;
      const [open] = await listOpenVisitsByMemberIds(tx, [params.memberId]);
      if (open) return { ok: false, reason: 'ALREADY_CHECKED_IN' } as const;
      const [visit] = await tx
        .insert(visits)
        .values({ memberId: params.memberId, spaceId: params.spaceId, checkedInAt: params.at })
        .returning();
      return { ok: true, visit: visit! } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'ALREADY_CHECKED_IN' };
    throw error;
  }
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
