import type { MemberResolvers } from '../__generated__/resolvers-types.js';
import { canSeeMember, canSeeMemberPrivate } from '../access.js';
import { checkFirst } from '@tiers-lieux/subgraph-shell';
import { localId, publicId } from '../ids.js';
import { visibleMember } from './Query.js';

export const Member: MemberResolvers = {
  __resolveReference: ({ id }, ctx) => {
    const local = localId(ctx, id, 'member');
    return local.ok ? visibleMember(ctx, local.uuid) : null;
  },
  id: (member, _args, ctx) => publicId(ctx, 'member', member.id),
  partnerSlug: (_member, _args, ctx) => ctx.partner,
  email: (member, _args, ctx) => (canSeeMemberPrivate(ctx, member) ? member.email : null),
  phone: (member, _args, ctx) => (canSeeMemberPrivate(ctx, member) ? member.phone : null),
  skills: (member, _args, ctx) => (canSeeMember(ctx, member) ? member.skills : []),
  memberships: async (member, { first }, ctx) => {
    checkFirst(first, 200);
    return canSeeMemberPrivate(ctx, member)
      ? (await ctx.loaders.membershipsByMemberId.load(member.id)).slice(0, first)
      : [];
  },
  registrations: async (member, { first }, ctx) => {
    checkFirst(first, 200);
    return canSeeMemberPrivate(ctx, member)
      ? (await ctx.loaders.registrationsByMemberId.load(member.id)).slice(0, first)
      : [];
  },
  visits: (member, { first }, ctx) => {
    checkFirst(first, 100);
    return canSeeMemberPrivate(ctx, member)
      ? ctx.loaders.recentVisitsByMemberId(first).load(member.id)
      : [];
  },
  isCheckedIn: async (member, _args, ctx) =>
    canSeeMemberPrivate(ctx, member)
      ? (await ctx.loaders.openVisitByMemberId.load(member.id)) !== null
      : null,
};
