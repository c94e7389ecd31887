import { foldText } from '@tiers-lieux/schema';
import { sql, type SQL } from 'drizzle-orm';

/** `%text%` for LIKE on a folded column: folded the same way, with LIKE's wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${foldText(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * "After this cursor" for an order on several columns, as a row comparison: paging stays
 * stable because rows inserted meanwhile land before or after the cursor, never in between.
 */
export function rowAfter(columns: SQL[], values: SQL[]): SQL {
  return sql`(${sql.join(columns, sql`, `)}) > (${sql.join(values, sql`, `)})`;
}

/** Great-circle distance in kilometres from a point to (lat, lon) columns, by haversine. */
export function distanceKm(latColumn: SQL, lonColumn: SQL, lat: number, lon: number): SQL<number> {
  return sql<number>`(12742.0176 * asin(least(1.0, sqrt(
    power(sin(radians(${latColumn} - ${lat}::float8) / 2), 2)
    + cos(radians(${lat}::float8)) * cos(radians(${latColumn}))
    * power(sin(radians(${lonColumn} - ${lon}::float8) / 2), 2)))))`;
}
