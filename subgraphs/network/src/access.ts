import { parseId, type Viewer } from '@tiers-lieux/schema';
import type { PassProductRow, PassRow, Role, RoleGrantRow } from './db/schema.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';
import { parsePersonId } from './ids.js';

/**
 * Who may see or do what in the network subgraph. Every rule is a pure function of the viewer
 * and the rows concerned; resolvers call these names and hold no role checks of their own, so
 * a new role changes this file only.
 */

type Person = Extract<Viewer, { kind: 'person' }>;

function signedIn(viewer: Viewer): viewer is Person {
  return viewer.kind === 'person';
}

/** Runs the network itself: the partner registry, pass products, corrections, settlement, roles. */
function runsNetwork(viewer: Viewer): boolean {
  return signedIn(viewer) && viewer.coordinator;
}

/** Manages at least one partner. */
function managesSomePartner(viewer: Viewer): boolean {
  return signedIn(viewer) && viewer.manages.length > 0;
}

/** Runs the partner: its members' private data, its passes, its staff. */
export function canManagePartner(viewer: Viewer, slug: string): boolean {
  return runsNetwork(viewer) || (signedIn(viewer) && viewer.manages.includes(slug));
}

/** Sells for this seller: a partner's managers, or coordinators for the network (null). */
function sellsFor(viewer: Viewer, sellerSlug: string | null): boolean {
  return sellerSlug === null ? runsNetwork(viewer) : canManagePartner(viewer, sellerSlug);
}

/** Works the front desk of the partner's spaces: spends passes there (staff, managers). */
function worksFrontDeskOf(viewer: Viewer, slug: string): boolean {
  return canManagePartner(viewer, slug) || (signedIn(viewer) && viewer.staffs.includes(slug));
}

/** Whether the viewer is the person with this uuid (the database's, lowercase). */
export function isPerson(viewer: Viewer, personUuid: string | null): boolean {
  return personUuid !== null && signedIn(viewer) && parsePersonId(viewer.personId) === personUuid;
}

export function canManageRegistry(viewer: Viewer): boolean {
  return runsNetwork(viewer);
}

/** Where a partner's subgraph answers: the gateway's business, not the public's. */
export function canSeePartnerSubgraphUrl(viewer: Viewer): boolean {
  // The gateway reads the registry as itself to route to the partners.
  return viewer.kind === 'gateway' || runsNetwork(viewer);
}

export function canCreatePassProducts(viewer: Viewer): boolean {
  return runsNetwork(viewer);
}

/** Issuing passes of some product: asked before the product is even looked up. */
export function canIssuePasses(viewer: Viewer): boolean {
  return runsNetwork(viewer) || managesSomePartner(viewer);
}

export function canIssuePassesOf(
  viewer: Viewer,
  product: Pick<PassProductRow, 'sellerSlug'>,
): boolean {
  return sellsFor(viewer, product.sellerSlug);
}

/** Spending passes at some space: asked before the input is read. */
export function canRedeemPasses(viewer: Viewer): boolean {
  return canIssuePasses(viewer) || (signedIn(viewer) && viewer.staffs.length > 0);
}

/** Spending passes at this space, named by the partner that runs it. */
export function canRedeemAt(viewer: Viewer, space: { hostSlug: string }): boolean {
  return worksFrontDeskOf(viewer, space.hostSlug);
}

export function canVoidRedemptions(viewer: Viewer): boolean {
  return runsNetwork(viewer);
}

/** The network's pass list and sales figures: the coordinators' view of the whole network. */
export function canSeeNetworkReports(viewer: Viewer): boolean {
  return runsNetwork(viewer);
}

export function canSeeSettlement(viewer: Viewer): boolean {
  return runsNetwork(viewer);
}

/** A member's private data (all their passes), from the member's public id. */
export function canSeeMemberPrivate(viewer: Viewer, member: { id: string }): boolean {
  const partner = parseId(member.id)?.partner;
  return partner !== undefined && canManagePartner(viewer, partner);
}

type PassHolding = Pick<PassRow, 'sellerSlug' | 'holderId' | 'holderPersonId'>;

/** The viewer is the person who holds the pass. */
function holds(viewer: Viewer, pass: PassHolding): boolean {
  return isPerson(viewer, pass.holderPersonId);
}

/**
 * Who holds a pass: the holder, the managers of the holder's partner and of the seller (who
 * sold it to them), coordinators.
 */
export function canSeePassHolder(viewer: Viewer, pass: PassHolding): boolean {
  return (
    sellsFor(viewer, pass.sellerSlug) ||
    holds(viewer, pass) ||
    (pass.holderId !== null && canSeeMemberPrivate(viewer, { id: pass.holderId }))
  );
}

/** One of a member's passes: the member's partner's managers, coordinators, the holding person. */
export function canSeeMemberPass(
  viewer: Viewer,
  member: { id: string },
  pass: PassHolding,
): boolean {
  return canSeeMemberPrivate(viewer, member) || holds(viewer, pass);
}

/** A pass's code: whoever found the pass by its code knows it already. */
export function canSeePassCode(
  viewer: Viewer,
  pass: PassHolding & { codeRevealed?: boolean | undefined },
): boolean {
  return pass.codeRevealed === true || canSeePassHolder(viewer, pass);
}

/**
 * Where and when a pass was spent, the holder's visits: the holder, the managers of the
 * holder's partner, coordinators; the seller's only for a pass without a holder.
 */
