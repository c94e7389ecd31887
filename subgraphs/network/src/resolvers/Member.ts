import type { MemberResolvers } from '../__generated__/resolvers-types.js';
import { canSeeMemberPrivate } from '../access.js';
import { checkFirst } from '@tiers-lieux/subgraph-shell';

export const Member: MemberResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  passes: async (member, { first }, ctx) => {
    checkFirst(first, 100);
    return canSeeMemberPrivate(ctx.viewer, member)
      ? (await ctx.loaders.passesByHolderId.load(member.id)).slice(0, first)
      : [];
  },
};
