import { foldText, type CursorKey } from '@tiers-lieux/schema';
import {
  and,
  asc,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNotNull,
  like,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { oweNothing, type Owe } from '../mail/notice.js';
import { settleEvent } from './registrations.js';
import {
  events,
  registrations,
  spaces,
  type EventRow,
  type NewEventRow,
  type RegistrationRow,
} from '../db/schema.js';
import { pageOfRows, type Page } from './spaces.js';
import { containsPattern, rowAfter } from './sql.js';

export interface EventQuery {
  /** Events ending after this instant. */
  from: Date;
  /** Events starting before this instant. */
  to?: Date | null;
  spaceIds?: readonly string[] | null;
  kinds?: readonly EventRow['kind'][] | null;
  departments?: readonly string[] | null;
  statuses?: readonly EventRow['status'][] | null;
  text?: string | null;
}

/** The sort key of an event in the calendar, as carried by its cursor: start (epoch ms), id. */
export function eventSortKey(row: EventRow): CursorKey {
  return [row.startsAt.getTime(), row.id];
}

export async function getEventsByIds(db: Db, ids: readonly string[]): Promise<EventRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(events)
    .where(inArray(events.id, [...ids]));
}

function conditions(query: EventQuery): SQL[] {
  const where: SQL[] = [gt(events.endsAt, query.from)];
  if (query.to) where.push(lt(events.startsAt, query.to));
  if (query.spaceIds) where.push(inArray(events.spaceId, [...query.spaceIds]));
  if (query.kinds?.length) where.push(inArray(events.kind, [...query.kinds]));
  if (query.statuses?.length) where.push(inArray(events.status, [...query.statuses]));
  if (query.text) where.push(like(events.searchText, containsPattern(query.text)));
  if (query.departments?.length) {
    where.push(inArray(events.spaceId, sqlSpaceIdsInDepartments(query.departments)));
  }
  return where;
}

function sqlSpaceIdsInDepartments(departments: readonly string[]): SQL {
  return sql`(select ${spaces.id} from ${spaces} where ${inArray(spaces.department, [...departments])})`;
}

/** One page of the calendar, in start order then id. */
export async function pageEvents(
  db: Db,
  params: { query: EventQuery; first: number; after: CursorKey | null },
): Promise<Page<EventRow>> {
  const where = conditions(params.query);
  if (params.after) {
    const [startsAtMs, id] = params.after;
    where.push(
      rowAfter(
        [sql`${events.startsAt}`, sql`${events.id}`],
        [sql`${new Date(Number(startsAtMs)).toISOString()}::timestamptz`, sql`${String(id)}::uuid`],
      ),
    );
  }
  const rows = await db
    .select()
    .from(events)
    .where(and(...where))
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(params.first + 1);
  return pageOfRows(db, rows, params.first, {
    table: events,
    where: and(...conditions(params.query)),
  });
}

/** The next `first` events (not ended at `now`) of each space, in one query. */
export async function listUpcomingEventsBySpaceIds(
  db: Db,
  params: { spaceIds: readonly string[]; now: Date; first: number },
): Promise<EventRow[]> {
  if (params.spaceIds.length === 0) return [];
  const ranked = db
    .select({
      id: events.id,
      rank: sql<number>`row_number() over (partition by ${events.spaceId} order by ${events.startsAt}, ${events.id})`.as(
        'rank',
      ),
    })
    .from(events)
    .where(and(inArray(events.spaceId, [...params.spaceIds]), gt(events.endsAt, params.now)))
    .as('ranked');
  return db
    .select(getTableColumns(events))
    .from(events)
    .innerJoin(ranked, eq(ranked.id, events.id))
    .where(sql`${ranked.rank} <= ${params.first}`)
    .orderBy(asc(events.startsAt), asc(events.id));
}

export interface SeatCounts {
  eventId: string;
  confirmed: number;
  waiting: number;
  /** Pending registrations: seats held for a confirmation by mail. */
  held: number;
}

export async function countSeatsByEventIds(
  db: Db | Tx,
  eventIds: readonly string[],
): Promise<SeatCounts[]> {
  if (eventIds.length === 0) return [];
  return db
    .select({
      eventId: registrations.eventId,
      confirmed: sql<number>`count(*) filter (where ${registrations.status} = 'CONFIRMED')`.mapWith(
        Number,
      ),
      waiting: sql<number>`count(*) filter (where ${registrations.status} = 'WAITING')`.mapWith(
        Number,
      ),
      held: sql<number>`count(*) filter (where ${registrations.status} = 'PENDING')`.mapWith(
        Number,
      ),
    })
    .from(registrations)
    .where(inArray(registrations.eventId, [...eventIds]))
    .groupBy(registrations.eventId);
}