export function canSeePassRedemptions(viewer: Viewer, pass: PassHolding): boolean {
  if (holds(viewer, pass)) return true;
  if (pass.holderId !== null) return canSeeMemberPrivate(viewer, { id: pass.holderId });
  return pass.holderPersonId === null ? sellsFor(viewer, pass.sellerSlug) : runsNetwork(viewer);
}

/** A person at all (their name): signed-in people only. */
export function canSeePeople(viewer: Viewer): boolean {
  return signedIn(viewer);
}

/** Listing people, and the history of grants: coordinators, and managers for their partners. */
export function canListPeople(viewer: Viewer): boolean {
  return runsNetwork(viewer) || managesSomePartner(viewer);
}

/** The partners whose people and grants the viewer lists; null for every partner. */
export function partnersListedFor(viewer: Viewer): readonly string[] | null {
  if (runsNetwork(viewer)) return null;
  return signedIn(viewer) ? viewer.manages : [];
}

/**
 * A person's email: the person, coordinators, and the managers of a partner where the person
 * is a manager or staff (from the person's live grants).
 */
export function canSeePersonEmail(
  viewer: Viewer,
  person: { id: string },
  liveGrants: readonly Pick<RoleGrantRow, 'partnerSlug'>[],
): boolean {
  return (
    isPerson(viewer, person.id) ||
    runsNetwork(viewer) ||
    liveGrants.some((g) => g.partnerSlug !== null && canManagePartner(viewer, g.partnerSlug))
  );
}

/** A person's choices of the network's optional messages: the person themself only. */
export function canChooseMessagesOf(viewer: Viewer, personUuid: string | null): boolean {
  return isPerson(viewer, personUuid);
}

/** How a person signs in: the person and coordinators. */
export function canSeePersonIdentities(viewer: Viewer, person: { id: string }): boolean {
  return isPerson(viewer, person.id) || runsNetwork(viewer);
}

/** A person's card number: the person, to show it at a desk, and coordinators. */
export function canSeeCardNumber(viewer: Viewer, person: { id: string }): boolean {
  return isPerson(viewer, person.id) || runsNetwork(viewer);
}

/**
 * Finding one person by the exact email or card number they give at a front desk: the people
 * who work some partner's desk (managers, staff) and coordinators.
 */
export function canFindPersonAtDesk(viewer: Viewer): boolean {
  return (
    runsNetwork(viewer) ||
    managesSomePartner(viewer) ||
    (signedIn(viewer) && viewer.staffs.length > 0)
  );
}

/** A role grant: its holder, coordinators, the managers of its partner. */
export function canSeeRoleGrant(
  viewer: Viewer,
  grant: Pick<RoleGrantRow, 'personId' | 'partnerSlug'>,
): boolean {
  return (
    isPerson(viewer, grant.personId) ||
    runsNetwork(viewer) ||
    (grant.partnerSlug !== null && canManagePartner(viewer, grant.partnerSlug))
  );
}

/** Granting or revoking roles at all: asked before the input is read. */
export function canGrantRoles(viewer: Viewer): boolean {
  return runsNetwork(viewer) || managesSomePartner(viewer);
}

/**
 * Granting or revoking this role: coordinators every role; a partner's managers STAFF of their
 * own partner only.
 */
export function canGrantRole(
  viewer: Viewer,
  grant: { role: Role; partnerSlug: string | null },
): boolean {
  if (runsNetwork(viewer)) return true;
  return (
    grant.role === 'STAFF' &&
    grant.partnerSlug !== null &&
    signedIn(viewer) &&
    viewer.manages.includes(grant.partnerSlug)
  );
}

/** Inviting someone: with a role, who may grant it; without one, coordinators. */
export function canInvite(
  viewer: Viewer,
  invitation: { role: Role | null; partnerSlug: string | null },
): boolean {
  return invitation.role === null
    ? runsNetwork(viewer)
    : canGrantRole(viewer, { role: invitation.role, partnerSlug: invitation.partnerSlug });
}

/** Changing or closing one's own account: signed-in people. */
export function canEditOwnAccount(viewer: Viewer): viewer is Person {
  return signedIn(viewer);
}

/** Booking with a pass: a signed-in person, for themself (the pass's code is the proof of it). */
export function canBookWithPass(viewer: Viewer): viewer is Person {
  return signedIn(viewer);
}

/** A pass-paid booking (its pass, its redemption, cancelling it): the person who booked it, coordinators. */
export function canSeePassBooking(viewer: Viewer, booking: { personId: string }): boolean {
  return runsNetwork(viewer) || isPerson(viewer, booking.personId);
}

/** Resolving a sign-in to a person: the gateway only. */
export function canSignIn(viewer: Viewer): boolean {
  return viewer.kind === 'gateway';
}

/** The person acting, as the database names them, or null for anyone else. */
export function actingPerson(viewer: Viewer): string | null {
  return signedIn(viewer) ? parsePersonId(viewer.personId) : null;
}

/** How the ledger names who recorded an entry: the person's id. */
export function recordedBy(viewer: Viewer): string {
  return signedIn(viewer) ? viewer.personId : viewer.kind;
}

/** Refuses what a rule did not allow: UNAUTHENTICATED for an anonymous viewer, else FORBIDDEN. */
export function assertAllowed(viewer: Viewer, allowed: boolean, action: string): void {
  if (allowed) return;
  if (viewer.kind === 'anonymous') throw new UnauthenticatedError(action);
  throw new ForbiddenError(action);
}

/** The network's dead letters name pass holders' addresses: coordinators only. */
export function canSeeNetworkOutbox(viewer: Viewer): boolean {
  return runsNetwork(viewer);
}
