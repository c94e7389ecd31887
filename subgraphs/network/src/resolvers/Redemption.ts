import type { RedemptionResolvers } from '../__generated__/resolvers-types.js';
import { networkId } from '../ids.js';
import { eur } from './money.js';

export const Redemption: RedemptionResolvers = {
  id: (redemption) => networkId('redemption', redemption.id),
  pass: async (redemption, _args, ctx) => (await ctx.loaders.passById.load(redemption.passId))!,
  space: (redemption) => ({ id: redemption.spaceId }),
  amount: (redemption) => eur(redemption.amountCents),
  voided: async (redemption, _args, ctx) =>
    (await ctx.loaders.voidOfRedemption.load(redemption.id)) !== null,
  voidedAt: async (redemption, _args, ctx) =>
    (await ctx.loaders.voidOfRedemption.load(redemption.id))?.recordedAt ?? null,
  voidReason: async (redemption, _args, ctx) =>
    (await ctx.loaders.voidOfRedemption.load(redemption.id))?.reason ?? null,
};
