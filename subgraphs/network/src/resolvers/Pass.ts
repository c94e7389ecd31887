import type { PassResolvers } from '../__generated__/resolvers-types.js';
import { formatPassCode } from '../code.js';
import { canSeePassCode, canSeePassHolder, canSeePassRedemptions } from '../access.js';
import { networkId, parseNetworkId } from '../ids.js';
import { checkFirst } from '@tiers-lieux/subgraph-shell';
import { eur } from './money.js';

export const Pass: PassResolvers = {
  __resolveReference: ({ id }, ctx) => {
    const uuid = parseNetworkId(id, 'pass');
    return uuid ? ctx.loaders.passById.load(uuid) : null;
  },
  id: (pass) => networkId('pass', pass.id),
  code: (pass, _args, ctx) => (canSeePassCode(ctx.viewer, pass) ? formatPassCode(pass.code) : null),
  product: async (pass, _args, ctx) => (await ctx.loaders.productById.load(pass.productId))!,
  holder: (pass, _args, ctx) =>
    pass.holderId && canSeePassHolder(ctx.viewer, pass) ? { id: pass.holderId } : null,
  holderPerson: (pass, _args, ctx) =>
    pass.holderPersonId && canSeePassHolder(ctx.viewer, pass)
      ? ctx.loaders.personById.load(pass.holderPersonId)
      : null,
  price: (pass) => eur(pass.priceCents),
  status: (pass, _args, ctx) => {
    if (pass.entriesLeft === 0) return 'USED_UP';
    return ctx.now >= pass.expiresAt ? 'EXPIRED' : 'ACTIVE';
  },
  validAt: async (pass, _args, ctx) =>
    (await ctx.loaders.spacesByProductId.load(pass.productId)).map((s) => ({ id: s.spaceId })),
  redemptions: async (pass, { first }, ctx) => {
    checkFirst(first, 1000);
    return canSeePassRedemptions(ctx.viewer, pass)
      ? (await ctx.loaders.redemptionsByPassId.load(pass.id)).slice(0, first)
      : [];
  },
};
