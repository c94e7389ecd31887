/**
 * Connection cursors: the sort key of an item, opaque to clients (base64url of JSON). The
 * gateway decodes them to merge pages of several partners in the order the field promises.
 */
export type CursorKey = readonly (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key in a cursor, or null when the cursor was not made by `encodeCursor` with `arity` parts. */
export function decodeCursor(cursor: string, arity: number): CursorKey | null {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(key) || key.length !== arity) return null;
    if (!key.every((part) => typeof part === 'string' || typeof part === 'number')) return null;
    return key as CursorKey;
  } catch {
    return null;
  }
}

/** Compares two keys part by part, strings by UTF-16 code units (Postgres `COLLATE "C"`). */
export function compareCursorKeys(a: CursorKey, b: CursorKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
