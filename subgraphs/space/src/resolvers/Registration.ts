import type { RegistrationResolvers } from '../__generated__/resolvers-types.js';
import { waitingPositions } from '../data/registrations.js';
import { publicId } from '../ids.js';

export const Registration: RegistrationResolvers = {
  id: (registration, _args, ctx) => publicId(ctx, 'registration', registration.id),
  event: async (registration, _args, ctx) =>
    (await ctx.loaders.eventById.load(registration.eventId))!,
  member: (registration, _args, ctx) =>
    registration.memberId ? ctx.loaders.memberById.load(registration.memberId) : null,
  name: async (registration, _args, ctx) => {
    if (registration.guestName) return registration.guestName;
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
