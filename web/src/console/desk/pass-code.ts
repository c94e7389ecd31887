/**
 * A pass code as the front desk reads it while it is typed: the network's own reader
 * (`@tiers-lieux/schema/pass-code`), telling a code not yet complete from a wrong one, so a
 * mistyped character is told at once, before anything is asked.
 */
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  normalizePassCode,
  parsePassCode,
} from '@tiers-lieux/schema/pass-code';

export type TypedCode =
  { ok: true; code: string } | { ok: false; reason: 'INCOMPLETE' | 'MALFORMED' | 'TYPO' };

export function readPassCode(input: string): TypedCode {
  const code = normalizePassCode(input);
  const wellFormedSoFar = [...code].every((c) => CODE_ALPHABET.includes(c));
  if (wellFormedSoFar && code.length < CODE_LENGTH) return { ok: false, reason: 'INCOMPLETE' };
  return parsePassCode(code);
}
