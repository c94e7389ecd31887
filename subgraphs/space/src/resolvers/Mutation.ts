import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import {
  assertAllowed,
  canChooseMessagesOf,
  canCancelRegistration,
  canCheckMembersIn,
  canEditSpaces,
  canManageEvents,
  canRegisterFor,
  canRegisterGuestsWithoutLimit,
  canRegisterMembers,
  canSeeOutbox,
  canSeeRegistration,
  canUpdateMember,
  canActForOneself,
  canAddMemberships,
  canManagePartner,
  viewerPersonUuid,
} from '../access.js';
import type { Context } from '../context.js';
import * as eventData from '../data/events.js';
import * as memberData from '../data/members.js';
import * as peopleData from '../data/people.js';
import * as preferenceData from '../data/preferences.js';
import * as registrationData from '../data/registrations.js';
import * as seriesData from '../data/series.js';
import { startOfParisDay } from '@tiers-lieux/schema';
import { LINK_PURPOSES, MESSAGE_KINDS } from '../mail/owe.js';
import { retryDeadLetter, verifyLinkToken } from '@tiers-lieux/subgraph-shell';
import * as spaceData from '../data/spaces.js';
import type { EntityKind } from '@tiers-lieux/schema';
import { userError, type UserError } from '../errors.js';
import { localId, personUuid } from '../ids.js';
import {
  checked,
  eventChanges,
  displayNameInput,
  guest,
  memberChanges,
  membershipDates,
  myProfileChanges,
  newMembership,
  newEvent,
  newMember,
  newSeries,
  newSpace,
  passIdInput,
  personIdInput,
  seriesChanges,
  spaceChanges,
} from './inputs.js';
import { bookingMutations } from './booking-mutations.js';
import { registrationOwner } from './Registration.js';

/** A creation names its partner so the gateway can route it; it must be this instance's. */
function wrongPartner(ctx: Context, partner: string): UserError | null {
  if (partner === ctx.partner) return null;
  return userError(
    'WRONG_PARTNER',
    `This is the subgraph of ${ctx.partner}, not of ${partner}`,
    'input.partner',
  );
}

const UNKNOWN = {
  space: 'UNKNOWN_SPACE',
  event: 'UNKNOWN_EVENT',
  member: 'UNKNOWN_MEMBER',
  registration: 'UNKNOWN_REGISTRATION',
  visit: 'NOT_CHECKED_IN',
  series: 'UNKNOWN_EVENT',
} as const;

type Resolved = { ok: true; uuid: string } | { ok: false; error: UserError };

/** The uuid behind an input id, or the `UserError` a mutation answers with. */
function target(
  ctx: Context,
  id: string,
  kind: keyof typeof UNKNOWN & EntityKind,
  field: string,
): Resolved {
  const local = localId(ctx, id, kind);
  if (local.ok) return local;
  if (local.reason === 'MALFORMED') {
    return { ok: false, error: userError('INVALID_INPUT', `${field} is not a ${kind} id`, field) };
  }
  return {
    ok: false,
    error: userError(UNKNOWN[kind], `No ${kind} ${id} at ${ctx.partner}`, field),
  };
}

async function existingSpace(ctx: Context, id: string, field: string): Promise<Resolved> {
  const resolved = target(ctx, id, 'space', field);
  if (!resolved.ok) return resolved;
  const space = await ctx.loaders.spaceById.load(resolved.uuid);
  return space
    ? resolved
    : { ok: false, error: userError('UNKNOWN_SPACE', `No space ${id} at ${ctx.partner}`, field) };
}

