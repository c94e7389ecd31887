import type { PartnerResolvers } from '../__generated__/resolvers-types.js';
import { checkFirst, listDeadLetters } from '@tiers-lieux/subgraph-shell';
import { canSeeOutbox } from '../access.js';
import { directory } from './Query.js';

export const Partner: PartnerResolvers = {
  // The gateway sends a partner's subgraph only its own partner; anything else is not ours.
  __resolveReference: ({ slug }, ctx) => (slug === ctx.partner ? { slug } : null),
  spaces: (_partner, args, ctx) => directory(ctx, args),
  outboxDeadLetters: (_partner, { first }, ctx) =>
    canSeeOutbox(ctx) ? listDeadLetters(ctx.db, { first: checkFirst(first ?? 50, 200) }) : [],
};
