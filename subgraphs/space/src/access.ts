import type { Viewer } from '@tiers-lieux/schema';
import type { MemberQuery } from './data/members.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';
import { personUuid } from './ids.js';

/**
 * Who may see or do what at one partner's subgraph. Every rule is a pure function of who asks
 * (the viewer, at the partner this instance serves) and the rows concerned; resolvers and
 * loaders call these names and hold no role checks of their own, so a new role changes this
 * file only.
 *
 * The viewer names a person of the network and the roles the network grants them; which of
 * this partner's rows are that person's is this partner's own knowledge (`person_id` columns),
 * never the header's.
 */

/** Who asks: the viewer, at the partner this instance serves (a request's context is one). */
export interface Asker {
  viewer: Viewer;
  partner: string;
}

/** Runs the partner: its settings, its spaces, offers and hours, its members, all its data. */
export function canManagePartner(viewer: Viewer, slug: string): boolean {
  return viewer.kind === 'person' && (viewer.coordinator || viewer.manages.includes(slug));
}

/** Works the partner's front desk: check-ins, registrations, members' contact data; no settings. */
function worksFrontDeskOf(viewer: Viewer, slug: string): boolean {
  return (
    canManagePartner(viewer, slug) || (viewer.kind === 'person' && viewer.staffs.includes(slug))
  );
}

/** The uuid of the signed-in person, or null for an anonymous viewer. */
export function viewerPersonUuid(asker: Asker): string | null {
  return asker.viewer.kind === 'person' ? personUuid(asker.viewer.personId) : null;
}

/** Whether the rows of this person (by the uuid a `person_id` column holds) are the viewer's own. */
function isViewer(asker: Asker, personId: string | null): boolean {
  return personId !== null && viewerPersonUuid(asker) === personId;
}

/**
 * A member's private data: email, phone, memberships, registrations, visits, presence, the
 * person they are. The front desk sees them to check people in and register them.
 */
export function canSeeMemberPrivate(asker: Asker, member: { personId: string | null }): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner) || isViewer(asker, member.personId);
}

/** Members who chose not to be in the directory, in lists of members. */
export function canSeeUnlistedMembers(asker: Asker): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner);
}

/** A member's profile (name, skills…): everyone's when in the directory. */
export function canSeeMember(
  asker: Asker,
  member: { personId: string | null; isInDirectory: boolean },
): boolean {
  return member.isInDirectory || canSeeUnlistedMembers(asker) || isViewer(asker, member.personId);
}

/** Which members a list shows the viewer, as the member query filters them. */
export function memberVisibility(asker: Asker): MemberQuery['visibility'] {
  return canSeeUnlistedMembers(asker)
    ? { all: true }
    : { all: false, selfPersonId: viewerPersonUuid(asker) };
}

/**
 * What a person holds at this partner (`Person.memberships`, `registrations`, `visits`): the
 * person themself, the front desk, coordinators.
 */
export function canSeePersonAtPartner(asker: Asker, personId: string): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner) || isViewer(asker, personId);
}

/**
 * An event registration: who registered, and under which name. `personId` is the person it
 * belongs to: the registered member's, or the person registered as themselves.
 */
export function canSeeRegistration(
  asker: Asker,
  registration: { personId: string | null },
): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner) || isViewer(asker, registration.personId);
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

/** New members, and which person a member record belongs to. */
export function canRegisterMembers(asker: Asker): boolean {
  return canManagePartner(asker.viewer, asker.partner);
}

/** Adding a membership to an existing member: the partner's managers and front-desk staff. */
export function canAddMemberships(asker: Asker): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner);
}

export function canUpdateMember(asker: Asker, member: { personId: string | null }): boolean {
  return canManagePartner(asker.viewer, asker.partner) || isViewer(asker, member.personId);
}

/** Registering this member for an event: the member themself, or the front desk. */
export function canRegisterFor(asker: Asker, member: { personId: string | null }): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner) || isViewer(asker, member.personId);
}

/** Registering oneself, erasing one's data, updating one's profile: any signed-in person. */
export function canActForOneself(asker: Asker): boolean {
  return viewerPersonUuid(asker) !== null;
}

/** A person's choices of messages (`Person.eventMessagePreferences`): the person themself only. */
export function canChooseMessagesOf(asker: Asker, personId: string): boolean {
  return isViewer(asker, personId);
}

/** Guests registered without the limit that holds for anonymous visitors registering themselves. */
export function canRegisterGuestsWithoutLimit(asker: Asker): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner);
}

/** Cancelling a registration: one's own, or any at the front desk (an unknown one too). */
export function canCancelRegistration(
  asker: Asker,
  registration: { personId: string | null } | undefined,
): boolean {
  return (
    worksFrontDeskOf(asker.viewer, asker.partner) ||
    (registration !== undefined && isViewer(asker, registration.personId))
  );
}

/** The partner's counts of visits, occupancy, events and directory members (no one's data). */
export function canSeePartnerFigures(asker: Asker): boolean {
  return canManagePartner(asker.viewer, asker.partner);
}

/** Checking members and visitors from the network in and out. */
export function canCheckMembersIn(asker: Asker): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner);
}

/** Setting up bookable resources and their rules. */
export function canManageResources(asker: Asker): boolean {
  return canManagePartner(asker.viewer, asker.partner);
}

/** The day's and week's bookings of the partner's resources, and booking for someone at the desk. */
export function canWorkBookingDesk(asker: Asker): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner);
}

/** A booking: the person it is for (`personId`: theirs, or their member record's), the front desk. */
export function canSeeBooking(asker: Asker, booking: { personId: string | null }): boolean {
  return worksFrontDeskOf(asker.viewer, asker.partner) || isViewer(asker, booking.personId);
}

/** Cancelling a booking: the same people who see it. */
export const canCancelBooking = canSeeBooking;

/** The booking saga's hold, confirm and release: the network subgraph, with its credential. */
export function isNetworkService(ctx: { networkService?: true }): boolean {
  return ctx.networkService === true;
}

/** Refuses what a rule did not allow: UNAUTHENTICATED for an anonymous viewer, else FORBIDDEN. */
export function assertAllowed(asker: Asker, allowed: boolean, action: string): void {
  if (allowed) return;
  if (asker.viewer.kind !== 'person') throw new UnauthenticatedError(action);
  throw new ForbiddenError(action);
}