export const Mutation: MutationResolvers = {
  ...bookingMutations,
  createSpace: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canEditSpaces(ctx), 'create a space');
    const elsewhere = wrongPartner(ctx, input.partner);
    if (elsewhere) return { space: null, error: elsewhere };
    const values = checked(() => newSpace(input));
    if (!values.ok) return { space: null, error: values.error };
    return { space: await spaceData.createSpace(ctx.db, values.value), error: null };
  },

  updateSpace: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canEditSpaces(ctx), 'update a space');
    const space = target(ctx, input.id, 'space', 'input.id');
    if (!space.ok) return { space: null, error: space.error };
    const changes = checked(() => spaceChanges(input));
    if (!changes.ok) return { space: null, error: changes.error };
    const row = await spaceData.updateSpace(ctx.db, { id: space.uuid, ...changes.value });
    if (!row)
      return {
        space: null,
        error: userError('UNKNOWN_SPACE', `No space ${input.id} at ${ctx.partner}`, 'input.id'),
      };
    return { space: row, error: null };
  },

  createEvent: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canManageEvents(ctx), 'create an event');
    const space = await existingSpace(ctx, input.spaceId, 'input.spaceId');
    if (!space.ok) return { event: null, error: space.error };
    const values = checked(() => newEvent(input, space.uuid));
    if (!values.ok) return { event: null, error: values.error };
    return { event: await eventData.createEvent(ctx.db, values.value), error: null };
  },

  updateEvent: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canManageEvents(ctx), 'update an event');
    const event = target(ctx, input.id, 'event', 'input.id');
    if (!event.ok) return { event: null, error: event.error };
    const changes = checked(() => eventChanges(input));
    if (!changes.ok) return { event: null, error: changes.error };
    const result = await eventData.updateEvent(ctx.db, {
      id: event.uuid,
      changes: changes.value,
      now: ctx.now,
      owe: ctx.owe,
    });
    if (result.ok) return { event: result.event, error: null };
    const error = {
      UNKNOWN_EVENT: userError(
        'UNKNOWN_EVENT',
        `No event ${input.id} at ${ctx.partner}`,
        'input.id',
      ),
      CAPACITY_BELOW_CONFIRMED: userError(
        'INVALID_INPUT',
        'input.capacity is below the confirmed registrations',
        'input.capacity',
      ),
      ENDS_BEFORE_START: userError(
        'INVALID_INPUT',
        'the event must end after it starts',
        'input.endsAt',
      ),
    }[result.reason];
    return { event: null, error };
  },

  cancelEvent: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canManageEvents(ctx), 'cancel an event');
    const event = target(ctx, input.id, 'event', 'input.id');
    if (!event.ok) return { event: null, error: event.error };
    const row = await eventData.cancelEvent(ctx.db, event.uuid, { owe: ctx.owe });
    if (!row)
      return {
        event: null,
        error: userError('UNKNOWN_EVENT', `No event ${input.id} at ${ctx.partner}`, 'input.id'),
      };
    return { event: row, error: null };
  },

  createEventSeries: async (_parent, { input }, ctx) => {
    const none = { series: null, changedOccurrences: 0 };
    assertAllowed(ctx, canManageEvents(ctx), 'create an event series');
    const space = await existingSpace(ctx, input.spaceId, 'input.spaceId');
    if (!space.ok) return { ...none, error: space.error };
    const values = checked(() => newSeries(input, space.uuid));
    if (!values.ok) return { ...none, error: values.error };
    const made = await seriesData.createSeries(ctx.db, values.value);
    return { series: made.series, changedOccurrences: made.occurrences.length, error: null };
  },

  updateEventSeries: async (_parent, { input }, ctx) => {
    const none = { series: null, changedOccurrences: 0 };
    assertAllowed(ctx, canManageEvents(ctx), 'update an event series');
    const series = target(ctx, input.id, 'series', 'input.id');
    if (!series.ok) return { ...none, error: series.error };
    const changes = checked(() => seriesChanges(input));
    if (!changes.ok) return { ...none, error: changes.error };
    const result = await seriesData.updateSeriesFrom(ctx.db, {
      id: series.uuid,
      from: startOfParisDay(input.fromDate),
      changes: changes.value,
      now: ctx.now,
      owe: ctx.owe,
    });
    if (result.ok)
      return { series: result.series, changedOccurrences: result.changed, error: null };
    const errors = {
      UNKNOWN_SERIES: userError(
        'UNKNOWN_EVENT',
        `No series ${input.id} at ${ctx.partner}`,
        'input.id',
      ),
      CAPACITY_BELOW_CONFIRMED: userError(
        'INVALID_INPUT',
        'input.capacity is below the confirmed registrations of an occurrence',
        'input.capacity',
      ),
    };
    return { ...none, error: errors[result.reason] };
  },

  registerForEvent: async (_parent, { input }, ctx) => {
    const none = { registration: null, promoted: null, answerSentByMail: false };
    if (input.memberId != null && input.guest != null) {
      return {
        ...none,
        error: userError('INVALID_INPUT', 'give at most one of memberId and guest', 'input'),
      };
    }
    const event = target(ctx, input.eventId, 'event', 'input.eventId');
    if (!event.ok) return { ...none, error: event.error };
    const registrant = await whoRegisters(ctx, input);
    if (!registrant.ok) return { ...none, error: registrant.error };
    const outcome = await registrationData.registerForEvent(ctx.db, {
      eventId: event.uuid,
      now: ctx.now,
      owe: ctx.owe,
      ...registrant.value,
    });
    if (registrant.value.selfRegistration && outcome.ok)
      return { ...none, error: null, answerSentByMail: true };
    return registrationPayload(outcome);
  },

  cancelRegistration: async (_parent, { input }, ctx) => {
    const none = { registration: null, promoted: null, answerSentByMail: false };
    const registration = target(ctx, input.id, 'registration', 'input.id');
    if (!registration.ok) return { ...none, error: registration.error };
    const [row] = await registrationData.getRegistrationsByIds(ctx.db, [registration.uuid]);
    const owner = row ? await registrationOwner(ctx, row) : undefined;
    assertAllowed(ctx, canCancelRegistration(ctx, owner), 'cancel this registration');
    const payload = registrationPayload(
      await registrationData.cancelRegistration(ctx.db, registration.uuid, {
        now: ctx.now,
        owe: ctx.owe,
      }),
    );
    // The promoted registration names someone else: a person cancelling their own seat does
    // not learn who got it.
    return payload.promoted &&
      !canSeeRegistration(ctx, await registrationOwner(ctx, payload.promoted))
      ? { ...payload, promoted: null }
      : payload;
  },

  confirmGuestRegistration: async (_parent, { input }, ctx) => {
    const registration = linked(ctx, input, LINK_PURPOSES.confirm);
    if (!registration.ok) return { registration: null, promoted: null, ...registration.failure };
    return registrationPayload(
      await registrationData.confirmRegistration(ctx.db, registration.uuid, {
        now: ctx.now,
        owe: ctx.owe,
      }),
    );
  },

  cancelGuestRegistration: async (_parent, { input }, ctx) => {
    const registration = linked(ctx, input, LINK_PURPOSES.cancel);
    if (!registration.ok) return { registration: null, promoted: null, ...registration.failure };
    const payload = registrationPayload(
      await registrationData.cancelRegistration(ctx.db, registration.uuid, {
        now: ctx.now,
        owe: ctx.owe,
      }),
    );
    return { ...payload, promoted: null };
  },

  unsubscribe: async (_parent, { input }, ctx) => {
    const signed = verifyLinkToken(ctx.mail.linkSecret, LINK_PURPOSES.unsubscribe, input.token);
    const [subject, kind] = signed?.split(' ') ?? [];
    if (input.partner !== ctx.partner || !subject || !kind) {
      return {
        kind: null,
        error: userError('INVALID_TOKEN', 'This link is not valid', 'input.token'),
      };
    }
    await preferenceData.setMessagePreference(ctx.db, {
      subject,
      kind,
      subscribed: false,
      byLink: true,
    });
    return { kind, error: null };
  },

  setEventMessagePreference: async (_parent, { input }, ctx) => {
    const person = personUuid(input.personId);
    assertAllowed(
      ctx,
      person !== null && canChooseMessagesOf(ctx, person),
      "choose another person's messages",
    );
    await preferenceData.setMessagePreference(ctx.db, {
      subject: preferenceData.personSubject(person!),
      kind: MESSAGE_KINDS[input.kind],
      subscribed: input.subscribed,
      byLink: false,
    });
    return { kind: input.kind, subscribed: input.subscribed, error: null };
  },

  retryOutboxMessage: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canSeeOutbox(ctx), 'retry a mail');
    const unknown = {
      message: null,
      error: userError('UNKNOWN_OUTBOX_MESSAGE', 'No such dead letter at this partner', 'input.id'),
    };
    const local = localId(ctx, input.id, 'outbox-message');
    if (!local.ok) return unknown;
    const row = await retryDeadLetter(ctx.db, local.uuid);
    return row ? { message: row, error: null } : unknown;
  },

  registerMember: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canRegisterMembers(ctx), 'register a member');
    const elsewhere = wrongPartner(ctx, input.partner);
    if (elsewhere) return { member: null, error: elsewhere };
    const values = checked(() => newMember(input));
    if (!values.ok) return { member: null, error: values.error };
    let membership: memberData.MembershipValues | null = null;
    if (input.membership) {
      const space = await existingSpace(ctx, input.membership.spaceId, 'input.membership.spaceId');
      if (!space.ok) return { member: null, error: space.error };
      const dates = checked(() => membershipDates(input.membership!, 'input.membership'));
      if (!dates.ok) return { member: null, error: dates.error };
      membership = { spaceId: space.uuid, plan: input.membership.plan.trim(), ...dates.value };
    }
    const result = await memberData.createMember(ctx.db, { values: values.value, membership });
    return memberPayload(ctx, result);
  },

  addMembership: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canAddMemberships(ctx), 'add a membership');
    const refused = (error: UserError) => ({ membership: null, member: null, error });
    const member = target(ctx, input.memberId, 'member', 'input.memberId');
    if (!member.ok) return refused(member.error);
    const spaceHere = localId(ctx, input.spaceId, 'space');
    if (!spaceHere.ok && spaceHere.reason === 'ELSEWHERE')
      return refused(
        userError(
          'WRONG_PARTNER',
          `${input.spaceId} is a space of another partner than the member's`,
          'input.spaceId',
        ),
      );
    const space = await existingSpace(ctx, input.spaceId, 'input.spaceId');
    if (!space.ok) return refused(space.error);
    const values = checked(() => newMembership(input));
    if (!values.ok) return refused(values.error);
    const result = await memberData.addMembership(ctx.db, {
      memberId: member.uuid,
      spaceId: space.uuid,
      ...values.value,
    });
    if (result.ok) return { membership: result.membership, member: result.member, error: null };
    return refused(
      result.reason === 'UNKNOWN_MEMBER'
        ? userError(
            'UNKNOWN_MEMBER',
            `No member ${input.memberId} at ${ctx.partner}`,
            'input.memberId',
          )
        : userError(
            'ALREADY_MEMBER',
            'The member already holds this plan of this space over an overlapping period',
            'input.plan',
          ),
    );
  },

  updateMember: async (_parent, { input }, ctx) => {
    const member = target(ctx, input.id, 'member', 'input.id');
    if (!member.ok) return { member: null, error: member.error };
    const row = await ctx.loaders.memberById.load(member.uuid);
    assertAllowed(
      ctx,
      row
        ? canUpdateMember(ctx, row) && (input.personId === undefined || canRegisterMembers(ctx))
        : canRegisterMembers(ctx),
      'update this member',
    );
    const changes = checked(() => memberChanges(input));
    if (!changes.ok) return { member: null, error: changes.error };
    const result = await memberData.updateMember(ctx.db, {
      id: member.uuid,
      changes: changes.value,
    });
    return memberPayload(ctx, result);
  },

  updateMyMemberProfile: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canActForOneself(ctx), 'update a member profile');
    const elsewhere = wrongPartner(ctx, input.partner);
    if (elsewhere) return { member: null, error: elsewhere };
    const [own] = await ctx.loaders.membersByPersonId.load(viewerPersonUuid(ctx)!);
    if (!own)
      return {
        member: null,
        error: userError('UNKNOWN_MEMBER', `You have no member record at ${ctx.partner}`),
      };
    const changes = checked(() => myProfileChanges(input, own.skills));
    if (!changes.ok) return { member: null, error: changes.error };
    return memberPayload(
      ctx,
      await memberData.updateMember(ctx.db, { id: own.id, changes: changes.value }),
    );
  },

  eraseMyData: async (_parent, { partner }, ctx) => {
    assertAllowed(ctx, canActForOneself(ctx), 'erase personal data');
    const nothing = { erasedMembers: 0, erasedRegistrations: 0, unlinkedVisits: 0 };
    if (partner !== ctx.partner)
      return {
        ...nothing,
        error: userError(
          'WRONG_PARTNER',
          `This is the subgraph of ${ctx.partner}, not of ${partner}`,
          'partner',
        ),
      };
    const erased = await peopleData.erasePersonData(ctx.db, {
      personId: viewerPersonUuid(ctx)!,
      now: ctx.now,
      owe: ctx.owe,
    });
    return { ...erased, error: null };
  },

  checkIn: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canCheckMembersIn(ctx), 'check members in');
    const member = target(ctx, input.memberId, 'member', 'input.memberId');
    if (!member.ok) return { visit: null, error: member.error };
    const space = await existingSpace(ctx, input.spaceId, 'input.spaceId');
    if (!space.ok) return { visit: null, error: space.error };
    return visitPayload(
      await memberData.checkIn(ctx.db, { memberId: member.uuid, spaceId: space.uuid, at: ctx.now }),
    );
  },

  checkInVisitor: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canCheckMembersIn(ctx), 'check visitors in');
    const space = await existingSpace(ctx, input.spaceId, 'input.spaceId');
    if (!space.ok) return { visit: null, error: space.error };
    const who = checked(() => ({
      personId: personIdInput(input.personId, 'input.personId'),
      passId: input.passId == null ? null : passIdInput(input.passId, 'input.passId'),
    }));
    if (!who.ok) return { visit: null, error: who.error };
    return visitPayload(
      await memberData.checkInVisitor(ctx.db, { ...who.value, spaceId: space.uuid, at: ctx.now }),
    );
  },

  checkInRegistration: async (_parent, { input }, ctx) => {
    const none = { registration: null, promoted: null, answerSentByMail: false };
    assertAllowed(ctx, canCheckMembersIn(ctx), 'check people in at an event');
    const registration = target(ctx, input.id, 'registration', 'input.id');
    if (!registration.ok) return { ...none, error: registration.error };
    const result = await registrationData.checkInAtDoor(ctx.db, {
      id: registration.uuid,
      undo: input.undo ?? false,
      at: ctx.now,
    });
    if (result.ok) return { ...none, registration: result.registration, error: null };
    const errors = {
      UNKNOWN_REGISTRATION: userError(
        'UNKNOWN_REGISTRATION',
        `No registration ${input.id} at ${ctx.partner}`,
        'input.id',
      ),
      NOT_CONFIRMED: userError(
        'INVALID_INPUT',
        'only a confirmed registration can be checked in',
        'input.id',
      ),
    };
    return { ...none, error: errors[result.reason] };
  },

  checkOut: async (_parent, { input }, ctx) => {
    assertAllowed(ctx, canCheckMembersIn(ctx), 'check members out');
    if ((input.memberId == null) === (input.visitId == null))
      return {
        visit: null,
        error: userError('INVALID_INPUT', 'give either memberId or visitId', 'input'),
      };
    if (input.visitId != null) {
      const visit = target(ctx, input.visitId, 'visit', 'input.visitId');
      if (!visit.ok) return { visit: null, error: visit.error };
      return visitPayload(
        await memberData.checkOutVisit(ctx.db, { visitId: visit.uuid, at: ctx.now }),
      );
    }
    const member = target(ctx, input.memberId!, 'member', 'input.memberId');
    if (!member.ok) return { visit: null, error: member.error };
    return visitPayload(await memberData.checkOut(ctx.db, { memberId: member.uuid, at: ctx.now }));
  },
};

