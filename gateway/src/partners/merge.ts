import { compareCursorKeys, type CursorKey } from '@tiers-lieux/schema';
import type { FieldNode, FragmentDefinitionNode } from 'graphql';
import { selectedFields } from './plan.js';

type Json = Record<string, unknown>;

/**
 * Merging the pages of a connection that several partners answered. Pure: no request, no
 * registry, no clock, so the properties the network promises (the merge of any split of a
 * sorted list is the list; paging through the merge never repeats nor skips) are tested here
 * alone (merge.test.ts).
 */

/** One partner's page, as the merge sees it: the sort key of each edge, in order. */
export interface PageKeys {
  keys: readonly CursorKey[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** An edge of the merged page: the index of the partner's page, and of the edge in it. */
export interface EdgeRef {
  page: number;
  index: number;
}

export interface MergedPage {
  edges: EdgeRef[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * The first `first` edges of all pages in key order (ties keep the pages' order). Each page
 * must start after the same cursor: the merged page then resumes every partner at the right
 * place when its last key is given back as the next `after`.
 */
export function mergePages(
  pages: readonly PageKeys[],
  first: number,
  resumed: boolean,
): MergedPage {
  const candidates = pages.flatMap((p, page) => p.keys.map((key, index) => ({ page, index, key })));
  candidates.sort((a, b) => compareCursorKeys(a.key, b.key) || a.page - b.page);
  const taken = candidates.slice(0, first);
  return {
    edges: taken.map(({ page, index }) => ({ page, index })),
    hasNextPage: taken.length < candidates.length || pages.some((p) => p.hasNextPage),
    hasPreviousPage: resumed || pages.some((p) => p.hasPreviousPage),
  };
}

/** The total of a connection over all partners: the sum of theirs. */
export function sumCounts(counts: readonly number[]): number {
  return counts.reduce((sum, count) => sum + count, 0);
}

/**
 * The merged connection in the shape the client selected: its `edges` the merged edges,
 * `totalCount` the sum, `pageInfo` the merged page's, and any other field the first page's.
 */
export function assembleConnection(
  selection: FieldNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  pages: readonly Json[],
  merged: MergedPage,
  cursorOf: (edge: EdgeRef) => string,
): Json {
  const first = merged.edges[0];
  const last = merged.edges.at(-1);
  const info = {
    hasNextPage: merged.hasNextPage,
    hasPreviousPage: merged.hasPreviousPage,
    startCursor: first ? cursorOf(first) : null,
    endCursor: last ? cursorOf(last) : null,
  };
  const value: Json = {};
  for (const [key, node] of selectedFields(selection.selectionSet, fragments)) {
    switch (node.name.value) {
      case 'edges': {
        // The cursors the client sees are the gateway's, made of the keys it merged by.
        const cursors = [...selectedFields(node.selectionSet, fragments)]
          .filter(([, n]) => n.name.value === 'cursor')
          .map(([cursorKey]) => cursorKey);
        value[key] = merged.edges.map((e) => {
          const edge = (pages[e.page]![key] as unknown[])[e.index];
          if (cursors.length === 0 || !edge || typeof edge !== 'object') return edge;
          const cursor = cursorOf(e);
          return { ...edge, ...Object.fromEntries(cursors.map((c) => [c, cursor])) };
        });
        break;
      }
      case 'totalCount':
        value[key] = sumCounts(pages.map((p) => Number(p[key] ?? 0)));
        break;
      case 'pageInfo': {
        const pageInfo: Json = {};
        for (const [infoKey, infoNode] of selectedFields(node.selectionSet, fragments)) {
          const name = infoNode.name.value;
          pageInfo[infoKey] = name === '__typename' ? 'PageInfo' : info[name as keyof typeof info];
        }
        value[key] = pageInfo;
        break;
      }
      default:
        value[key] = pages[0]?.[key] ?? null;
    }
  }
  return value;
}

/**
 * How a merged list is ordered: the sort value of an item (null when it has none), and the way;
 * `limit`, the most items the field promises (its `first`), kept after ordering.
 */
export interface ListOrder {
  valueOf(item: unknown): number | string | null;
  descending: boolean;
  limit?: number | undefined;
}

/**
 * One entity as several partners answered it (a `Person`: each partner's part of it), in
 * partner order: lists are concatenated, then ordered by `orderOf` their response key when
 * every item has a sort value (ties keep partner order), else left in partner order; any other
 * field is the first partner's that is not null. Null when no partner answered an object.
 */
export function mergeEntityParts(
  parts: readonly unknown[],
  orderOf: (responseKey: string) => ListOrder | null = () => null,
): Json | null {
  const objects = parts.filter(
    (part): part is Json => part !== null && typeof part === 'object' && !Array.isArray(part),
  );
  if (objects.length === 0) return null;
  const merged: Json = {};
  const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  for (const key of keys) {
    const values = objects.map((o) => o[key]).filter((v) => v !== undefined);
    if (values.some(Array.isArray)) {
      const items = values.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : []));
      const order = orderOf(key);
      const sorted = order ? ordered(items, order) : items;
      merged[key] = order?.limit === undefined ? sorted : sorted.slice(0, order.limit);
    } else {
      merged[key] = values.find((v) => v !== null) ?? null;
    }
  }
  return merged;
}

function ordered(items: unknown[], order: ListOrder): unknown[] {
  const keyed = items.map((item, index) => ({ item, index, value: order.valueOf(item) }));
  if (keyed.some((k) => k.value === null)) return items;
  const sign = order.descending ? -1 : 1;
  keyed.sort((a, b) => {
    const x = a.value!;
    const y = b.value!;
    const compared = x < y ? -1 : x > y ? 1 : 0;
    return sign * compared || a.index - b.index;
  });
  return keyed.map((k) => k.item);
}

/**
 * How the router merges the partners' answers to a root list of figures (contract 1.1.0):
 * `sum` adds up the items that share the values of `keys` (every partner counts its own visits
 * in the same hour of the week) and orders them by those keys; `order` sorts the concatenated
 * items by the value at `path` (instants compared as such) and keeps the first `first`.
 * Root lists not named here are concatenated partner after partner.
 */
export const ROOT_LIST_MERGES: Readonly<
  Record<
    string,
    | { kind: 'sum'; keys: readonly string[]; counts: readonly string[] }
    | { kind: 'order'; path: readonly string[]; descending: boolean; limitArgument: string }
  >
> = {
  occupancyByHour: { kind: 'sum', keys: ['weekday', 'hour'], counts: ['visitorHours'] },
  directoryOptIns: { kind: 'sum', keys: ['month'], counts: ['members'] },
  visitsByWeek: { kind: 'order', path: ['week'], descending: false, limitArgument: 'first' },
  eventAttendance: {
    kind: 'order',
    path: ['event', 'startsAt'],
    descending: true,
    limitArgument: 'first',
  },
};

const compareValues = (a: unknown, b: unknown): number => {
  const instant = (v: unknown) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : v;
  const x = instant(a) as string | number;
  const y = instant(b) as string | number;
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Items that share the values of `keys` summed on `counts`, ordered by the keys. Items that
 * lack a key (the selection did not ask for it) are left as they are: nothing to group by.
 */
export function sumByKeys(
  items: readonly Json[],
  keys: readonly string[],
  counts: readonly string[],
): Json[] {
  if (items.some((item) => keys.some((key) => !(key in item)))) return [...items];
  const groups = new Map<string, Json>();
  for (const item of items) {
    const id = JSON.stringify(keys.map((key) => item[key]));
    const group = groups.get(id);
    if (!group) {
      groups.set(id, { ...item });
      continue;
    }
    for (const count of counts)
      if (typeof group[count] === 'number' && typeof item[count] === 'number')
        group[count] = (group[count] as number) + (item[count] as number);
  }
  return [...groups.values()].sort((a, b) => {
    for (const key of keys) {
      const order = compareValues(a[key], b[key]);
      if (order !== 0) return order;
    }
    return 0;
  });
}

/** Items ordered by the value at `path` (stable: ties keep partner order), the first `first`. */
export function orderByPath(
  items: readonly Json[],
  path: readonly string[],
  descending: boolean,
  first: number,
): Json[] {
  const at = (item: Json) =>
    path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Json)[key] : null), item);
  if (items.some((item) => at(item) == null)) return items.slice(0, first);
  const sorted = [...items].sort((a, b) => compareValues(at(a), at(b)) * (descending ? -1 : 1));
  return sorted.slice(0, first);
}
