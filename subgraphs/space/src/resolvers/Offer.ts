import type { OfferResolvers } from '../__generated__/resolvers-types.js';
import { publicId } from '../ids.js';
import { eur } from './money.js';

export const Offer: OfferResolvers = {
  id: (offer, _args, ctx) => publicId(ctx, 'offer', offer.id),
  price: (offer) => eur(offer.priceCents),
};
