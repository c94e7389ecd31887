import { and, desc, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { partners, passes, passProducts, persons, type PassRow } from '../db/schema.js';

export type PassSalesGrouping = 'PRODUCT' | 'SELLER' | 'MONTH';

export interface PassSalesBucketRow {
  key: string;
  label: string;
  passes: number;
  amountCents: number;
}

/**
 * Passes issued in [`start`, `end`), counted and summed by the database in one statement,
 * whatever the number of passes: one row per bucket, at most `limit`.
 */
export async function passSales(
  db: Db,
  params: { start: Date; end: Date; by: PassSalesGrouping; limit: number },
): Promise<PassSalesBucketRow[]> {
  const p = passes;
  const inPeriod = and(gte(p.issuedAt, params.start), lt(p.issuedAt, params.end));
  const measures = {
    passes: sql<number>`count(*)`.mapWith(Number),
    amountCents: sql<number>`coalesce(sum(${p.priceCents}), 0)`.mapWith(Number),
  };
  switch (params.by) {
    case 'PRODUCT':
      return db
        .select({
          key: sql<string>`'pass-product:' || ${passProducts.id}`,
          label: passProducts.name,
          ...measures,
        })
        .from(p)
        .innerJoin(passProducts, eq(passProducts.id, p.productId))
        .where(inPeriod)
        .groupBy(passProducts.id, passProducts.name)
        .orderBy(passProducts.name, passProducts.id)
        .limit(params.limit);
    case 'SELLER':
      return db
        .select({
          key: sql<string>`coalesce(${p.sellerSlug}, 'network')`,
          label: sql<string>`coalesce(${partners.name}, 'Réseau des tiers-lieux')`,
          ...measures,
        })
        .from(p)
        .leftJoin(partners, eq(partners.slug, p.sellerSlug))
        .where(inPeriod)
        .groupBy(p.sellerSlug, partners.name)
        .orderBy(sql`${p.sellerSlug} COLLATE "C" NULLS FIRST`)
        .limit(params.limit);
    case 'MONTH': {
      const month = sql<string>`to_char(${p.issuedAt} AT TIME ZONE 'Europe/Paris', 'YYYY-MM')`;
      return db
        .select({ key: month, label: month, ...measures })
        .from(p)
        .where(inPeriod)
        .groupBy(month)
        .orderBy(month)
        .limit(params.limit);
    }
  }
}

export interface PassPage {
  rows: PassRow[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * A page of passes, most recently issued first, after the pass (`issuedAt`, `id`) of the
 * cursor: a keyset page and a count, two statements whatever the number of passes.
 */
export async function listPasses(
  db: Db,
  params: {
    codePrefix: string | null;
    holderText: string | null;
    productId: string | null;
    after: { issuedAt: Date; id: string } | null;
    first: number;
  },
): Promise<PassPage> {
  const p = passes;
  const matches: SQL[] = [];
  if (params.codePrefix) matches.push(sql`${p.code} LIKE ${`${params.codePrefix}%`}`);
  if (params.holderText) {
    const pattern = `%${params.holderText.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    matches.push(
      sql`${p.holderPersonId} IN (${db
        .select({ id: persons.id })
        .from(persons)
        .where(or(ilike(persons.displayName, pattern), ilike(persons.email, pattern)))})`,
    );
  }
  const filter = and(
    matches.length > 0 ? or(...matches) : undefined,
    params.productId ? eq(p.productId, params.productId) : undefined,
  );
  const after = params.after
    ? sql`(${p.issuedAt}, ${p.id}) < (${params.after.issuedAt.toISOString()}::timestamptz, ${params.after.id}::uuid)`
    : undefined;
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(p)
      .where(and(filter, after))
      .orderBy(desc(p.issuedAt), desc(p.id))
      .limit(params.first + 1),
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(p)
      .where(filter),
  ]);
  return {
    rows: rows.slice(0, params.first),
    hasNextPage: rows.length > params.first,
    totalCount: count?.n ?? 0,
  };
}

export async function updateProduct(
  db: Db,
  id: string,
  changes: { name?: string; priceCents?: number; validityDays?: number },
) {
  if (Object.keys(changes).length === 0) {
    const [row] = await db.select().from(passProducts).where(eq(passProducts.id, id));
    return row ?? null;
  }
  const [row] = await db
    .update(passProducts)
    .set(changes)
    .where(eq(passProducts.id, id))
    .returning();
  return row ?? null;
}
