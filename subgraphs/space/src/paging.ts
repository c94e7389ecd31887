import { decodeCursor, encodeCursor, type CursorKey } from '@tiers-lieux/schema';
import type { Page } from './data/spaces.js';
import { BadInputError } from './errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Validates `first` and decodes `after` into the sort key it carries: a key of the list's
 * type (a folded name, a distance, an instant) then a uuid. A cursor is the client's input:
 * one of another shape is refused here, never handed to SQL.
 */
export function pageArgs(
  args: { first?: number | null; after?: string | null },
  keyType: 'string' | 'number',
): { first: number; after: CursorKey | null } {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadInputError(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  }
  if (args.after === null || args.after === undefined) return { first, after: null };
  const after = decodeCursor(args.after, 2);
  const [key, id] = after ?? [];
  const keyOk =
    keyType === 'number' ? Number.isFinite(key) : typeof key === 'string' && key.length <= 1000;
  if (!after || !keyOk || typeof id !== 'string' || !UUID.test(id)) {
    throw new BadInputError('after is not a cursor of this list', 'after');
  }
  return { first, after };
}

export interface Connection<Row> {
  edges: { cursor: string; node: Row }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: () => Promise<number>;
}

/** A Relay connection over a page, each cursor carrying the row's sort key. */
export function toConnection<Row>(
  page: Page<Row>,
  sortKey: (row: Row) => CursorKey,
  after: CursorKey | null,
): Connection<Row> {
  const edges = page.rows.map((node) => ({ cursor: encodeCursor(sortKey(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: page.totalCount,
  };
}
