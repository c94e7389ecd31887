import { compareCursorKeys, foldText, type CursorKey } from '@tiers-lieux/schema';
import {
  and,
  arrayContains,
  arrayOverlaps,
  asc,
  count,
  eq,
  getTableColumns,
  inArray,
  like,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../db/client.js';
import {
  offers,
  spaces,
  visits,
  type Amenity,
  type Audience,
  type NewSpaceRow,
  type OfferRow,
  type SpaceListRow,
  type SpaceKind,
  type SpaceRow,
  type SpaceService,
} from '../db/schema.js';
import { isOpenAt } from '../hours.js';
import { containsPattern, distanceKm, rowAfter } from './sql.js';

export interface SpaceQuery {
  text?: string | null;
  departments?: readonly string[] | null;
  /** Commune names (folded before matching) or INSEE codes. */
  communes?: readonly string[] | null;
  kinds?: readonly SpaceKind[] | null;
  amenities?: readonly Amenity[] | null;
  services?: readonly SpaceService[] | null;
  audiences?: readonly Audience[] | null;
  statuses?: readonly SpaceRow['status'][] | null;
  openAt?: Date | null;
  near?: { lat: number; lon: number; radiusKm: number } | null;
}

export type SpaceOrder = 'NAME' | 'DISTANCE';

export interface SpacePageParams {
  query: SpaceQuery;
  order: SpaceOrder;
  first: number;
  after: CursorKey | null;
}

export interface Page<Row> {
  rows: Row[];
  hasNextPage: boolean;
  totalCount: () => Promise<number>;
}

/**
 * A page from the rows read with a limit of `first + 1` (the extra one says whether more
 * follow); the list's total, `count(*)` of `table` where `where`, is counted only when asked.
 */
export function pageOfRows<Row>(
  db: Db,
  rows: Row[],
  first: number,
  total: { table: PgTable; where: SQL | undefined },
): Page<Row> {
  return {
    rows: rows.slice(0, first),
    hasNextPage: rows.length > first,
    totalCount: async () => {
      const [result] = await db.select({ n: count() }).from(total.table).where(total.where);
      return result?.n ?? 0;
    },
  };
}

/** The sort key of a listed space, as carried by its cursor. */
export function spaceSortKey(row: SpaceListRow, order: SpaceOrder): CursorKey {
  return order === 'DISTANCE' ? [row.distanceKm ?? 0, row.id] : [row.nameKey, row.id];
}

export async function getSpacesByIds(db: Db, ids: readonly string[]): Promise<SpaceRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(spaces)
    .where(inArray(spaces.id, [...ids]));
}

function conditions(query: SpaceQuery): SQL[] {
  const where: (SQL | undefined)[] = [];
  if (query.text) where.push(like(spaces.searchText, containsPattern(query.text)));
  if (query.departments?.length) where.push(inArray(spaces.department, [...query.departments]));
  if (query.communes?.length) {
    where.push(
      or(
        inArray(spaces.communeKey, query.communes.map(foldText)),
        inArray(spaces.inseeCode, [...query.communes]),
      ),
    );
  }
  if (query.kinds?.length) where.push(arrayOverlaps(spaces.kinds, [...query.kinds]));
  if (query.amenities?.length) where.push(arrayContains(spaces.amenities, [...query.amenities]));
  if (query.services?.length) where.push(arrayContains(spaces.services, [...query.services]));
  if (query.audiences?.length) where.push(arrayOverlaps(spaces.audiences, [...query.audiences]));
  if (query.statuses?.length) where.push(inArray(spaces.status, [...query.statuses]));
  if (query.near) {
    const { lat, lon, radiusKm } = query.near;
    where.push(sql`${distanceKm(sql`${spaces.lat}`, sql`${spaces.lon}`, lat, lon)} <= ${radiusKm}`);
  }
  return where.filter((c): c is SQL => c !== undefined);
}

function orderColumns(params: Pick<SpacePageParams, 'query' | 'order'>): {
  key: SQL;
  param: (value: string | number) => SQL;
} {
  const near = params.query.near;
  if (params.order === 'DISTANCE' && near) {
    return {
      key: distanceKm(sql`${spaces.lat}`, sql`${spaces.lon}`, near.lat, near.lon),
      param: (value) => sql`${value}::float8`,
    };
  }
  return {
    key: sql`${spaces.nameKey} COLLATE "C"`,
    param: (value) => sql`${value}::text COLLATE "C"`,
  };
}

