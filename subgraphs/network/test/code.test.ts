import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCharacter,
  CODE_ALPHABET,
  formatPassCode,
  newPassCode,
  parsePassCode,
} from '../src/code.js';

describe('pass codes', () => {
  it('draws 12-character codes of the unambiguous alphabet that pass their own check', () => {
    for (let i = 0; i < 200; i++) {
      const code = newPassCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
      expect(parsePassCode(formatPassCode(code))).toEqual({ ok: true, code });
    }
  });

  it('reads codes as people type them: any case, spaces, dashes, I/L for 1 and O for 0', () => {
    const code = '0000000000' + '1';
    const full = code + checkCharacter(code);
    expect(parsePassCode(`  ${formatPassCode(full).toLowerCase()} `)).toEqual({
      ok: true,
      code: full,
    });
    expect(parsePassCode(full.replace(/0/g, 'o').replace('1', 'l'))).toEqual({
      ok: true,
      code: full,
    });
    expect(parsePassCode(full.replace(/0/g, 'O').replace('1', 'I'))).toEqual({
      ok: true,
      code: full,
    });
  });

  it('refuses malformed codes without throwing', () => {
    for (const input of [
      '',
      'ABC',
      'UUUU-UUUU-UUUU',
      'K7QF-9M2X-T4CW-0',
      '🙂'.repeat(12),
      'K7QF_9M2X_T4CW',
      '\u0000'.repeat(12),
    ]) {
      expect(parsePassCode(input)).toEqual({ ok: false, reason: 'MALFORMED' });
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        expect(parsePassCode(input).ok).toBe(false);
      }),
    );
  });

  it('catches every single mistyped character', () => {
    fc.assert(
      fc.property(fc.nat(11), fc.nat(30), (position, shift) => {
        const code = newPassCode();
        const chars = code.split('');
        chars[position] =
          CODE_ALPHABET[(CODE_ALPHABET.indexOf(chars[position]!) + 1 + shift) % 32]!;
        expect(parsePassCode(chars.join(''))).toEqual({ ok: false, reason: 'TYPO' });
      }),
      { numRuns: 2000 },
    );
  });

  it('catches most swaps of two neighbouring characters', () => {
    let swaps = 0;
    let caught = 0;
    for (let i = 0; i < 500; i++) {
      const code = newPassCode();
      for (let p = 0; p < 11; p++) {
        if (code[p] === code[p + 1]) continue;
        const swapped = code.slice(0, p) + code[p + 1] + code[p] + code.slice(p + 2);
        swaps++;
        if (!parsePassCode(swapped).ok) caught++;
      }
    }
    expect(caught / swaps).toBeGreaterThan(0.95);
  });
});
