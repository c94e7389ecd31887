import type { PartnerResolvers } from '../__generated__/resolvers-types.js';
import { canSeePartnerSubgraphUrl } from '../access.js';
import { pageOf } from '../paging.js';

export const Partner: PartnerResolvers = {
  __resolveReference: ({ slug }, ctx) => ctx.loaders.partnerBySlug.load(slug),
  subgraphUrl: (partner, _args, ctx) =>
    canSeePartnerSubgraphUrl(ctx.viewer) ? partner.subgraphUrl : null,
  lastCheck: (partner, _args, ctx) =>
    canSeePartnerSubgraphUrl(ctx.viewer) ? ctx.loaders.lastCheckBySlug.load(partner.slug) : null,
  failedCheckCount: (partner, _args, ctx) =>
    canSeePartnerSubgraphUrl(ctx.viewer)
      ? ctx.loaders.failedCheckCountBySlug.load(partner.slug)
      : null,
  passProducts: async (partner, args, ctx) =>
    pageOf(await ctx.loaders.productsBySeller.load(partner.slug), args, (row) => row.name),
};
