import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { eventSeries, events, type EventRow, type EventSeriesRow } from '../db/schema.js';
import type { Owe } from '../mail/notice.js';
import { atParisTime } from '../recurrence.js';
import { searchTextOf, updateEvent, type EventValues } from './events.js';

export async function getSeriesByIds(db: Db, ids: readonly string[]): Promise<EventSeriesRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(eventSeries)
    .where(inArray(eventSeries.id, [...ids]));
}

export async function listEventsBySeriesIds(
  db: Db,
  seriesIds: readonly string[],
): Promise<EventRow[]> {
  if (seriesIds.length === 0) return [];
  return db
    .select()
    .from(events)
    .where(inArray(events.seriesId, [...seriesIds]))
    .orderBy(asc(events.startsAt), asc(events.id));
}

/** A series and all its occurrences, in one transaction. */
export async function createSeries(
  db: Db,
  params: {
    spaceId: string;
    rule: string;
    starts: readonly Date[];
    durationMinutes: number;
    event: Omit<EventValues, 'startsAt' | 'endsAt' | 'seriesId'>;
  },
): Promise<{ series: EventSeriesRow; occurrences: EventRow[] }> {
  return db.transaction(async (tx) => {
    const [series] = await tx
      .insert(eventSeries)
      .values({
        spaceId: params.spaceId,
        title: params.event.title,
        rule: params.rule,
        firstStartsAt: params.starts[0]!,
        durationMinutes: params.durationMinutes,
      })
      .returning();
    const occurrences = await tx
      .insert(events)
      .values(
        params.starts.map((startsAt) => ({
          ...params.event,
          seriesId: series!.id,
          startsAt,
          endsAt: new Date(startsAt.getTime() + params.durationMinutes * 60_000),
          searchText: searchTextOf(params.event),
        })),
      )
      .returning();
    return { series: series!, occurrences };
  });
}

export interface SeriesChanges {
  event: Partial<Pick<EventValues, 'title' | 'description' | 'kind' | 'capacity' | 'priceCents'>>;
  startTime?: { hour: number; minute: number } | undefined;
  durationMinutes?: number | undefined;
}

export type SeriesUpdate =
  | { ok: true; series: EventSeriesRow; changed: number }
  | { ok: false; reason: 'UNKNOWN_SERIES' | 'CAPACITY_BELOW_CONFIRMED' };

/**
 * Changes every scheduled occurrence starting at or after `from`, each through `updateEvent`
 * (its seats checked, its attendees told), all in one transaction: one occurrence that cannot
 * take the change leaves the whole series as it was.
 */
export async function updateSeriesFrom(
  db: Db,
  params: { id: string; from: Date; changes: SeriesChanges; now: Date; owe?: Owe },
): Promise<SeriesUpdate> {
  return db
    .transaction(async (tx) => {
      const [series] = await tx
        .select()
        .from(eventSeries)
        .where(eq(eventSeries.id, params.id))
        .for('update');
      if (!series) return { ok: false as const, reason: 'UNKNOWN_SERIES' as const };
      const occurrences = await tx
        .select()
        .from(events)
        .where(
          and(
            eq(events.seriesId, params.id),
            eq(events.status, 'SCHEDULED'),
            gte(events.startsAt, params.from),
          ),
        )
        .orderBy(asc(events.startsAt));
      const { startTime, durationMinutes } = params.changes;
      for (const occurrence of occurrences) {
        const startsAt = startTime
          ? atParisTime(occurrence.startsAt, startTime.hour, startTime.minute)
          : occurrence.startsAt;
        const minutes =
          durationMinutes ??
          Math.round((occurrence.endsAt.getTime() - occurrence.startsAt.getTime()) / 60_000);
        const result = await updateEvent(tx as unknown as Db, {
          id: occurrence.id,
          changes: {
            ...params.changes.event,
            startsAt,
            endsAt: new Date(startsAt.getTime() + minutes * 60_000),
          },
          now: params.now,
          ...(params.owe ? { owe: params.owe } : {}),
        });
        if (!result.ok) throw new SeriesRefused('CAPACITY_BELOW_CONFIRMED');
      }
      const [updated] = await tx
        .update(eventSeries)
        .set({
          ...(params.changes.event.title ? { title: params.changes.event.title } : {}),
          ...(durationMinutes ? { durationMinutes } : {}),
        })
        .where(eq(eventSeries.id, params.id))
        .returning();
      return { ok: true as const, series: updated!, changed: occurrences.length };
    })
    .catch((error: unknown) => {
      if (error instanceof SeriesRefused) return { ok: false as const, reason: error.reason };
      throw error;
    });
}

/** Rolls the series' transaction back when one occurrence refuses the change. */
class SeriesRefused extends Error {
  constructor(readonly reason: 'CAPACITY_BELOW_CONFIRMED') {
    super(reason);
  }
}
