import { daysBetween, parisDate, startOfParisDay } from '@tiers-lieux/schema';
import { checkFirst } from '@tiers-lieux/subgraph-shell';
import type {
  FreeResourceOrder,
  QueryResolvers,
  QuerySpacesArgs,
  SpaceOrder,
} from '../__generated__/resolvers-types.js';
import { assertAllowed, canSeeMember, canSeePartnerFigures, memberVisibility } from '../access.js';
import type { Context } from '../context.js';
import { eventSortKey, pageEvents } from '../data/events.js';
import { memberSortKey, pageMembers } from '../data/members.js';
import * as figures from '../data/statistics.js';
import { pageSpaces, spaceSortKey, type SpaceQuery } from '../data/spaces.js';
import { BadInputError } from '../errors.js';
import { localId, lookupId } from '../ids.js';
import { pageArgs, toConnection } from '../paging.js';
import { assertCleanText, validNear } from './inputs.js';
import type { SpaceConnectionModel } from './mappers.js';
import { freeResourceSortKey, searchFreeResources } from '../availability.js';
import { visibleBooking } from './Booking.js';

const MAX_FIGURES_DAYS = 3660;

/** The partner's figures are its managers' and coordinators', over a bounded period. */
function figuresPeriod(ctx: Context, from: string, to: string, action: string) {
  assertAllowed(ctx, canSeePartnerFigures(ctx), action);
  const days = daysBetween(from, to);
  if (days < 0) throw new BadInputError('to must not be before from', 'to');
  if (days >= MAX_FIGURES_DAYS)
    throw new BadInputError(`a period covers at most ${MAX_FIGURES_DAYS} days`, 'to');
  return { start: startOfParisDay(from), end: startOfParisDay(to, 1) };
}

/** Ids in a filter: those of this partner, as uuids; others' ids match nothing here. */
function localIds(ctx: Context, ids: readonly string[], kind: 'space', argument: string): string[] {
  return ids.flatMap((id) => {
    const local = localId(ctx, id, kind);
    if (local.ok) return [local.uuid];
    if (local.reason === 'ELSEWHERE') return [];
    throw new BadInputError(
      `${argument} holds ${JSON.stringify(id)}, which is not a ${kind} id`,
      argument,
    );
  });
}

/** The partner's directory: `Query.spaces`, and `Partner.spaces` of this partner. */
export async function directory(
  ctx: Context,
  { filter, orderBy, first, after }: QuerySpacesArgs,
): Promise<SpaceConnectionModel> {
  const near = filter?.near ? validNear(filter.near, 'filter.near') : null;
  const order: SpaceOrder = orderBy ?? (near ? 'DISTANCE' : 'NAME');
  if (order === 'DISTANCE' && !near) {
    throw new BadInputError('orderBy DISTANCE needs filter.near', 'orderBy');
  }
  const page = pageArgs({ first, after }, order === 'DISTANCE' ? 'number' : 'string');
  assertCleanText(filter?.text, 'filter.text');
  for (const commune of filter?.communes ?? []) assertCleanText(commune, 'filter.communes');
  const query: SpaceQuery = { ...filter, near };
  const result = await pageSpaces(ctx.db, { query, order, ...page });
  for (const row of result.rows) ctx.loaders.spaceById.prime(row.id, row);
  return toConnection(result, (row) => spaceSortKey(row, order), page.after);
}

