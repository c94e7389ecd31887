/**
 * The network's pass codes, as the network subgraph issues them and a front desk reads them
 * (pure: it runs in browsers too). Pass codes: 11 random characters of Crockford's base 32 (no I, L, O, U, so nothing reads
 * as another character) and a Luhn mod 32 check character, printed `XXXX-XXXX-XXXX`. The
 * check catches every single mistyped character and most swaps of two neighbours.
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE = CODE_ALPHABET.length;
export const DATA_LENGTH = 11;
export const CODE_LENGTH = DATA_LENGTH + 1;

function luhnSum(values: readonly number[], doubleFirstFromRight: boolean): number {
  let sum = 0;
  let double = doubleFirstFromRight;
  for (let i = values.length - 1; i >= 0; i--) {
    let addend = values[i]! * (double ? 2 : 1);
    addend = Math.floor(addend / BASE) + (addend % BASE);
    sum += addend;
    double = !double;
  }
  return sum % BASE;
}

function valuesOf(code: string): number[] {
  return [...code].map((c) => CODE_ALPHABET.indexOf(c));
}

/** The check character of the data characters of a code. */
export function checkCharacter(data: string): string {
  return CODE_ALPHABET[(BASE - luhnSum(valuesOf(data), true)) % BASE]!;
}

/** `K7QF9M2XT4CW` → `K7QF-9M2X-T4CW`. */
export function formatPassCode(code: string): string {
  return code.match(/.{1,4}/g)!.join('-');
}

export type ParsedCode = { ok: true; code: string } | { ok: false; reason: 'MALFORMED' | 'TYPO' };

/**
 * A code as typed, in canonical form: case, spaces and dashes do not matter, and I, L and O
 * are read as 1, 1 and 0 as Crockford's base 32 says.
 */
export function normalizePassCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

/** Reads a code as typed (`normalizePassCode`), and checks its check character. */
export function parsePassCode(input: string): ParsedCode {
  const code = normalizePassCode(input);
  if (code.length !== CODE_LENGTH || [...code].some((c) => !CODE_ALPHABET.includes(c))) {
    return { ok: false, reason: 'MALFORMED' };
  }
  return luhnSum(valuesOf(code), false) === 0 ? { ok: true, code } : { ok: false, reason: 'TYPO' };
}

/** What a refused code means to a person typing it. */
export const CODE_PROBLEMS = {
  MALFORMED: `a pass code is ${CODE_LENGTH} letters and digits, such as K7QF-9M2X-T4CW`,
  TYPO: 'this pass code has a typo: its check character does not match',
} as const;
