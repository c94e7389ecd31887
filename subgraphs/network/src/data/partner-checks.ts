import { and, count, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { partnerChecks, type NewPartnerCheckRow, type PartnerCheckRow } from '../db/schema.js';

export async function recordPartnerCheck(
  db: Db,
  values: Omit<NewPartnerCheckRow, 'id'>,
): Promise<PartnerCheckRow> {
  const [row] = await db.insert(partnerChecks).values(values).returning();
  return row!;
}

/** The latest check of each of these partners (none for a partner never checked). */
export async function listLastChecks(db: Db, slugs: readonly string[]): Promise<PartnerCheckRow[]> {
  if (slugs.length === 0) return [];
  return db
    .selectDistinctOn([partnerChecks.partnerSlug])
    .from(partnerChecks)
    .where(inArray(partnerChecks.partnerSlug, [...slugs]))
    .orderBy(partnerChecks.partnerSlug, desc(partnerChecks.checkedAt), desc(partnerChecks.id));
}

/** How many checks failed, for each of these partners that has a failed check. */
export async function countFailedChecks(
  db: Db,
  slugs: readonly string[],
): Promise<{ partnerSlug: string; failed: number }[]> {
  if (slugs.length === 0) return [];
  return db
    .select({ partnerSlug: partnerChecks.partnerSlug, failed: count() })
    .from(partnerChecks)
    .where(and(inArray(partnerChecks.partnerSlug, [...slugs]), eq(partnerChecks.ok, false)))
    .groupBy(partnerChecks.partnerSlug);
}
