import type { ResourceResolvers } from '../__generated__/resolvers-types.js';
import { freePeriods } from '../booking-rules.js';
import { BadInputError } from '../errors.js';
import { localId, publicId } from '../ids.js';
import { eur } from './money.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const Resource: ResourceResolvers = {
  __resolveReference: ({ id }, ctx) => {
    const local = localId(ctx, id, 'resource');
    return local.ok ? ctx.loaders.resourceById.load(local.uuid) : null;
  },
  id: (resource, _args, ctx) => publicId(ctx, 'resource', resource.id),
  space: async (resource, _args, ctx) => (await ctx.loaders.spaceById.load(resource.spaceId))!,
  pricePerHour: (r) => (r.pricePerHourCents === null ? null : eur(r.pricePerHourCents)),
  pricePerHalfDay: (r) => (r.pricePerHalfDayCents === null ? null : eur(r.pricePerHalfDayCents)),
  pricePerDay: (r) => (r.pricePerDayCents === null ? null : eur(r.pricePerDayCents)),
  freeSlots: async (resource, { date }, ctx) => {
    if (!DATE.test(date)) throw new BadInputError('date must be YYYY-MM-DD', 'date');
    const [space, booked] = await Promise.all([
      ctx.loaders.spaceById.load(resource.spaceId),
      ctx.loaders.liveBookingsByResourceDay.load(`${resource.id}|${date}`),
    ]);
    if (!space || space.status !== 'OPEN' || !resource.isActive) return [];
    return freePeriods(resource, space.openingHours, date, booked).map((p) => ({
      startsAt: p.opensAt,
      endsAt: p.closesAt,
    }));
  },
  distanceKm: (resource) => resource.distanceKm ?? null,
  firstFreeAt: (resource) => resource.firstFreeAt ?? null,
};
