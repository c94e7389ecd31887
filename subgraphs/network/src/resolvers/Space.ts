import { partnerOfId } from '@tiers-lieux/schema';
import type { SpaceResolvers } from '../__generated__/resolvers-types.js';

export const Space: SpaceResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  partner: (space, _args, ctx) => {
    const slug = partnerOfId(space.id);
    return slug ? ctx.loaders.partnerBySlug.load(slug) : null;
  },
  acceptedPasses: (space, _args, ctx) => ctx.loaders.productsBySpaceId.load(space.id),
};
