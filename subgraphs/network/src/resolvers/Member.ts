import type { MemberResolvers } from '../__generated__/resolvers-types.js';
import { maySeeMember } from '../context.js';
import { checkFirst } from '../paging.js';

export const Member: MemberResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  passes: async (member, { first }, ctx) => {
    checkFirst(first, 100);
    return maySeeMember(ctx, member.id)
      ? (await ctx.loaders.passesByHolderId.load(member.id)).slice(0, first)
      : [];
  },
};