/** The public web page registers guests as anonymous visitors: see `registerForEvent` in the SDL. */
const GUEST_SELF_REGISTRATION: registrationData.SelfRegistrationLimits = {
  maxUpcoming: 5,
  holdMinutes: 30,
};

/** The registration a mail's link names, when its token was signed for it and this purpose. */
function linked(
  ctx: Context,
  input: { registrationId: string; token: string },
  purpose: string,
):
  | { ok: true; uuid: string }
  | { ok: false; failure: { error: UserError; answerSentByMail: false } } {
  const invalid = {
    ok: false as const,
    failure: {
      error: userError('INVALID_TOKEN', 'This link is not valid', 'input.token'),
      answerSentByMail: false as const,
    },
  };
  if (verifyLinkToken(ctx.mail.linkSecret, purpose, input.token) !== input.registrationId)
    return invalid;
  const local = localId(ctx, input.registrationId, 'registration');
  return local.ok ? { ok: true, uuid: local.uuid } : invalid;
}

const REGISTRATION_MESSAGES: Record<registrationData.RegistrationRefusal, string> = {
  UNKNOWN_EVENT: 'No such event at this partner',
  EVENT_CLOSED: 'This event is cancelled or over and takes no registrations',
  ALREADY_REGISTERED: 'Already registered for this event',
  GUEST_LIMIT: `This email already holds ${GUEST_SELF_REGISTRATION.maxUpcoming} registrations to upcoming events`,
  UNKNOWN_REGISTRATION: 'No such registration at this partner',
  ALREADY_CANCELLED: 'This registration is already cancelled',
};

