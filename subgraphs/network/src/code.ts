import { randomInt } from 'node:crypto';
import { checkCharacter, CODE_ALPHABET, DATA_LENGTH } from '@tiers-lieux/schema/pass-code';

export {
  checkCharacter,
  CODE_ALPHABET,
  CODE_LENGTH,
  CODE_PROBLEMS,
  formatPassCode,
  parsePassCode,
  type ParsedCode,
} from '@tiers-lieux/schema/pass-code';

/** A new random code, canonical form (12 characters, no dashes): the format is the schema's. */
export function newPassCode(): string {
  let data = '';
  for (let i = 0; i < DATA_LENGTH; i++) data += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return data + checkCharacter(data);
}
