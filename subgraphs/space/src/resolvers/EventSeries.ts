import type { EventSeriesResolvers } from '../__generated__/resolvers-types.js';
import { checkFirst } from '@tiers-lieux/subgraph-shell';
import { publicId } from '../ids.js';

export const EventSeries: EventSeriesResolvers = {
  id: (series, _args, ctx) => publicId(ctx, 'series', series.id),
  space: async (series, _args, ctx) => (await ctx.loaders.spaceById.load(series.spaceId))!,
  occurrences: async (series, { first }, ctx) =>
    (await ctx.loaders.eventsBySeriesId.load(series.id)).slice(0, checkFirst(first, 100)),
};
