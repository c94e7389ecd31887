import { formatParisIso, partnerOfId } from '@tiers-lieux/schema';
import type { CalendarQuery, EventFilter, EventKind } from '../../__generated__/graphql.js';
import { allPages, missingPartners, request, type AnswerError } from '../../graphql/client.js';
import { CALENDAR, FEED_EVENT, FEED_PARTNER, FEED_SPACE } from '../../graphql/operations.js';
import { EVENT_KINDS } from '../../labels.js';
import { eventPath } from '../../paths.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ownGraphqlEndpoint, publicOrigin, requestUrl, sendText } from '../loopback.js';
import { icalendar, type FeedEvent } from './ical.js';

type CalendarEvent = CalendarQuery['events']['edges'][number]['node'];

/**
 * The span of time a feed holds. A month of history by default, so that a subscriber's past
 * events do not vanish at once, and a year ahead.
 */
export interface CalendarHorizon {
  pastDays: number;
  futureMonths: number;
}

export const DEFAULT_CALENDAR_HORIZON: CalendarHorizon = { pastDays: 30, futureMonths: 12 };

export interface CalendarOptions {
  horizon?: CalendarHorizon;
  /** Events asked of the gateway per request; the feed pages through all of its horizon. */
  pageSize?: number;
}

/**
 * Past this, a feed answers an error rather than a part of its horizon: a calendar client
 * would take a part for the whole and delete the rest.
 */
const MAX_FEED_EVENTS = 20_000;
const RETRY_AFTER_SECONDS = 300;

const FEED_PATH = /^\/calendar\/(?:network|spaces\/([^/]+)|partners\/([^/]+))\.ics$/;
const EVENT_PATH = /^\/calendar\/events\/([^/]+)\.ics$/;

class FeedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `?kind=TRAINING&kind=WORKSHOP` or `?kind=TRAINING,WORKSHOP`; the same for `department`. */
function listParam(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function kindsOf(url: URL): EventKind[] {
  const kinds = listParam(url, 'kind');
  const unknown = kinds.filter((k) => !Object.hasOwn(EVENT_KINDS, k));
  if (unknown.length > 0)
    throw new FeedError(
      400,
      `Unknown kind ${unknown.join(', ')}; expected one of ${Object.keys(EVENT_KINDS).join(', ')}`,
    );
  return kinds as EventKind[];
}

/**
 * A calendar client replaces its copy with what it downloads: a feed missing a partner's events
 * would delete them from every subscriber's calendar. So a feed whose partners did not all
 * answer is a 503, and clients keep their copy until the next refresh. A partner that answered
 * but broke the contract in places is served without what it broke: refusing the whole feed
 * for it would let one partner stop everyone's.
 */
function failIfIncomplete(errors: AnswerError[], concerns: (partner: string) => boolean): void {
  const missing = missingPartners(errors, { relayed: true, breachesServed: true }).filter((m) =>
    concerns(m.partner),
  );
  if (missing.length > 0)
    throw new FeedError(
      503,
      `Partner ${missing.map((m) => `${m.partner} (${m.code})`).join(', ')} did not answer; try again later`,
    );
  // One partner's errors are about its own part of the answer, which the feed may not hold.
  const other = errors.find(
    (e) =>
      typeof e.extensions?.partner !== 'string' &&
      !String(e.extensions?.code ?? '').startsWith('PARTNER_'),
  );
  if (other) throw new FeedError(502, `The gateway answered an error: ${other.message}`);
}

function feedEvent(event: CalendarEvent, origin: string): FeedEvent {
  const { space } = event;
  const where = [
    space.name,
    space.address.street,
    `${space.address.postalCode} ${space.address.commune}`,
  ]
    .filter(Boolean)
    .join(', ');
  const seats =
    event.seatsLeft === null || event.seatsLeft === undefined
      ? null
      : event.seatsLeft === 0
        ? 'Complet (liste d’attente)'
        : `${event.seatsLeft} place(s) restante(s) sur ${event.capacity}`;
  return {
    uid: event.id,
    start: new Date(event.startsAt),
    end: new Date(event.endsAt),
    summary: event.title,
    description: [event.description, seats, `${origin}${eventPath(event.id)}`]
      .filter(Boolean)
      .join('\n\n'),
    location: where,
    geo: space.location,
    url: `${origin}${eventPath(event.id)}`,
    categories: [EVENT_KINDS[event.kind]],
    cancelled: event.status === 'CANCELLED',
  };
}

interface Scope {
  name: string;
  spaceIds?: string[];
  /** Whether a missing partner makes this feed incomplete. */
  concerns(partner: string): boolean;
  keeps(event: CalendarEvent): boolean;
}

/** A percent-encoded path segment; one that does not decode names nothing: 404. */
function decodedSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new FeedError(404, `No ${what} ${segment}`);
  }
}

async function scopeOf(endpoint: string, match: RegExpExecArray): Promise<Scope> {
  const [, spaceId, partnerSlug] = match;
  if (spaceId !== undefined) {
    const id = decodedSegment(spaceId, 'space');
    const owner = partnerOfId(id);
    if (!owner) throw new FeedError(404, `No space ${id}`);
    const answer = await request(endpoint, FEED_SPACE, { id });
    failIfIncomplete(answer.errors, (p) => p === owner);
    const space = answer.data?.space;
    if (!space) throw new FeedError(404, `No space ${id}`);
    return {
      name: `${space.name} (${space.address.commune})`,
      spaceIds: [space.id],
      concerns: (p) => p === owner,
      keeps: () => true,
    };
  }
  if (partnerSlug !== undefined) {
    const slug = decodedSegment(partnerSlug, 'partner');
    const answer = await request(endpoint, FEED_PARTNER, { slug });
    failIfIncomplete(answer.errors, () => true);
    const partner = answer.data?.partner;
    if (!partner) throw new FeedError(404, `No partner ${slug}`);
    if (partner.spaces.totalCount > partner.spaces.edges.length)
      throw new FeedError(503, `Partner ${slug} has more spaces than one feed query takes`);
    return {
      name: partner.name,
      // Asked by its spaces, so that the feed's event limit is spent on this partner's events.
      spaceIds: partner.spaces.edges.map((e) => e.node.id),
      concerns: (p) => p === slug,
      keeps: (event) => event.space.partnerSlug === slug,
    };
  }
  return { name: 'Réseau des tiers-lieux', concerns: () => true, keeps: () => true };
}

