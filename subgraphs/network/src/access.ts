import { parseId, type Viewer } from '@tiers-lieux/schema';
import type { PassProductRow, PassRow } from './db/schema.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';

/**
 * Who may see or do what in the network subgraph. Every rule is a pure function of the viewer
 * and the rows concerned; resolvers call these names and hold no role checks of their own, so
 * a new role changes this file only.
 */

/** Runs the partner: its members' private data, its passes, redemptions at its spaces. */
export function canManagePartner(viewer: Viewer, slug: string): boolean {
  return viewer.kind === 'coordinator' || (viewer.kind === 'manager' && viewer.partner === slug);
}

/** Sells for this seller: a partner's managers, or coordinators for the network (null). */
function sellsFor(viewer: Viewer, sellerSlug: string | null): boolean {
  return sellerSlug === null ? viewer.kind === 'coordinator' : canManagePartner(viewer, sellerSlug);
}

/** Works a front desk somewhere: may spend passes at the spaces they work at. */
function worksFrontDeskOf(viewer: Viewer, slug: string): boolean {
  return canManagePartner(viewer, slug);
}

/** Runs the network itself: the partner registry, pass products, corrections, settlement. */
function runsNetwork(viewer: Viewer): boolean {
  return viewer.kind === 'coordinator';
}

/** Whether the viewer is the member with this public id. */
function isMember(viewer: Viewer, memberId: string): boolean {
  if (viewer.kind !== 'member') return false;
  const own = parseId(viewer.memberId);
  const other = parseId(memberId);
  return (
    own !== null &&
    other !== null &&
    own.kind === 'member' &&
    other.kind === 'member' &&
    own.partner === viewer.partner &&
    own.partner === other.partner &&
    own.uuid === other.uuid
  );
}

export function canManageRegistry(viewer: Viewer): boolean {
  return runsNetwork(viewer);
}

/** Where a partner's subgraph answers: the gateway's business, not the public's. */
export function canSeePartnerSubgraphUrl(viewer: Viewer): boolean {
  return runsNetwork(viewer);
}

export function canCreatePassProducts(viewer: Viewer): boolean {
  return runsNetwork(viewer);
}

/** Issuing passes of some product: asked before the product is even looked up. */
export function canIssuePasses(viewer: Viewer): boolean {
  return viewer.kind === 'coordinator' || viewer.kind === 'manager';
}

export function canIssuePassesOf(
  viewer: Viewer,
  product: Pick<PassProductRow, 'sellerSlug'>,
): boolean {
  return sellsFor(viewer, product.sellerSlug);
}

/** Spending passes at some space: asked before the input is read. */
export function canRedeemPasses(viewer: Viewer): boolean {
  return viewer.kind === 'coordinator' || viewer.kind === 'manager';
}

/** Spending passes at this space, named by the partner that runs it. */
export function canRedeemAt(viewer: Viewer, space: { hostSlug: string }): boolean {
  return worksFrontDeskOf(viewer, space.hostSlug);
}

export function canVoidRedemptions(viewer: Viewer): boolean {
  return runsNetwork(viewer);
}

export function canSeeSettlement(viewer: Viewer): boolean {
  return runsNetwork(viewer);
}

/** A member's private data (their passes), from the member's public id. */
export function canSeeMemberPrivate(viewer: Viewer, member: { id: string }): boolean {
  const partner = parseId(member.id)?.partner;
  return (
    partner !== undefined && (canManagePartner(viewer, partner) || isMember(viewer, member.id))
  );
}

/**
 * Who holds a pass: the holder, the managers of the holder's partner and of the seller (who
 * sold it to them), coordinators.
 */
export function canSeePassHolder(
  viewer: Viewer,
  pass: Pick<PassRow, 'sellerSlug' | 'holderId'>,
): boolean {
  return (
    sellsFor(viewer, pass.sellerSlug) ||
    (pass.holderId !== null && canSeeMemberPrivate(viewer, { id: pass.holderId }))
  );
}

/** A pass's code: whoever found the pass by its code knows it already. */
export function canSeePassCode(
  viewer: Viewer,
  pass: Pick<PassRow, 'sellerSlug' | 'holderId'> & { codeRevealed?: boolean | undefined },
): boolean {
  return pass.codeRevealed === true || canSeePassHolder(viewer, pass);
}

/**
 * Where and when a pass was spent, the holder's visits: the holder, the managers of the
 * holder's partner, coordinators; the seller's only for a pass without a holder.
 */
export function canSeePassRedemptions(
  viewer: Viewer,
  pass: Pick<PassRow, 'sellerSlug' | 'holderId'>,
): boolean {
  return pass.holderId === null
    ? sellsFor(viewer, pass.sellerSlug)
    : canSeeMemberPrivate(viewer, { id: pass.holderId });
}

/** How the ledger names who recorded an entry. */
export function recordedBy(viewer: Viewer): string {
  return viewer.kind === 'manager' ? `manager:${viewer.partner}` : viewer.kind;
}

/** Refuses what a rule did not allow: UNAUTHENTICATED for an anonymous viewer, else FORBIDDEN. */
export function assertAllowed(viewer: Viewer, allowed: boolean, action: string): void {
  if (allowed) return;
  if (viewer.kind === 'anonymous') throw new UnauthenticatedError(action);
  throw new ForbiddenError(action);
}
