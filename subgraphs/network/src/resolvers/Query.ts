import { daysBetween, startOfParisDay } from '@tiers-lieux/schema';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { CODE_PROBLEMS, parsePassCode } from '../code.js';
import { assertAllowed, canSeeSettlement } from '../access.js';
import { listPartners } from '../data/partners.js';
import { getPassByCode } from '../data/passes.js';
import { listProducts } from '../data/products.js';
import { statementLines } from '../data/settlement.js';
import { BadInputError } from '../errors.js';
import { parseNetworkId } from '../ids.js';
import { pageOf } from '../paging.js';

const MAX_SETTLEMENT_DAYS = 366;

export const Query: QueryResolvers = {
  partners: async (_parent, { status }, ctx) => {
    const rows = await listPartners(ctx.db, status);
    for (const row of rows) ctx.loaders.partnerBySlug.prime(row.slug, row);
    return rows;
  },

  partner: (_parent, { slug }, ctx) => ctx.loaders.partnerBySlug.load(slug),

  passProducts: async (_parent, args, ctx) => {
    const rows = await listProducts(ctx.db);
    const page = pageOf(rows, args, (row) => row.name);
    for (const { node } of page.edges) ctx.loaders.productById.prime(node.id, node);
    return page;
  },

  passProduct: (_parent, { id }, ctx) => {
    const uuid = parseNetworkId(id, 'pass-product');
    if (!uuid)
      throw new BadInputError('id is not a pass product id of the form pass-product:<uuid>', 'id');
    return ctx.loaders.productById.load(uuid);
  },

  pass: async (_parent, { code }, ctx) => {
    const parsed = parsePassCode(code);
    if (!parsed.ok) throw new BadInputError(`code: ${CODE_PROBLEMS[parsed.reason]}`, 'code');
    const row = await getPassByCode(ctx.db, parsed.code);
    return row && { ...row, codeRevealed: true };
  },

  settlement: async (_parent, { from, to }, ctx) => {
    assertAllowed(ctx.viewer, canSeeSettlement(ctx.viewer), 'see settlements');
    const days = daysBetween(from, to);
    if (days < 0) throw new BadInputError('to must not be before from', 'to');
    if (days >= MAX_SETTLEMENT_DAYS)
      throw new BadInputError(`a settlement covers at most ${MAX_SETTLEMENT_DAYS} days`, 'to');
    const lines = await statementLines(ctx.db, {
      start: startOfParisDay(from),
      end: startOfParisDay(to, 1),
    });
    return { from, to, lines };
  },
};
