import type { MemberResolvers } from '../__generated__/resolvers-types.js';
import { canSeeMemberPrivate } from '../access.js';

export const Member: MemberResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  passes: (member, _args, ctx) =>
    canSeeMemberPrivate(ctx.viewer, member) ? ctx.loaders.passesByHolderId.load(member.id) : [],
};
