import type { PartnerResolvers } from '../__generated__/resolvers-types.js';
import { directory } from './Query.js';

export const Partner: PartnerResolvers = {
  // The gateway sends a partner's subgraph only its own partner; anything else is not ours.
  __resolveReference: ({ slug }, ctx) => (slug === ctx.partner ? { slug } : null),
  spaces: (_partner, args, ctx) => directory(ctx, args),
};
