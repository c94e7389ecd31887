import { parisDate } from '@tiers-lieux/schema';
import type { MembershipResolvers } from '../__generated__/resolvers-types.js';
import { publicId } from '../ids.js';

export const Membership: MembershipResolvers = {
  id: (membership, _args, ctx) => publicId(ctx, 'membership', membership.id),
  space: async (membership, _args, ctx) => (await ctx.loaders.spaceById.load(membership.spaceId))!,
  isCurrent: (membership, _args, ctx) => {
    const today = parisDate(ctx.now);
    return membership.since <= today && (membership.until === null || membership.until >= today);
  },
};
