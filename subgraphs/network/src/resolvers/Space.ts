import { partnerOfId } from '@tiers-lieux/schema';
import type { SpaceResolvers } from '../__generated__/resolvers-types.js';
import { checkFirst } from '@tiers-lieux/subgraph-shell';

export const Space: SpaceResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  partner: (space, _args, ctx) => {
    const slug = partnerOfId(space.id);
    return slug ? ctx.loaders.partnerBySlug.load(slug) : null;
  },
  acceptedPasses: async (space, { first }, ctx) => {
    checkFirst(first, 100);
    return (await ctx.loaders.productsBySpaceId.load(space.id)).slice(0, first);
  },
};
