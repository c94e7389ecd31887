import type { RegistrationResolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import type { RegistrationRow } from '../db/schema.js';
import { waitingPositions } from '../data/registrations.js';
import { publicId } from '../ids.js';
import { personModel } from './Person.js';

/** The person a registration belongs to: the registered member's, or the person's own. */
export async function registrationOwner(
  ctx: Context,
  registration: Pick<RegistrationRow, 'memberId' | 'personId'>,
): Promise<{ personId: string | null }> {
  if (registration.personId) return { personId: registration.personId };
  const member = registration.memberId
    ? await ctx.loaders.memberById.load(registration.memberId)
    : null;
  return { personId: member?.personId ?? null };
}

export const Registration: RegistrationResolvers = {
  id: (registration, _args, ctx) => publicId(ctx, 'registration', registration.id),
  event: async (registration, _args, ctx) =>
    (await ctx.loaders.eventById.load(registration.eventId))!,
  member: (registration, _args, ctx) =>
    registration.memberId ? ctx.loaders.memberById.load(registration.memberId) : null,
  person: (registration) => personModel(registration.personId),
  name: async (registration, _args, ctx) => {
    const given = registration.guestName ?? registration.personName;
    if (given) return given;
    const member = registration.memberId
      ? await ctx.loaders.memberById.load(registration.memberId)
      : null;
    return member?.displayName ?? '';
  },
  waitingPosition: async (registration, _args, ctx) => {
    if (registration.status !== 'WAITING') return null;
    const live = await ctx.loaders.registrationsByEventId.load(registration.eventId);
    return waitingPositions(live).get(registration.id) ?? null;
  },
};
