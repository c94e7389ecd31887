import DataLoader from 'dataloader';
import { byKey, listBy } from '@tiers-lieux/subgraph-shell';
import type { Db } from './db/client.js';
import type {
  LedgerEntryRow,
  PartnerCheckRow,
  PartnerRow,
  PassProductRow,
  PassBookingRow,
  PassProductSpaceRow,
  PassRow,
  PersonIdentityRow,
  PersonRow,
  RoleGrantRow,
} from './db/schema.js';
import {
  getPersonsByIds,
  listIdentitiesByPersonIds,
  listLiveGrantsByPersonIds,
} from './data/people.js';
import { countFailedChecks, listLastChecks } from './data/partner-checks.js';
import { getPartnersBySlugs } from './data/partners.js';
import { getPassBookingsByBookingIds, getPassBookingsByIds } from './data/pass-bookings.js';
import {
  getPassesByIds,
  getRedemptionsByIds,
  listPassesByHolderIds,
  listPassesByHolderPersonIds,
  listRedemptionsByPassIds,
  listVoidsOf,
} from './data/passes.js';
import {
  getProductsByIds,
  listProductsBySellers,
  listProductsBySpaceIds,
  listProductSpaces,
} from './data/products.js';

/** The loaders of one request: every read of a field goes through them, batched per tick. */
export function createLoaders(db: Db) {
  return {
    partnerBySlug: byKey<PartnerRow, string>(
      (slugs) => getPartnersBySlugs(db, slugs),
      (p) => p.slug,
    ),
    lastCheckBySlug: byKey<PartnerCheckRow, string>(
      (slugs) => listLastChecks(db, slugs),
      (c) => c.partnerSlug,
    ),
    failedCheckCountBySlug: new DataLoader<string, number>(async (slugs) => {
      const counts = new Map(
        (await countFailedChecks(db, slugs)).map((c) => [c.partnerSlug, c.failed]),
      );
      return slugs.map((slug) => counts.get(slug) ?? 0);
    }),
    productById: byKey<PassProductRow, string>(
      (ids) => getProductsByIds(db, ids),
      (p) => p.id,
    ),
    productsBySeller: listBy<PassProductRow, string>(
      (slugs) => listProductsBySellers(db, slugs),
      (p) => p.sellerSlug!,
    ),
    productsBySpaceId: listBy<PassProductRow & { spaceId: string }, string>(
      (ids) => listProductsBySpaceIds(db, ids),
      (p) => p.spaceId,
    ),
    spacesByProductId: listBy<PassProductSpaceRow, string>(
      (ids) => listProductSpaces(db, ids),
      (s) => s.productId,
    ),
    passById: byKey<PassRow, string>(
      (ids) => getPassesByIds(db, ids),
      (p) => p.id,
    ),
    passesByHolderId: listBy<PassRow, string>(
      (ids) => listPassesByHolderIds(db, ids),
      (p) => p.holderId!,
    ),
    passesByHolderPersonId: listBy<PassRow, string>(
      (ids) => listPassesByHolderPersonIds(db, ids),
      (p) => p.holderPersonId!,
    ),
    personById: byKey<PersonRow, string>(
      (ids) => getPersonsByIds(db, ids),
      (p) => p.id,
    ),
    liveGrantsByPersonId: listBy<RoleGrantRow, string>(
      (ids) => listLiveGrantsByPersonIds(db, ids),
      (g) => g.personId,
    ),
    identitiesByPersonId: listBy<PersonIdentityRow, string>(
      (ids) => listIdentitiesByPersonIds(db, ids),
      (i) => i.personId,
    ),
    redemptionById: byKey<LedgerEntryRow, string>(
      (ids) => getRedemptionsByIds(db, ids),
      (r) => r.id,
    ),
    redemptionsByPassId: listBy<LedgerEntryRow, string>(
      (ids) => listRedemptionsByPassIds(db, ids),
      (r) => r.passId,
    ),
    voidOfRedemption: byKey<LedgerEntryRow, string>(
      (ids) => listVoidsOf(db, ids),
      (v) => v.voidsEntryId!,
    ),
    passBookingById: byKey<PassBookingRow, string>(
      (ids) => getPassBookingsByIds(db, ids),
      (b) => b.id,
    ),
    passBookingByBookingId: byKey<PassBookingRow, string>(
      (ids) => getPassBookingsByBookingIds(db, ids),
      (b) => b.bookingId!,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
