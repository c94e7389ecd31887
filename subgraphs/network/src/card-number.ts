/**
 * A person's card number: the last twelve hex digits of their uuid (the random part of a v4
 * uuid, and where the seeded people differ), in capitals, in three groups (`9C0D-1E2F-3A12`),
 * short enough to read out at a front desk. It is derived, never stored; an index on the same
 * expression (`persons_card_number`) finds the person.
 */

const TYPED = /^[0-9A-F]{12}$/;

/** The card number of the person with this uuid. */
export function cardNumberOf(uuid: string): string {
  const hex = uuid.slice(-12).toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

/**
 * The end of the uuid a typed card number names (case, spaces and dashes ignored), lowercase
 * as PostgreSQL prints uuids; null when it is not twelve hex digits.
 */
export function cardNumberKey(typed: string): string | null {
  const hex = typed.replace(/[\s-]/g, '').toUpperCase();
  return TYPED.test(hex) ? hex.toLowerCase() : null;
}
