import type { MemberResolvers } from '../__generated__/resolvers-types.js';
import { canSeeMemberPass } from '../access.js';
import { checkFirst } from '@tiers-lieux/subgraph-shell';

export const Member: MemberResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  passes: async (member, { first }, ctx) => {
    checkFirst(first, 100);
    const passes = await ctx.loaders.passesByHolderId.load(member.id);
    return passes.filter((pass) => canSeeMemberPass(ctx.viewer, member, pass)).slice(0, first);
  },
};
