/**
 * Pass codes as the network prints them (the network subgraph's `code.ts`): 12 characters of
 * Crockford's base 32, the last a Luhn mod 32 check character. The desk reads a typed code the
 * same way, so a mistyped character is told at once, before anything is asked.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type TypedCode =
  { ok: true; code: string } | { ok: false; reason: 'INCOMPLETE' | 'MALFORMED' | 'TYPO' };

export function readPassCode(input: string): TypedCode {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if ([...code].some((c) => !ALPHABET.includes(c))) return { ok: false, reason: 'MALFORMED' };
  if (code.length < 12) return { ok: false, reason: 'INCOMPLETE' };
  if (code.length > 12) return { ok: false, reason: 'MALFORMED' };
  let sum = 0;
  let double = false;
  for (let i = code.length - 1; i >= 0; i--) {
    let addend = ALPHABET.indexOf(code[i]!) * (double ? 2 : 1);
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
    double = !double;
  }
  return sum % 32 === 0 ? { ok: true, code } : { ok: false, reason: 'TYPO' };
}
