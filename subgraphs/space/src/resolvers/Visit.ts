import type { VisitResolvers } from '../__generated__/resolvers-types.js';
import { publicId } from '../ids.js';
import { personModel } from './Person.js';

export const Visit: VisitResolvers = {
  id: (visit, _args, ctx) => publicId(ctx, 'visit', visit.id),
  space: async (visit, _args, ctx) => (await ctx.loaders.spaceById.load(visit.spaceId))!,
  member: (visit, _args, ctx) =>
    visit.memberId ? ctx.loaders.memberById.load(visit.memberId) : null,
  person: (visit) => (visit.kind === 'NETWORK_VISITOR' ? personModel(visit.personId) : null),
};
