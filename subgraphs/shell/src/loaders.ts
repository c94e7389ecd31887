import { groupBy } from '@tiers-lieux/schema';
import DataLoader from 'dataloader';

/** One row per key, in the keys' order; null for a key no row has. */
export function byKey<Row, Key>(
  load: (keys: readonly Key[]) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
) {
  return new DataLoader<Key, Row | null>(async (keys) => {
    const rows = new Map((await load(keys)).map((row) => [keyOf(row), row]));
    return keys.map((key) => rows.get(key) ?? null);
  });
}

/** `byKey` over the rows' `id`. */
export function byId<Row extends { id: string }>(load: (ids: readonly string[]) => Promise<Row[]>) {
  return byKey<Row, string>(load, (row) => row.id);
}

/** The rows of each key, in the keys' order; an empty list for a key no row has. */
export function listBy<Row, Key>(
  load: (keys: readonly Key[]) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
) {
  return new DataLoader<Key, Row[]>(async (keys) => {
    const groups = groupBy(await load(keys), keyOf);
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/** Loaders keyed by an id and a page size: one DataLoader per size, made on first use. */
export function perSize<Loader>(make: (first: number) => Loader): (first: number) => Loader {
  const loaders = new Map<number, Loader>();
  return (first) => {
    let loader = loaders.get(first);
    if (!loader) loaders.set(first, (loader = make(first)));
    return loader;
  };
}
