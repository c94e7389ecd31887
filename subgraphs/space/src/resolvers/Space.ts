import type { SpaceResolvers } from '../__generated__/resolvers-types.js';
import { canCheckMembersIn, canSeeUnlistedMembers, canWorkBookingDesk } from '../access.js';
import { isOpenAt, nextOpenings } from '../hours.js';
import { localId, publicId } from '../ids.js';
import { BadInputError } from '../errors.js';
import { checkFirst } from '@tiers-lieux/subgraph-shell';

const MAX_NEXT_OPENINGS = 20;

export const Space: SpaceResolvers = {
  __resolveReference: ({ id }, ctx) => {
    const local = localId(ctx, id, 'space');
    return local.ok ? ctx.loaders.spaceById.load(local.uuid) : null;
  },
  id: (space, _args, ctx) => publicId(ctx, 'space', space.id),
  partnerSlug: (_space, _args, ctx) => ctx.partner,
  address: (space) => ({
    street: space.street,
    postalCode: space.postalCode,
    commune: space.commune,
    inseeCode: space.inseeCode,
    department: space.department,
  }),
  location: (space) => ({ lat: space.lat, lon: space.lon }),
  contact: (space) => ({ email: space.contactEmail, phone: space.contactPhone }),
  openNow: (space, _args, ctx) => space.status === 'OPEN' && isOpenAt(space.openingHours, ctx.now),
  isOpenAt: (space, { at }) => space.status === 'OPEN' && isOpenAt(space.openingHours, at),
  nextOpenings: (space, { count }, ctx) => {
    if (!Number.isInteger(count) || count < 1 || count > MAX_NEXT_OPENINGS) {
      throw new BadInputError(`count must be between 1 and ${MAX_NEXT_OPENINGS}`, 'count');
    }
    return space.status === 'OPEN' ? nextOpenings(space.openingHours, ctx.now, count) : [];
  },
  offers: (space, _args, ctx) => ctx.loaders.offersBySpaceId.load(space.id),
  occupancy: (space, _args, ctx) => ctx.loaders.occupancyBySpaceId.load(space.id),
  presentVisits: (space, _args, ctx) =>
    canCheckMembersIn(ctx) ? ctx.loaders.presentVisitsBySpaceId.load(space.id) : null,
  distanceKm: (space) => space.distanceKm ?? null,
  events: (space, { first }, ctx) =>
    ctx.loaders.upcomingEventsBySpaceId(checkFirst(first, 100)).load(space.id),
  members: async (space, { first }, ctx) => {
    checkFirst(first, 200);
    const members = await ctx.loaders.currentMembersBySpaceId.load(space.id);
    return (canSeeUnlistedMembers(ctx) ? members : members.filter((m) => m.isInDirectory)).slice(
      0,
      first,
    );
  },
  resources: (space, _args, ctx) => ctx.loaders.resourcesBySpaceId.load(space.id),
  bookings: (space, { from, to }, ctx) => {
    if (!(to > from) || to.getTime() - from.getTime() > 31 * 86_400_000)
      throw new BadInputError('from..to must be a range of at most 31 days', 'to');
    return canWorkBookingDesk(ctx) ? ctx.loaders.bookingsOfSpace(from, to).load(space.id) : [];
  },
};
