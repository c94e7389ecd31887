import { foldText } from '@tiers-lieux/schema';
import type { MemberResolvers } from '../__generated__/resolvers-types.js';
import type { MemberRow } from '../db/schema.js';
import { canSeeMember, canSeeMemberPrivate } from '../access.js';
import { checkFirst } from '@tiers-lieux/subgraph-shell';
import { localId, publicId } from '../ids.js';
import { personModel } from './Person.js';
import { visibleMember } from './Query.js';

/** The skills a member shows in the directory: all but those they keep out of it. */
function directorySkills(member: MemberRow): string[] {
  return member.skills.filter((skill) => !member.hiddenSkillKeys.includes(foldText(skill)));
}

export const Member: MemberResolvers = {
  __resolveReference: ({ id }, ctx) => {
    const local = localId(ctx, id, 'member');
    return local.ok ? visibleMember(ctx, local.uuid) : null;
  },
  id: (member, _args, ctx) => publicId(ctx, 'member', member.id),
  partnerSlug: (_member, _args, ctx) => ctx.partner,
  email: (member, _args, ctx) => (canSeeMemberPrivate(ctx, member) ? member.email : null),
  phone: (member, _args, ctx) => (canSeeMemberPrivate(ctx, member) ? member.phone : null),
  skills: (member, _args, ctx) => {
    if (canSeeMemberPrivate(ctx, member)) return member.skills;
    return canSeeMember(ctx, member) ? directorySkills(member) : [];
  },
  directorySkills: (member, _args, ctx) =>
    canSeeMemberPrivate(ctx, member) ? directorySkills(member) : [],
  person: (member, _args, ctx) =>
    canSeeMemberPrivate(ctx, member) ? personModel(member.personId) : null,
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
