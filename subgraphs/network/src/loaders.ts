import { byKey, listBy } from '@tiers-lieux/subgraph-shell';
import type { Db } from './db/client.js';
import type {
  LedgerEntryRow,
  PartnerRow,
  PassProductRow,
  PassProductSpaceRow,
  PassRow,
} from './db/schema.js';
import { getPartnersBySlugs } from './data/partners.js';
import {
  getPassesByIds,
  getRedemptionsByIds,
  listPassesByHolderIds,
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
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