async function selectSpaces(
  db: Db,
  params: Pick<SpacePageParams, 'query' | 'order'>,
  after: CursorKey | null,
  limit: number | null,
): Promise<SpaceListRow[]> {
  const { key, param } = orderColumns(params);
  const where = conditions(params.query);
  if (after)
    where.push(rowAfter([key, sql`${spaces.id}`], [param(after[0]!), sql`${after[1]}::uuid`]));
  const near = params.query.near;
  const distance = near
    ? distanceKm(sql`${spaces.lat}`, sql`${spaces.lon}`, near.lat, near.lon)
    : sql<null>`null::float8`;
  const query = db
    .select({ ...getTableColumns(spaces), distanceKm: distance.mapWith(Number) })
    .from(spaces)
    .where(and(...where))
    .orderBy(key, asc(spaces.id));
  return limit === null ? query : query.limit(limit);
}

/**
 * One page of the directory. Opening hours cannot be evaluated in SQL, so with `openAt` the
 * matching spaces are read in order and filtered and paged here (a partner has tens of
 * spaces, not thousands); otherwise the page is a keyset query.
 */
export async function pageSpaces(db: Db, params: SpacePageParams): Promise<Page<SpaceListRow>> {
  const { openAt } = params.query;
  if (openAt) {
    // As Space.isOpenAt: a project or a closed space is open at no time, whatever its hours.
    const open = (await selectSpaces(db, params, null, null)).filter(
      (row) => row.status === 'OPEN' && isOpenAt(row.openingHours, openAt),
    );
    const after = params.after;
    const rest = after
      ? open.filter((row) => compareCursorKeys(spaceSortKey(row, params.order), after) > 0)
      : open;
    return {
      rows: rest.slice(0, params.first),
      hasNextPage: rest.length > params.first,
      totalCount: async () => open.length,
    };
  }
  const rows = await selectSpaces(db, params, params.after, params.first + 1);
  return pageOfRows(db, rows, params.first, {
    table: spaces,
    where: and(...conditions(params.query)),
  });
}

export async function listOffersBySpaceIds(
  db: Db,
  spaceIds: readonly string[],
): Promise<OfferRow[]> {
  if (spaceIds.length === 0) return [];
  return db
    .select()
    .from(offers)
    .where(inArray(offers.spaceId, [...spaceIds]))
    .orderBy(asc(offers.spaceId), asc(offers.position));
}

export async function countOpenVisitsBySpaceIds(
  db: Db,
  spaceIds: readonly string[],
): Promise<{ spaceId: string; n: number }[]> {
  if (spaceIds.length === 0) return [];
  return db
    .select({ spaceId: visits.spaceId, n: count() })
    .from(visits)
    .where(and(inArray(visits.spaceId, [...spaceIds]), sql`${visits.checkedOutAt} IS NULL`))
    .groupBy(visits.spaceId);
}

export type SpaceValues = Omit<
  NewSpaceRow,
  'id' | 'nameKey' | 'searchText' | 'communeKey' | 'createdAt' | 'updatedAt'
>;
export type OfferValues = Omit<OfferRow, 'id' | 'spaceId' | 'position'>;

/** The columns computed from a space's values (bulk loaders such as `pnpm bench` use them too). */
export function derivedColumns(values: SpaceValues) {
  return {
    nameKey: foldText(values.name),
    communeKey: foldText(values.commune),
    searchText: foldText(
      [values.name, values.commune, values.description, values.accessNotes]
        .filter(Boolean)
        .join(' '),
    ),
  };
}

/** Inserts a space and its offers in one transaction. */
export async function createSpace(
  db: Db,
  params: { values: SpaceValues; offers: readonly OfferValues[]; id?: string },
): Promise<SpaceRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(spaces)
      .values({
        ...params.values,
        ...derivedColumns(params.values),
        ...(params.id ? { id: params.id } : {}),
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await replaceOffers(tx, row.id, params.offers);
    return row;
  });
}

/** Applies changes to a space (and replaces its offers when given) in one transaction. */
export async function updateSpace(
  db: Db,
  params: {
    id: string;
    changes: Partial<SpaceValues>;
    offers?: readonly OfferValues[] | undefined;
  },
): Promise<SpaceRow | null> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(spaces).where(eq(spaces.id, params.id)).for('update');
    if (!current) return null;
    const next = { ...current, ...params.changes };
    const [row] = await tx
      .update(spaces)
      .set({ ...params.changes, ...derivedColumns(next), updatedAt: new Date() })
      .where(eq(spaces.id, params.id))
      .returning();
    if (params.offers) await replaceOffers(tx, params.id, params.offers);
    return row ?? null;
  });
}

async function replaceOffers(
  db: Db | Tx,
  spaceId: string,
  values: readonly OfferValues[],
): Promise<void> {
  await db.delete(offers).where(eq(offers.spaceId, spaceId));
  if (values.length === 0) return;
  await db
    .insert(offers)
    .values(values.map((offer, position) => ({ ...offer, spaceId, position })));
}