export type EventValues = Omit<NewEventRow, 'id' | 'searchText' | 'createdAt'>;

/** The search column of an event (bulk loaders such as `pnpm bench` use it too). */
export function searchTextOf(values: Pick<EventValues, 'title' | 'description'>): string {
  return foldText([values.title, values.description].filter(Boolean).join(' '));
}

export async function createEvent(
  db: Db,
  values: EventValues & { id?: string },
): Promise<EventRow> {
  const [row] = await db
    .insert(events)
    .values({ ...values, searchText: searchTextOf(values) })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** Changes that attendees are told of: when, and what. */
const NOTIFIED_CHANGES = ['startsAt', 'endsAt', 'title', 'spaceId'] as const;

export async function updateEvent(
  db: Db,
  params: { id: string; changes: Partial<EventValues>; now?: Date; owe?: Owe },
): Promise<
  | { ok: true; event: EventRow }
  | { ok: false; reason: 'UNKNOWN_EVENT' | 'CAPACITY_BELOW_CONFIRMED' | 'ENDS_BEFORE_START' }
> {
  const owe = params.owe ?? oweNothing;
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(events).where(eq(events.id, params.id)).for('update');
    if (!current) return { ok: false, reason: 'UNKNOWN_EVENT' };
    const next = { ...current, ...params.changes };
    if (next.endsAt <= next.startsAt) return { ok: false, reason: 'ENDS_BEFORE_START' };
    const [seats] = await countSeatsByEventIds(tx, [params.id]);
    const confirmed = seats?.confirmed ?? 0;
    if (next.capacity !== null && next.capacity !== undefined && next.capacity < confirmed) {
      return { ok: false, reason: 'CAPACITY_BELOW_CONFIRMED' };
    }
    const [row] = await tx
      .update(events)
      .set({ ...params.changes, searchText: searchTextOf(next) })
      .where(eq(events.id, params.id))
      .returning();
    const changed = NOTIFIED_CHANGES.some((key) => String(current[key]) !== String(row![key]));
    if (changed) await owe(tx, { kind: 'event-changed', eventId: params.id });
    await settleEvent(tx, row!, { now: params.now ?? new Date(), owe });
    return { ok: true, event: row! };
  });
}

/** Cancels an event; everyone registered is told, in the same transaction. */
export async function cancelEvent(
  db: Db,
  id: string,
  options: { owe?: Owe } = {},
): Promise<EventRow | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(events)
      .set({ status: 'CANCELLED' })
      .where(and(eq(events.id, id), eq(events.status, 'SCHEDULED')))
      .returning();
    if (!row) {
      const [existing] = await tx.select().from(events).where(eq(events.id, id));
      return existing ?? null;
    }
    await (options.owe ?? oweNothing)(tx, { kind: 'event-cancelled', eventId: id });
    return row;
  });
}

/**
 * Offers the seats to waiting registrations in arrival order, as many as `freeSeats` (all of
 * them when null, for an event without a capacity): each becomes pending, its seat held until
 * `holdUntil` for its confirmation. A guest's waiting registration whose address is not
 * confirmed yet is passed over. The caller holds the event's row lock.
 */
export async function promoteWaiting(
  db: Db | Tx,
  eventId: string,
  freeSeats: number | null,
  holdUntil: Date,
): Promise<RegistrationRow[]> {
  if (freeSeats !== null && freeSeats <= 0) return [];
  const next = db
    .select({ id: registrations.id })
    .from(registrations)
    .where(
      and(
        eq(registrations.eventId, eventId),
        eq(registrations.status, 'WAITING'),
        or(
          isNotNull(registrations.memberId),
          isNotNull(registrations.personId),
          isNotNull(registrations.emailConfirmedAt),
        ),
      ),
    )
    .orderBy(asc(registrations.arrival));
  // A person registered as themselves cannot be asked by mail (the partner has no address):
  // the freed seat is theirs at once, as it was before holds.
  const asked = sql`${registrations.personId} IS NULL OR ${registrations.memberId} IS NOT NULL`;
  return db
    .update(registrations)
    .set({
      status: sql`CASE WHEN ${asked} THEN 'PENDING' ELSE 'CONFIRMED' END::registration_status`,
      holdUntil: sql`CASE WHEN ${asked} THEN ${holdUntil.toISOString()}::timestamptz END`,
    })
    .where(inArray(registrations.id, freeSeats === null ? next : next.limit(freeSeats)))
    .returning();
}
