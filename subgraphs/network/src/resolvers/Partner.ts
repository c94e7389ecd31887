import type { PartnerResolvers } from '../__generated__/resolvers-types.js';
import { isCoordinator } from '../context.js';
import { pageOf } from '../paging.js';

export const Partner: PartnerResolvers = {
  __resolveReference: ({ slug }, ctx) => ctx.loaders.partnerBySlug.load(slug),
  subgraphUrl: (partner, _args, ctx) => (isCoordinator(ctx) ? partner.subgraphUrl : null),
  passProducts: async (partner, args, ctx) =>
    pageOf(await ctx.loaders.productsBySeller.load(partner.slug), args, (row) => row.name),
};
