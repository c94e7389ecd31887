import type { PassSalesBucketResolvers } from '../__generated__/resolvers-types.js';
import { eur } from './money.js';

export const PassSalesBucket: PassSalesBucketResolvers = {
  amount: (bucket) => eur(bucket.amountCents),
};
