import { parseId, type Viewer } from '@tiers-lieux/schema';
import type { MemberQuery } from './data/members.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';

/**
 * Who may see or do what at one partner's subgraph. Every rule is a pure function of who asks
 * (the viewer, at the partner this instance serves) and the rows concerned; resolvers and
 * loaders call these names and hold no role checks of their own, so a new role changes this
 * file only.
 */

/** Who asks: the viewer, at the partner this instance serves (a request's context is one). */
export interface Asker {
  viewer: Viewer;
  partner: string;
}

/** Runs the partner: its settings, its members, all its data. */
export function canManagePartner(viewer: Viewer, slug: string): boolean {
  return viewer.kind === 'coordinator' || (viewer.kind === 'manager' && viewer.partner === slug);
}

/** Works the partner's front desk: check-ins, event registrations. */
function worksFrontDeskOf(viewer: Viewer, slug: string): boolean {
  return canManagePartner(viewer, slug);
}

/** The uuid of the viewer's own member record at this partner, if the viewer is one. */
function ownMemberUuid(asker: Asker): string | null {
  const { viewer } = asker;
  if (viewer.kind !== 'member' || viewer.partner !== asker.partner) return null;
  const id = parseId(viewer.memberId);
  return id?.kind === 'member' && id.partner === asker.partner ? id.uuid : null;
}

function isMember(asker: Asker, memberUuid: string | null): boolean {
  return memberUuid !== null && ownMemberUuid(asker) === memberUuid;
}

/** A member's private data: email, phone, memberships, registrations, visits, presence. */
export function canSeeMemberPrivate(asker: Asker, member: { id: string }): boolean {
  return canManagePartner(asker.viewer, asker.partner) || isMember(asker, member.id);
}

/** Members who chose not to be in the directory, in lists of members. */
export function canSeeUnlistedMembers(asker: Asker): boolean {
  return canManagePartner(asker.viewer, asker.partner);
}

/** A member's profile (name, skills…): everyone's when in the directory. */
export function canSeeMember(
  asker: Asker,
  member: { id: string; isInDirectory: boolean },
): boolean {
  return member.isInDirectory || canSeeUnlistedMembers(asker) || isMember(asker, member.id);
}

/** Which members a list shows the viewer, as the member query filters them. */
export function memberVisibility(asker: Asker): MemberQuery['visibility'] {
  return canSeeUnlistedMembers(asker)
    ? { all: true }
    : { all: false, selfId: ownMemberUuid(asker) };
}

/** An event registration: who registered, and under which name. */
export function canSeeRegistration(
  asker: Asker,
  registration: { memberId: string | null },
): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner) || isMember(asker, registration.memberId);
}

/** The partner's undelivered mails (they hold addresses), and sending them again. */
export function canSeeOutbox(asker: Asker): boolean {
  return canManagePartner(asker.viewer, asker.partner);
}

export function canEditSpaces(asker: Asker): boolean {
  return canManagePartner(asker.viewer, asker.partner);
}

export function canManageEvents(asker: Asker): boolean {
  return canManagePartner(asker.viewer, asker.partner);
}

export function canRegisterMembers(asker: Asker): boolean {
  return canManagePartner(asker.viewer, asker.partner);
}

export function canUpdateMember(asker: Asker, member: { id: string }): boolean {
  return canManagePartner(asker.viewer, asker.partner) || isMember(asker, member.id);
}

/** Registering this member for an event: the member themself, or the front desk. */
export function canRegisterFor(asker: Asker, member: { id: string }): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner) || isMember(asker, member.id);
}

/** Guests registered without the limit that holds for anonymous visitors registering themselves. */
export function canRegisterGuestsWithoutLimit(asker: Asker): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner);
}

/** Cancelling a registration: one's own, or any at the front desk (an unknown one too). */
export function canCancelRegistration(
  asker: Asker,
  registration: { memberId: string | null } | undefined,
): boolean {
  return (
    worksFrontDeskOf(asker.viewer, asker.partner) ||
    (registration !== undefined && isMember(asker, registration.memberId))
  );
}

export function canCheckMembersIn(asker: Asker): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner);
}

/** Refuses what a rule did not allow: UNAUTHENTICATED for an anonymous viewer, else FORBIDDEN. */
export function assertAllowed(asker: Asker, allowed: boolean, action: string): void {
  if (allowed) return;
  if (asker.viewer.kind === 'anonymous') throw new UnauthenticatedError(action);
  throw new ForbiddenError(action);
}
