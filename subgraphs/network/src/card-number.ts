/**
 * A person's card number: the first twelve hex digits of their uuid, in capitals, in three
 * groups (`2B4D-6F80-A1C3`), short enough to read out at a front desk. It is derived, never
 * stored: reading one back names the range of uuids that start with it.
 */

const TYPED = /^[0-9A-F]{12}$/;

/** The card number of the person with this uuid. */
export function cardNumberOf(uuid: string): string {
  const hex = uuid.replace(/-/g, '').slice(0, 12).toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

/**
 * The uuids a typed card number names (case, spaces and dashes ignored), as the first and last
 * uuid of their range; null when it is not twelve hex digits.
 */
export function cardNumberRange(typed: string): { first: string; last: string } | null {
  const hex = typed.replace(/[\s-]/g, '').toUpperCase();
  if (!TYPED.test(hex)) return null;
  const lower = hex.toLowerCase();
  const head = `${lower.slice(0, 8)}-${lower.slice(8, 12)}`;
  return { first: `${head}-0000-0000-000000000000`, last: `${head}-ffff-ffff-ffffffffffff` };
}
