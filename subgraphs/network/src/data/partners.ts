import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { partners, type NewPartnerRow, type PartnerRow } from '../db/schema.js';

export type PartnerValues = Omit<NewPartnerRow, 'status' | 'joinedAt' | 'updatedAt'>;
export type PartnerChanges = Partial<Omit<PartnerValues, 'slug'>>;

export async function listPartners(
  db: Db,
  status?: PartnerRow['status'] | null,
): Promise<PartnerRow[]> {
  return db
    .select()
    .from(partners)
    .where(status ? eq(partners.status, status) : undefined)
    .orderBy(asc(partners.slug));
}

export async function getPartnersBySlugs(db: Db, slugs: readonly string[]): Promise<PartnerRow[]> {
  if (slugs.length === 0) return [];
  return db
    .select()
    .from(partners)
    .where(inArray(partners.slug, [...slugs]));
}

/** The most partners a network holds: `Query.partners` promises clients no longer a list. */
export const MAX_PARTNERS = 100;

/** Whether the network already holds the most partners it can. */
export async function isNetworkFull(db: Db): Promise<boolean> {
  return (await db.$count(partners)) >= MAX_PARTNERS;
}

export async function createPartner(
  db: Db,
  values: PartnerValues & { joinedAt?: Date },
): Promise<
  { ok: true; partner: PartnerRow } | { ok: false; reason: 'SLUG_TAKEN' | 'NETWORK_FULL' }
> {
  if (await isNetworkFull(db)) return { ok: false, reason: 'NETWORK_FULL' };
  const [row] = await db.insert(partners).values(values).onConflictDoNothing().returning();
  return row ? { ok: true, partner: row } : { ok: false, reason: 'SLUG_TAKEN' };
}

export async function updatePartner(
  db: Db,
  params: { slug: string; changes: PartnerChanges & { status?: PartnerRow['status'] } },
): Promise<PartnerRow | null> {
  const [row] = await db
    .update(partners)
    .set({ ...params.changes, updatedAt: sql`now()` })
    .where(eq(partners.slug, params.slug))
    .returning();
  return row ?? null;
}
