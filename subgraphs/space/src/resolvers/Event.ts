import type { EventResolvers } from '../__generated__/resolvers-types.js';
import { canSeeRegistration, viewerPersonUuid } from '../access.js';
import { localId, publicId } from '../ids.js';
import { checkFirst } from '@tiers-lieux/subgraph-shell';
import { eur } from './money.js';
import { registrationOwner } from './Registration.js';

export const Event: EventResolvers = {
  __resolveReference: ({ id }, ctx) => {
    const local = localId(ctx, id, 'event');
    return local.ok ? ctx.loaders.eventById.load(local.uuid) : null;
  },
  id: (event, _args, ctx) => publicId(ctx, 'event', event.id),
  space: async (event, _args, ctx) => (await ctx.loaders.spaceById.load(event.spaceId))!,
  series: (event, _args, ctx) =>
    event.seriesId ? ctx.loaders.seriesById.load(event.seriesId) : null,
  price: (event) => (event.priceCents === null ? null : eur(event.priceCents)),
  seatsLeft: async (event, _args, ctx) => {
    if (event.capacity === null) return null;
    const seats = await ctx.loaders.seatsByEventId.load(event.id);
    return Math.max(0, event.capacity - seats.confirmed - seats.held);
  },
  waitingListLength: async (event, _args, ctx) =>
    (await ctx.loaders.seatsByEventId.load(event.id)).waiting,
  registrations: async (event, { first }, ctx) => {
    checkFirst(first, 500);
    const registrations = await ctx.loaders.registrationsByEventId.load(event.id);
    // Nobody's own: seen by those who see every registration, and no owner needs loading.
    if (canSeeRegistration(ctx, { personId: null })) return registrations.slice(0, first);
    if (viewerPersonUuid(ctx) === null) return [];
    const owners = await Promise.all(registrations.map((r) => registrationOwner(ctx, r)));
    return registrations.filter((_r, i) => canSeeRegistration(ctx, owners[i]!)).slice(0, first);
  },
};