export const Query: QueryResolvers = {
  spaces: (_parent, args, ctx) => directory(ctx, args),

  visitsByWeek: async (_parent, { from, to, first }, ctx) => {
    const period = figuresPeriod(ctx, from, to, 'see visit figures');
    const rows = await figures.visitsByWeek(ctx.db, { ...period, limit: checkFirst(first, 2000) });
    const spaces = await ctx.loaders.spaceById.loadMany(rows.map((row) => row.spaceId));
    return rows.flatMap((row, i) => {
      const space = spaces[i];
      return space && !(space instanceof Error) ? [{ ...row, space }] : [];
    });
  },

  occupancyByHour: (_parent, { from, to }, ctx) =>
    figures.occupancyByHour(ctx.db, figuresPeriod(ctx, from, to, 'see occupancy figures')),

  eventAttendance: async (_parent, { from, to, first }, ctx) => {
    const period = figuresPeriod(ctx, from, to, 'see event figures');
    const rows = await figures.eventAttendance(ctx.db, {
      ...period,
      limit: checkFirst(first, 500),
    });
    const events = await ctx.loaders.eventById.loadMany(rows.map((row) => row.eventId));
    return rows.flatMap((row, i) => {
      const event = events[i];
      return event && !(event instanceof Error)
        ? [{ event, capacity: event.capacity, confirmed: row.confirmed, waiting: row.waiting }]
        : [];
    });
  },

  directoryOptIns: (_parent, { from, to }, ctx) =>
    figures.directoryOptIns(ctx.db, figuresPeriod(ctx, from, to, 'see directory figures')),

  space: (_parent, { id }, ctx) => {
    const uuid = lookupId(ctx, id, 'space');
    return uuid ? ctx.loaders.spaceById.load(uuid) : null;
  },

  events: async (_parent, { filter, first, after }, ctx) => {
    const page = pageArgs({ first, after }, 'number');
    assertCleanText(filter?.text, 'filter.text');
    const from = filter?.from ?? ctx.now;
    if (filter?.to && filter.to <= from)
      throw new BadInputError('filter.to must be after filter.from', 'filter.to');
    const spaceIds = filter?.spaceIds
      ? localIds(ctx, filter.spaceIds, 'space', 'filter.spaceIds')
      : null;
    const result = await pageEvents(ctx.db, { query: { ...filter, from, spaceIds }, ...page });
    for (const row of result.rows) ctx.loaders.eventById.prime(row.id, row);
    return toConnection(result, eventSortKey, page.after);
  },

  event: (_parent, { id }, ctx) => {
    const uuid = lookupId(ctx, id, 'event');
    return uuid ? ctx.loaders.eventById.load(uuid) : null;
  },

  members: async (_parent, { filter, first, after }, ctx) => {
    const page = pageArgs({ first, after }, 'string');
    assertCleanText(filter?.text, 'filter.text');
    for (const skill of filter?.skills ?? []) assertCleanText(skill, 'filter.skills');
    let spaceId: string | null = null;
    if (filter?.spaceId) {
      spaceId = lookupId(ctx, filter.spaceId, 'space', 'filter.spaceId');
      if (!spaceId)
        return toConnection(
          { rows: [], hasNextPage: false, totalCount: async () => 0 },
          memberSortKey,
          page.after,
        );
    }
    const visibility = memberVisibility(ctx);
    const result = await pageMembers(ctx.db, {
      query: { ...filter, spaceId, today: parisDate(ctx.now), visibility },
      ...page,
    });
    for (const row of result.rows) ctx.loaders.memberById.prime(row.id, row);
    return toConnection(result, memberSortKey, page.after);
  },

  member: async (_parent, { id }, ctx) => {
    const uuid = lookupId(ctx, id, 'member');
    return uuid ? visibleMember(ctx, uuid) : null;
  },

  freeResources: async (_parent, { filter, orderBy, first, after }, ctx) => {
    const near = filter.near ? validNear(filter.near, 'filter.near') : null;
    const order: FreeResourceOrder = orderBy ?? (near ? 'DISTANCE' : 'FIRST_FREE');
    if (order === 'DISTANCE' && !near)
      throw new BadInputError('orderBy DISTANCE needs filter.near', 'orderBy');
    if (first !== null && first !== undefined && first > 100)
      throw new BadInputError('first must be between 1 and 100', 'first');
    const page = pageArgs({ first, after }, 'number');
    assertCleanText(filter.text, 'filter.text');
    const result = await searchFreeResources(ctx.db, {
      filter,
      near,
      order,
      ...page,
      now: ctx.now,
    });
    return toConnection(result, (row) => freeResourceSortKey(row, order), page.after);
  },

  resource: (_parent, { id }, ctx) => {
    const uuid = lookupId(ctx, id, 'resource');
    return uuid ? ctx.loaders.resourceById.load(uuid) : null;
  },

  booking: async (_parent, { id }, ctx) => {
    const uuid = lookupId(ctx, id, 'booking');
    return uuid ? visibleBooking(ctx, await ctx.loaders.bookingById.load(uuid)) : null;
  },
};

/** A member as the viewer may see it: null when not in the directory and not the viewer's to see. */
export async function visibleMember(ctx: Context, uuid: string) {
  const member = await ctx.loaders.memberById.load(uuid);
  return member && canSeeMember(ctx, member) ? member : null;
}