function horizonOf(now: Date, horizon: CalendarHorizon) {
  const from = new Date(now.getTime() - horizon.pastDays * 86_400_000);
  const to = new Date(now);
  to.setUTCMonth(to.getUTCMonth() + horizon.futureMonths);
  return { from, to };
}

const frenchDate = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'long',
  timeZone: 'Europe/Paris',
});

async function serveFeed(
  req: FastifyRequest,
  reply: FastifyReply,
  url: URL,
  match: RegExpExecArray,
  options: Required<CalendarOptions>,
): Promise<FastifyReply> {
  const endpoint = ownGraphqlEndpoint(req);
  const origin = publicOrigin(req);
  const kinds = kindsOf(url);
  const departments = listParam(url, 'department');
  const scope = await scopeOf(endpoint, match);
  const now = new Date();
  const { from, to } = horizonOf(now, options.horizon);
  const filter: EventFilter = {
    from: formatParisIso(from),
    to: formatParisIso(to),
    ...(kinds.length ? { kinds } : {}),
    ...(departments.length ? { departments } : {}),
    ...(scope.spaceIds ? { spaceIds: scope.spaceIds } : {}),
  };
  const events = await allPages(async (after) => {
    const answer = await request(endpoint, CALENDAR, { filter, first: options.pageSize, after });
    failIfIncomplete(answer.errors, scope.concerns);
    const page = answer.data!.events;
    if (page.totalCount > MAX_FEED_EVENTS)
      throw new FeedError(
        503,
        `More than ${MAX_FEED_EVENTS} events within the feed's horizon; narrow it with ?kind= or ?department=`,
      );
    return { items: page.edges.map((e) => e.node), pageInfo: page.pageInfo };
  }, MAX_FEED_EVENTS);
  const what = kinds.length ? ` — ${kinds.map((k) => EVENT_KINDS[k]).join(', ')}` : '';
  const where = departments.length ? ` — départements ${departments.join(', ')}` : '';
  const body = icalendar({
    name: `Agenda — ${scope.name}${what}${where}`,
    description: `${scope.name} : réunions d’information, formations, repas partagés… Tous les événements du ${frenchDate.format(from)} au ${frenchDate.format(to)}, mis à jour toutes les heures.`,
    events: events.filter(scope.keeps).map((event) => feedEvent(event, origin)),
    generatedAt: now,
  });
  return reply
    .type('text/calendar; charset=utf-8')
    .header('content-disposition', 'inline; filename="agenda.ics"')
    .header('cache-control', 'public, max-age=300')
    .send(body);
}

/** One event, for "add to my calendar": a file to open, not a feed to subscribe to. */
async function serveEvent(req: FastifyRequest, reply: FastifyReply, segment: string) {
  const id = decodedSegment(segment, 'event');
  const owner = partnerOfId(id);
  if (!owner) throw new FeedError(404, `No event ${id}`);
  const answer = await request(ownGraphqlEndpoint(req), FEED_EVENT, { id });
  failIfIncomplete(answer.errors, (p) => p === owner);
  const event = answer.data?.event;
  if (!event) throw new FeedError(404, `No event ${id}`);
  const body = icalendar({
    name: event.title,
    description: `${event.title}, ${event.space.name} (${event.space.address.commune})`,
    events: [feedEvent(event, publicOrigin(req))],
    generatedAt: new Date(),
  });
  return reply
    .type('text/calendar; charset=utf-8')
    .header('content-disposition', 'attachment; filename="evenement.ics"')
    .header('cache-control', 'public, max-age=300')
    .send(body);
}

/**
 * iCalendar feeds of the network's events, built from GraphQL queries sent to the gateway
 * itself: `/calendar/network.ics`, `/calendar/spaces/<space id>.ics`,
 * `/calendar/partners/<slug>.ics`, each filtered by `?kind=` and `?department=`. Each holds
 * every event of its horizon, which its description states, paged through; never a part of it.
 * Each holds every event of its horizon, which its description states, paged through; never
 * a part of it. And one event's file, `/calendar/events/<event id>.ics`.
 */
export function calendarRoutes(options: CalendarOptions = {}): FastifyPluginAsync {
  const settings = {
    horizon: options.horizon ?? DEFAULT_CALENDAR_HORIZON,
    pageSize: options.pageSize ?? 200,
  };
  return async (app) => {
    app.get('/calendar/*', async (req, reply) => {
      const url = requestUrl(req);
      const match = FEED_PATH.exec(url.pathname);
      const event = EVENT_PATH.exec(url.pathname);
      if (!match && !event) return reply.callNotFound();
      try {
        if (event) return await serveEvent(req, reply, event[1]!);
        return await serveFeed(req, reply, url, match!, settings);
      } catch (error) {
        if (!(error instanceof FeedError)) throw error;
        return sendText(
          reply,
          error.status,
          error.message,
          error.status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {},
        );
      }
    });
  };
}
