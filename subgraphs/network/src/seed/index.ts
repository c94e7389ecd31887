import { parisDate, startOfParisDay } from '@tiers-lieux/schema';
import { SEEDED_PEOPLE } from '@tiers-lieux/schema/seed-people';
import { parsePartnerId, personId } from '../ids.js';
import type { Db } from '../db/client.js';
import { createPartner, listPartners } from '../data/partners.js';
import { issuePass, redeemPass, voidRedemption } from '../data/passes.js';
import { grantRole } from '../data/people.js';
import { createProduct, getProductsByIds } from '../data/products.js';
import { persons } from '../db/schema.js';
import {
  SEED_COORDINATOR,
  SEED_PARTNERS,
  SEED_PASSES,
  SEED_PRODUCTS,
  seededManagerOf,
  seededPersonOfMember,
} from './network.js';

export { SEED_PARTNERS } from './network.js';

const DAY_MS = 86_400_000;

/** `hour`:00 in Paris, `daysAgo` days before `now`. */
function parisHour(now: Date, daysAgo: number, hour: number): Date {
  return new Date(startOfParisDay(parisDate(now), -daysAgo).getTime() + hour * 3_600_000);
}

/**
 * The people of `SEEDED_PEOPLE` with their roles, granted by the seeded coordinator, and no
 * identity: the first sign-in with a verified seeded email takes its person.
 */
export async function seedPeople(db: Db, now: Date): Promise<void> {
  await db.insert(persons).values(
    SEEDED_PEOPLE.map((p) => ({
      id: p.uuid,
      displayName: p.displayName,
      email: p.email,
      createdAt: now,
    })),
  );
  for (const person of SEEDED_PEOPLE) {
    const roles = [
      ...(person.coordinator ? [{ role: 'COORDINATOR' as const, partnerSlug: null }] : []),
      ...(person.manages ?? []).map((slug) => ({ role: 'MANAGER' as const, partnerSlug: slug })),
      ...(person.staffs ?? []).map((slug) => ({ role: 'STAFF' as const, partnerSlug: slug })),
    ];
    for (const role of roles) {
      await grantRole(db, {
        ...role,
        personId: person.uuid,
        grantedBy: SEED_COORDINATOR.uuid,
        now,
      });
    }
  }
}

/**
 * Seeds the registry with the four partners of the embedded network, the seeded people and
 * their roles, the pass products of the articles and a few passes spent over the last weeks
 * (held by the seeded members' persons), unless partners exist already. Dates
 * are relative to `now`, so a settlement of the last 30 days always shows lines. The partners'
 * subgraph URLs are the embedded network's ports, unless `subgraphUrls` names others by slug.
 */
export async function seedNetwork(
  db: Db,
  now: Date,
  subgraphUrls: Readonly<Record<string, string>> = {},
): Promise<boolean> {
  if ((await listPartners(db)).length > 0) return false;
  for (const partner of SEED_PARTNERS) {
    await createPartner(db, {
      ...partner,
      subgraphUrl: subgraphUrls[partner.slug] ?? partner.subgraphUrl,
      joinedAt: new Date(now.getTime() - 400 * DAY_MS),
    });
  }
  await seedPeople(db, new Date(now.getTime() - 400 * DAY_MS));
  for (const product of SEED_PRODUCTS) {
    const spaces = product.spaceIds.map((spaceId) => ({
      spaceId,
      hostSlug: parsePartnerId(spaceId, 'space')!.partner,
    }));
    await createProduct(db, { id: product.id, values: product.values, spaces });
  }
  const products = new Map(
    (
      await getProductsByIds(
        db,
        SEED_PRODUCTS.map((p) => p.id),
      )
    ).map((p) => [p.id, p]),
  );
  let key = 0;
  for (const seed of SEED_PASSES) {
    const issuedAt = parisHour(now, seed.issuedDaysAgo, 10);
    const pass = await issuePass(db, {
      id: seed.id,
      code: seed.code,
      product: products.get(seed.productId)!,
      holderId: seed.holderId,
      holderPersonId: seed.holderId ? seededPersonOfMember(seed.holderId) : null,
      now: issuedAt,
    });
    for (const visit of seed.visits) {
      const startedAt = parisHour(now, visit.daysAgo, visit.at);
      const recordedAt = new Date(startedAt.getTime() + visit.minutes * 60_000);
      const outcome = await redeemPass(db, {
        code: pass.code,
        spaceId: visit.spaceId,
        startedAt,
        minutes: visit.minutes,
        idempotencyKey: `seed-redemption-${++key}`,
        now: recordedAt,
        recordedBy: personId(seededManagerOf(parsePartnerId(visit.spaceId, 'space')!.partner)),
      });
      if (!outcome.ok) throw new Error(`seed redemption refused: ${outcome.reason}`);
      if (visit.voided) {
        await voidRedemption(db, {
          redemptionId: outcome.redemption.id,
          reason: visit.voided,
          now: new Date(recordedAt.getTime() + DAY_MS),
          recordedBy: personId(SEED_COORDINATOR.uuid),
        });
      }
    }
  }
  return true;
}
