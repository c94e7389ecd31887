import { managesPartner, maySeePrivateDataOf, partnerOfId, type Viewer } from '@tiers-lieux/schema';
import type { Db } from './db/client.js';
import type { PassRow } from './db/schema.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';
import { createLoaders, type Loaders } from './loaders.js';
import { partnerChecker, type PartnerChecker } from './partner-check.js';

export interface Context {
  db: Db;
  viewer: Viewer;
  /** The request's "now": every expiry and status of one request agrees. */
  now: Date;
  loaders: Loaders;
  /** Calls a partner's subgraph before the network routes to it. */
  checkPartner: PartnerChecker;
}

const defaultChecker = partnerChecker();

export function createContext(params: {
  db: Db;
  viewer: Viewer;
  now?: Date | undefined;
  checkPartner?: PartnerChecker | undefined;
}): Context {
  return {
    ...params,
    now: params.now ?? new Date(),
    loaders: createLoaders(params.db),
    checkPartner: params.checkPartner ?? defaultChecker,
  };
}

export function isCoordinator(ctx: Context): boolean {
  return ctx.viewer.kind === 'coordinator';
}

/** Throws UNAUTHENTICATED for an anonymous viewer and FORBIDDEN for others, unless `allowed`. */
export function requireAllowed(ctx: Context, allowed: boolean, action: string): void {
  if (allowed) return;
  if (ctx.viewer.kind === 'anonymous') throw new UnauthenticatedError(action);
  throw new ForbiddenError(action);
}

/** Coordinators, and the managers of a partner when one is given (null: the network itself). */
export function managesSeller(ctx: Context, sellerSlug: string | null): boolean {
  return sellerSlug === null ? isCoordinator(ctx) : managesPartner(ctx.viewer, sellerSlug);
}

/** Whether the viewer may see a member's private data, from the member's public id. */
export function maySeeMember(ctx: Context, memberId: string): boolean {
  const partner = partnerOfId(memberId);
  return partner !== null && maySeePrivateDataOf(ctx.viewer, partner, memberId);
}

/**
 * Whether the viewer may see who holds a pass: the holder, the managers of the holder's partner
 * and of the seller (who sold it to them), coordinators.
 */
export function maySeeHolder(ctx: Context, pass: PassRow): boolean {
  return (
    managesSeller(ctx, pass.sellerSlug) ||
    (pass.holderId !== null && maySeeMember(ctx, pass.holderId))
  );
}

/**
 * Whether the viewer may see where and when a pass was spent, the holder's visits: the holder,
 * the managers of the holder's partner, coordinators; the seller's only for a pass without a
 * holder.
 */
export function maySeeVisits(ctx: Context, pass: PassRow): boolean {
  return pass.holderId === null
    ? managesSeller(ctx, pass.sellerSlug)
    : maySeeMember(ctx, pass.holderId);
}

/** How the ledger names who recorded an entry. */
export function recordedBy(viewer: Viewer): string {
  return viewer.kind === 'manager' ? `manager:${viewer.partner}` : viewer.kind;
}
