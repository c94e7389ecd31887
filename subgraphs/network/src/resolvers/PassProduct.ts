import type { PassProductResolvers } from '../__generated__/resolvers-types.js';
import { networkId, parseNetworkId } from '../ids.js';
import { eur } from './money.js';

export const PassProduct: PassProductResolvers = {
  __resolveReference: ({ id }, ctx) => {
    const uuid = parseNetworkId(id, 'pass-product');
    return uuid ? ctx.loaders.productById.load(uuid) : null;
  },
  id: (product) => networkId('pass-product', product.id),
  seller: (product, _args, ctx) =>
    product.sellerSlug ? ctx.loaders.partnerBySlug.load(product.sellerSlug) : null,
  validAt: async (product, _args, ctx) =>
    (await ctx.loaders.spacesByProductId.load(product.id)).map((s) => ({ id: s.spaceId })),
  price: (product) => eur(product.priceCents),
};
