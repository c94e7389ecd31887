import { rowsOf } from '@tiers-lieux/subgraph-shell';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';

/**
 * The partner's figures for the network's console: each one statement, grouped and counted by
 * the database, whatever the number of visits, events or members; the rows are bounded by the
 * grouping (weeks × spaces, 168 hours, months) and a limit.
 */

export interface Period {
  start: Date;
  end: Date;
}

const PARIS = sql.raw(`'Europe/Paris'`);

export async function visitsByWeek(
  db: Db,
  params: Period & { limit: number },
): Promise<{ spaceId: string; week: string; visits: number }[]> {
  return rowsOf(
    await db.execute(sql`
      select v.space_id as "spaceId",
             to_char(date_trunc('week', v.checked_in_at at time zone ${PARIS}), 'YYYY-MM-DD') as week,
             count(*)::int as visits
      from visits v
      where v.checked_in_at >= ${params.start.toISOString()}::timestamptz
        and v.checked_in_at < ${params.end.toISOString()}::timestamptz
      group by 1, 2
      order by 2, 1
      limit ${params.limit}`),
  );
}

/**
 * Visitor-hours per (weekday, hour), a visit spread over the hours it covers (24 at most). The
 * hours are real ones, named by Paris' clock: the night clocks go forward has no 2 o'clock, the
 * night they go back has two.
 */
export async function occupancyByHour(
  db: Db,
  params: Period,
): Promise<{ weekday: number; hour: number; visitorHours: number }[]> {
  return rowsOf(
    await db.execute(sql`
      select extract(isodow from h.at at time zone ${PARIS})::int as weekday,
             extract(hour from h.at at time zone ${PARIS})::int as hour,
             count(*)::int as "visitorHours"
      from visits v
      cross join lateral generate_series(
        date_trunc('hour', v.checked_in_at, ${PARIS}),
        least(coalesce(v.checked_out_at, v.checked_in_at), v.checked_in_at + interval '23 hours'),
        interval '1 hour'
      ) as h(at)
      where v.checked_in_at >= ${params.start.toISOString()}::timestamptz
        and v.checked_in_at < ${params.end.toISOString()}::timestamptz
      group by 1, 2
      order by 1, 2`),
  );
}

export async function eventAttendance(
  db: Db,
  params: Period & { limit: number },
): Promise<{ eventId: string; confirmed: number; waiting: number }[]> {
  return rowsOf(
    await db.execute(sql`
      select e.id as "eventId",
             count(r.id) filter (where r.status = 'CONFIRMED')::int as confirmed,
             count(r.id) filter (where r.status = 'WAITING')::int as waiting
      from events e
      left join registrations r on r.event_id = e.id
      where e.starts_at >= ${params.start.toISOString()}::timestamptz
        and e.starts_at < ${params.end.toISOString()}::timestamptz
        and e.status <> 'CANCELLED'
      group by e.id, e.starts_at
      order by e.starts_at desc, e.id desc
      limit ${params.limit}`),
  );
}

export async function directoryOptIns(
  db: Db,
  params: Period,
): Promise<{ month: string; members: number }[]> {
  return rowsOf(
    await db.execute(sql`
      select to_char(m.directory_opt_in_at at time zone ${PARIS}, 'YYYY-MM') as month,
             count(*)::int as members
      from members m
      where m.is_in_directory and m.erased_at is null
        and m.directory_opt_in_at >= ${params.start.toISOString()}::timestamptz
        and m.directory_opt_in_at < ${params.end.toISOString()}::timestamptz
      group by 1
      order by 1
      limit 121`),
  );
}
