import type { MemberResolvers } from '../__generated__/resolvers-types.js';
import { canSeeMember, canSeeMemberPrivate } from '../access.js';
import { BadInputError } from '../errors.js';
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
  memberships: (member, _args, ctx) =>
    canSeeMemberPrivate(ctx, member) ? ctx.loaders.membershipsByMemberId.load(member.id) : [],
  registrations: (member, _args, ctx) =>
    canSeeMemberPrivate(ctx, member) ? ctx.loaders.registrationsByMemberId.load(member.id) : [],
  visits: (member, { first }, ctx) => {
    if (!Number.isInteger(first) || first < 1 || first > 100) {
      throw new BadInputError('first must be between 1 and 100', 'first');
    }
    return canSeeMemberPrivate(ctx, member)
      ? ctx.loaders.recentVisitsByMemberId(first).load(member.id)
      : [];
  },
  isCheckedIn: async (member, _args, ctx) =>
    canSeeMemberPrivate(ctx, member)
      ? (await ctx.loaders.openVisitByMemberId.load(member.id)) !== null
      : null,
};
