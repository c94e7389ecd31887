import type { MemberResolvers } from '../__generated__/resolvers-types.js';
import { maySeePrivate } from '../context.js';
import { checkFirst } from '../paging.js';
import { localId, publicId } from '../ids.js';
import { visibleMember } from './Query.js';

export const Member: MemberResolvers = {
  __resolveReference: ({ id }, ctx) => {
    const local = localId(ctx, id, 'member');
    return local.ok ? visibleMember(ctx, local.uuid) : null;
  },
  id: (member, _args, ctx) => publicId(ctx, 'member', member.id),
  partnerSlug: (_member, _args, ctx) => ctx.partner,
  email: (member, _args, ctx) => (maySeePrivate(ctx, member.id) ? member.email : null),
  phone: (member, _args, ctx) => (maySeePrivate(ctx, member.id) ? member.phone : null),
  skills: (member, _args, ctx) =>
    member.isInDirectory || maySeePrivate(ctx, member.id) ? member.skills : [],
  memberships: async (member, { first }, ctx) => {
    checkFirst(first, 200);
    return maySeePrivate(ctx, member.id)
      ? (await ctx.loaders.membershipsByMemberId.load(member.id)).slice(0, first)
      : [];
  },
  registrations: async (member, { first }, ctx) => {
    checkFirst(first, 200);
    return maySeePrivate(ctx, member.id)
      ? (await ctx.loaders.registrationsByMemberId.load(member.id)).slice(0, first)
      : [];
  },
  visits: (member, { first }, ctx) => {
    checkFirst(first, 100);
    return maySeePrivate(ctx, member.id)
      ? ctx.loaders.recentVisitsByMemberId(first).load(member.id)
      : [];
  },
  isCheckedIn: async (member, _args, ctx) =>
    maySeePrivate(ctx, member.id)
      ? (await ctx.loaders.openVisitByMemberId.load(member.id)) !== null
      : null,
};
