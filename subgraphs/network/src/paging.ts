import { decodeCursor, encodeCursor } from '@tiers-lieux/schema';
import { checkFirst } from '@tiers-lieux/subgraph-shell';
import { BadInputError } from './errors.js';

/** The largest page of a connection of the network subgraph. */
export const MAX_PAGE_SIZE = 100;

export interface Connection<Row> {
  edges: { cursor: string; node: Row }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number;
}

/**
 * One page of rows already in the list's order, as a Relay connection. A cursor carries the
 * row's sort key and id; the page starts after the row with that id, so a cursor stays valid
 * while rows are added (the network's products are never deleted).
 */
export function pageOf<Row extends { id: string }>(
  rows: readonly Row[],
  args: { first: number; after?: string | null },
  sortKey: (row: Row) => string,
): Connection<Row> {
  const first = checkFirst(args.first, MAX_PAGE_SIZE);
  let start = 0;
  if (args.after != null) {
    const [, id] = decodeCursor(args.after, 2) ?? [];
    const index = typeof id === 'string' ? rows.findIndex((row) => row.id === id) : -1;
    if (index < 0) throw new BadInputError('after is not a cursor of this list', 'after');
    start = index + 1;
  }
  const edges = rows
    .slice(start, start + first)
    .map((node) => ({ cursor: encodeCursor([sortKey(node), node.id]), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: start + first < rows.length,
      hasPreviousPage: args.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: rows.length,
  };
}
