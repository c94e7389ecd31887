import type { PartnerResolvers } from '../__generated__/resolvers-types.js';
import { isCoordinator } from '../context.js';

export const Partner: PartnerResolvers = {
  __resolveReference: ({ slug }, ctx) => ctx.loaders.partnerBySlug.load(slug),
  subgraphUrl: (partner, _args, ctx) => (isCoordinator(ctx) ? partner.subgraphUrl : null),
  lastCheck: (partner, _args, ctx) =>
    isCoordinator(ctx) ? ctx.loaders.lastCheckBySlug.load(partner.slug) : null,
  failedCheckCount: (partner, _args, ctx) =>
    isCoordinator(ctx) ? ctx.loaders.failedCheckCountBySlug.load(partner.slug) : null,
  passProducts: (partner, _args, ctx) => ctx.loaders.productsBySeller.load(partner.slug),
};
