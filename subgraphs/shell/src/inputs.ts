import { BadInputError, userError, type UserError } from './errors.js';

/** A rejected input value: the mutation answers it as an INVALID_INPUT user error. */
export class InputProblem extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: UserError<'INVALID_INPUT'> };

/** Runs input checks; the first problem becomes the payload's user error. */
export function checked<T>(build: () => T): Checked<T> {
  try {
    return { ok: true, value: build() };
  } catch (error) {
    if (error instanceof InputProblem) {
      return { ok: false, error: userError('INVALID_INPUT', error.message, error.field) };
    }
    throw error;
  }
}

export function ensure(condition: boolean, message: string, field: string): void {
  if (!condition) throw new InputProblem(message, field);
}

// Control characters other than tab and newlines never belong in our text (NUL breaks Postgres).
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Trimmed, not empty, at most `max` characters, no control character. */
export function text(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  ensure(trimmed.length > 0, `${field} must not be empty`, field);
  ensure(trimmed.length <= max, `${field} must be at most ${max} characters`, field);
  ensure(!CONTROL_CHARACTERS.test(trimmed), `${field} must not contain control characters`, field);
  return trimmed;
}

export function int(value: number, field: string, min: number, max: number): number {
  ensure(
    Number.isInteger(value) && value >= min && value <= max,
    `${field} must be an integer from ${min} to ${max}`,
    field,
  );
  return value;
}

/** An http: or https: URL of at most 500 characters. */
export function httpUrl(value: string, field: string): string {
  const v = text(value, field, 500);
  let url: URL | null = null;
  try {
    url = new URL(v);
  } catch {
    url = null;
  }
  ensure(
    url !== null && (url.protocol === 'http:' || url.protocol === 'https:'),
    `${field} must be an http(s) URL`,
    field,
  );
  return v;
}

/** Validates a sliced list's `first` (1 to `max`): the bound its `@listSize` promises. */
export function checkFirst(first: number, max: number, field = 'first'): number {
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw new BadInputError(`${field} must be between 1 and ${max}`, field);
  return first;
}

/** A query's `offset` argument, how many items to skip: BAD_USER_INPUT unless 0 to `max`. */
export function checkOffset(offset: number, max = 1_000_000, field = 'offset'): number {
  if (!Number.isInteger(offset) || offset < 0 || offset > max)
    throw new BadInputError(`${field} must be between 0 and ${max}`, field);
  return offset;
}
