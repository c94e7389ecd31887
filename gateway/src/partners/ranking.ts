import { foldText, parseId, type CursorKey } from '@tiers-lieux/schema';

/**
 * How the gateway ranks the items of each connection of the partner contract: the field it
 * reads on each node and the sort key it makes of it, the same that the partners' cursors
 * carry (`<sort value>, <uuid>`). The gateway merges by keys it checked against the fields,
 * never by a key a partner chose: an edge whose cursor disagrees with its node is refused.
 */
export interface Ranking {
  /** The node's field the sort value comes from. */
  field: string;
  /** The sort value of the field's value, or null when it has none. */
  sortValue(value: unknown): string | number | null;
  /** Whether the value in a partner's cursor is the one the field shows. */
  agrees(cursorValue: string | number, sortValue: string | number): boolean;
}

const byFoldedText = (field: string): Ranking => ({
  field,
  sortValue: (value) => (typeof value === 'string' ? foldText(value) : null),
  agrees: (cursor, sort) => cursor === sort,
});

const byDistance: Ranking = {
  field: 'distanceKm',
  sortValue: (value) => (typeof value === 'number' ? value : null),
  agrees: (cursor, sort) => cursor === sort,
};

/** Instants are shown to the second; a cursor holds them to the millisecond. */
const byInstant = (field: string): Ranking => ({
  field,
  sortValue: (value) => (typeof value === 'string' ? Date.parse(value) : null),
  agrees: (cursor, sort) =>
    typeof cursor === 'number' && Math.floor(cursor / 1000) === Math.floor((sort as number) / 1000),
});
const byStart = byInstant('startsAt');

/** The fields every ranking may read, selected on every node of a merged connection. */
export const RANKING_FIELDS: Readonly<Record<string, readonly string[]>> = {
  SpaceConnection: ['id', 'name', 'distanceKm'],
  EventConnection: ['id', 'startsAt'],
  MemberConnection: ['id', 'displayName'],
  ResourceConnection: ['id', 'distanceKm', 'firstFreeAt'],
};

/** The ranking of a connection for its arguments; null for a connection the contract does not rank. */
export function rankingOf(connection: string, args: Record<string, unknown>): Ranking | null {
  switch (connection) {
    case 'SpaceConnection': {
      const near = (args.filter as { near?: unknown } | null | undefined)?.near;
      const distance = args.orderBy === 'DISTANCE' || (args.orderBy == null && near != null);
      return distance ? byDistance : byFoldedText('name');
    }
    case 'EventConnection':
      return byStart;
    case 'MemberConnection':
      return byFoldedText('displayName');
    case 'ResourceConnection': {
      const near = (args.filter as { near?: unknown } | null | undefined)?.near;
      const distance = args.orderBy === 'DISTANCE' || (args.orderBy == null && near != null);
      return distance ? byDistance : byInstant('firstFreeAt');
    }
    default:
      return null;
  }
}

/**
 * The merge key of an edge: its cursor's key when the cursor agrees with the node's id and
 * ranked field, null otherwise.
 */
export function checkedKey(
  ranking: Ranking,
  cursorKey: CursorKey | null,
  node: Record<string, unknown> | null | undefined,
): CursorKey | null {
  if (!cursorKey || !node) return null;
  const id = typeof node.id === 'string' ? parseId(node.id) : null;
  const sortValue = ranking.sortValue(node[ranking.field]);
  const [cursorValue, cursorUuid] = cursorKey;
  if (!id || sortValue === null || cursorValue === undefined || cursorUuid !== id.uuid) return null;
  return ranking.agrees(cursorValue, sortValue) ? cursorKey : null;
}

/**
 * How the list fields of an entity that several partners contribute to (a `Person`, whose
 * records every partner may hold) are ordered once merged: by the value at `path` in each item
 * (the fields the item selected; `DateTime`s compared as instants), when every item has it;
 * otherwise, and for the lists not named here, partner after partner.
 */
export const MERGED_LIST_ORDERS: Readonly<
  Record<string, { path: readonly string[]; descending: boolean }>
> = {
  'Person.registrations': { path: ['event', 'startsAt'], descending: false },
  'Person.visits': { path: ['checkedInAt'], descending: true },
};
