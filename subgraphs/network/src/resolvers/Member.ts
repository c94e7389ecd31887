import type { MemberResolvers } from '../__generated__/resolvers-types.js';
import { maySeeMember } from '../context.js';

export const Member: MemberResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  passes: (member, _args, ctx) =>
    maySeeMember(ctx, member.id) ? ctx.loaders.passesByHolderId.load(member.id) : [],
};