function registrationPayload(outcome: registrationData.RegistrationOutcome) {
  if (outcome.ok)
    return {
      registration: outcome.registration,
      promoted: outcome.promoted,
      error: null,
      answerSentByMail: false,
    };
  return {
    registration: null,
    promoted: null,
    error: userError(outcome.reason, REGISTRATION_MESSAGES[outcome.reason]),
    answerSentByMail: false,
  };
}

function memberPayload(ctx: Context, result: memberData.MemberOutcome) {
  if (result.ok) return { member: result.member, error: null };
  const refusals = {
    EMAIL_TAKEN: ['Another member already uses this email address', 'input.email'],
    PERSON_TAKEN: ['Another member is already linked to this person', 'input.personId'],
    UNKNOWN_MEMBER: [`No such member at ${ctx.partner}`, 'input.id'],
  } as const;
  const [message, field] = refusals[result.reason];
  return { member: null, error: userError(result.reason, message, field) };
}

type Registrant =
  { ok: true; value: registrationData.Registrant } | { ok: false; error: UserError };

/**
 * Who a registration is for: the member or guest the input names, or else the signed-in
 * person, through their member record here if they have one.
 */
async function whoRegisters(
  ctx: Context,
  input: {
    memberId?: string | null;
    guest?: { name: string; email: string } | null;
    displayName?: string | null;
  },
): Promise<Registrant> {
  if (input.memberId != null) {
    const member = target(ctx, input.memberId, 'member', 'input.memberId');
    if (!member.ok) return member;
    const row = await ctx.loaders.memberById.load(member.uuid);
    assertAllowed(
      ctx,
      row ? canRegisterFor(ctx, row) : canRegisterGuestsWithoutLimit(ctx),
      'register another member',
    );
    if (!row)
      return {
        ok: false,
        error: userError(
          'UNKNOWN_MEMBER',
          `No member ${input.memberId} at ${ctx.partner}`,
          'input.memberId',
        ),
      };
    return { ok: true, value: { memberId: member.uuid } };
  }
  if (input.guest != null) {
    const who = checked(() => guest(input.guest!));
    if (!who.ok) return who;
    return {
      ok: true,
      value: {
        guest: who.value,
        ...(canRegisterGuestsWithoutLimit(ctx)
          ? {}
          : { selfRegistration: GUEST_SELF_REGISTRATION }),
      },
    };
  }
  assertAllowed(ctx, canActForOneself(ctx), 'register oneself');
  const personId = viewerPersonUuid(ctx)!;
  const [own] = await ctx.loaders.membersByPersonId.load(personId);
  if (own) return { ok: true, value: { memberId: own.id } };
  const name = checked(() => displayNameInput(input.displayName));
  if (!name.ok) return name;
  // The gateway tells the event's partner the person's verified email in this request's
  // viewer header only (docs/architecture.md §6): kept on this registration alone, for its mails.
  const email = ctx.viewer.kind === 'person' ? (ctx.viewer.email ?? null) : null;
  return { ok: true, value: { person: { id: personId, name: name.value, email } } };
}

function visitPayload(result: memberData.VisitOutcome) {
  if (result.ok) return { visit: result.visit, error: null };
  const messages = {
    UNKNOWN_MEMBER: 'No such member at this partner',
    ALREADY_CHECKED_IN: 'This member is already checked in',
    NOT_CHECKED_IN: 'This member is not checked in',
  };
  return { visit: null, error: userError(result.reason, messages[result.reason]) };
}
