import type {
  SettlementLineResolvers,
  SettlementResolvers,
} from '../__generated__/resolvers-types.js';
import { statementCsv } from '../data/settlement.js';
import { checkFirst } from '@tiers-lieux/subgraph-shell';
import { eur } from './money.js';

export const Settlement: SettlementResolvers = {
  lines: (statement, { first }) => statement.lines.slice(0, checkFirst(first, 10_100)),
  lineCount: (statement) => statement.lines.length,
  totalEntries: (statement) => statement.lines.reduce((sum, line) => sum + line.entries, 0),
  total: (statement) => eur(statement.lines.reduce((sum, line) => sum + line.amountCents, 0)),
  csv: async (statement, _args, ctx) => {
    const slugs = new Set(statement.lines.flatMap((l) => [l.hostSlug, l.sellerSlug ?? []].flat()));
    const partners = await ctx.loaders.partnerBySlug.loadMany([...slugs]);
    const names = new Map(
      partners.flatMap((p) => (p && !(p instanceof Error) ? [[p.slug, p.name] as const] : [])),
    );
    return statementCsv(statement, (slug) => names.get(slug) ?? slug);
  },
};

export const SettlementLine: SettlementLineResolvers = {
  seller: (line, _args, ctx) =>
    line.sellerSlug ? ctx.loaders.partnerBySlug.load(line.sellerSlug) : null,
  host: async (line, _args, ctx) => (await ctx.loaders.partnerBySlug.load(line.hostSlug))!,
  amount: (line) => eur(line.amountCents),
};
