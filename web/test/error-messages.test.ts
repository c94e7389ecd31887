import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PUBLIC_ERROR_CODES } from '@tiers-lieux/schema';
import {
  BOOKING_ERROR_MESSAGES,
  bookingErrorMessage,
  passBookingFailureMessage,
} from '../src/booking-error-messages.js';
import {
  GRAPHQL_ERROR_MESSAGES,
  GUEST_MESSAGES,
  NETWORK_USER_ERROR_MESSAGES,
  UNKNOWN_ERROR_MESSAGE,
  USER_ERROR_MESSAGES,
  graphqlErrorMessage,
  networkUserErrorMessage,
  userErrorMessage,
} from '../src/error-messages.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function enumValues(sdlFile: string, name: string): string[] {
  const definition = parse(read(sdlFile)).definitions.find(
    (d): d is EnumTypeDefinitionNode =>
      d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === name,
  );
  if (!definition) throw new Error(`${sdlFile} has no enum ${name}`);
  return (definition.values ?? []).map((v) => v.name.value).sort();
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.includes('__generated__'))
    .map((f) => join(dir, f));
}

/** Every `extensions.code` the gateway and the subgraphs write in their sources. */
function codesInSources(): string[] {
  const codes = new Set<string>(PUBLIC_ERROR_CODES);
  const sources = [
    ...filesUnder('gateway/src'),
    ...filesUnder('subgraphs/space/src'),
    ...filesUnder('subgraphs/network/src'),
    ...filesUnder('subgraphs/shell/src'),
    ...filesUnder('schema/src'),
  ];
  for (const file of sources) {
    const text = read(file);
    for (const match of text.matchAll(/\bcode: '([A-Z][A-Z_]+)'/g)) codes.add(match[1]!);
  }
  // The router's own codes, and the codes it relays from partners under their own name.
  const router = /export type RouterErrorCode =([^;]+);/.exec(read('gateway/src/errors.ts'))![1]!;
  for (const match of router.matchAll(/'([A-Z_]+)'/g)) codes.add(match[1]!);
  const relayed = /PUBLIC_PARTNER_CODES[^{]+\{([^}]+)\}/.exec(
    read('gateway/src/partners/relay.ts'),
  )![1]!;
  for (const match of relayed.matchAll(/^\s+([A-Z_]+):/gm)) codes.add(match[1]!);
  for (const file of [
    'subgraphs/space/src/errors.ts',
    'subgraphs/network/src/errors.ts',
    'subgraphs/shell/src/errors.ts',
  ])
    for (const match of read(file).matchAll(/'([A-Z][A-Z_]+)'/g)) codes.add(match[1]!);
  return [...codes].sort();
}

describe('the French catalogue of error codes', () => {
  it('has a sentence for every UserErrorCode of the partner contract, and no other', () => {
    expect(Object.keys(USER_ERROR_MESSAGES).sort()).toEqual(
      enumValues('schema/space.graphql', 'UserErrorCode'),
    );
  });

  it('has a sentence for every NetworkUserErrorCode of the network, and no other', () => {
    expect(Object.keys(NETWORK_USER_ERROR_MESSAGES).sort()).toEqual(
      enumValues('schema/network.graphql', 'NetworkUserErrorCode'),
    );
  });

  it('has a sentence for every BookingErrorCode of the partner contract, and no other', () => {
    expect(Object.keys(BOOKING_ERROR_MESSAGES).sort()).toEqual(
      enumValues('schema/space.graphql', 'BookingErrorCode'),
    );
    expect(bookingErrorMessage('SLOT_TAKEN')).toMatch(/vient d’être réservé/);
    // A pass booking's failure is the host's code or the network's.
    expect(passBookingFailureMessage('SLOT_TAKEN')).toMatch(/vient d’être réservé/);
    expect(passBookingFailureMessage('NOT_ENOUGH_ENTRIES')).toMatch(/pas assez d’entrées/);
    expect(passBookingFailureMessage(null)).toBe(UNKNOWN_ERROR_MESSAGE);
  });

  it('has a sentence for every GraphQL code the gateway and the subgraphs give', () => {
    const codes = codesInSources();
    expect(codes).toEqual(
      expect.arrayContaining([
        'UNAUTHENTICATED',
        'FORBIDDEN',
        'NOT_FOUND',
        'RATE_LIMITED',
        'PARTNER_TIMEOUT',
      ]),
    );
    const missing = codes.filter((code) => !Object.hasOwn(GRAPHQL_ERROR_MESSAGES, code));
    expect(missing).toEqual([]);
  });

  it('speaks French, with a full sentence for each code', () => {
    const sentences = [
      ...Object.values(USER_ERROR_MESSAGES),
      ...Object.values(NETWORK_USER_ERROR_MESSAGES),
      ...Object.values(BOOKING_ERROR_MESSAGES),
      ...Object.values(GRAPHQL_ERROR_MESSAGES),
      ...Object.values(GUEST_MESSAGES),
      UNKNOWN_ERROR_MESSAGE,
    ];
    for (const sentence of sentences) {
      expect(sentence).toMatch(/^[A-ZÀ-Ý].*[.!?]$/);
      // No English left behind: the API's messages are English, the page's never.
      expect(sentence).not.toMatch(/\b(the|is|not|this|please|error)\b/i);
    }
  });

  it('reads the code, never the English message, and knows what it does not know', () => {
    expect(userErrorMessage('EVENT_FULL')).toBe('L’événement est complet.');
    expect(userErrorMessage('ALREADY_REGISTERED', GUEST_MESSAGES)).toBe(
      'Cette adresse e-mail est déjà inscrite à cet événement.',
    );
    expect(networkUserErrorMessage('LAST_COORDINATOR')).toMatch(/dernière personne/);
    expect(graphqlErrorMessage({ extensions: { code: 'RATE_LIMITED' } })).toBe(
      'Trop de demandes en peu de temps : patientez une minute avant de réessayer.',
    );
    expect(userErrorMessage('A_CODE_OF_TOMORROW')).toBe(UNKNOWN_ERROR_MESSAGE);
    expect(userErrorMessage('toString')).toBe(UNKNOWN_ERROR_MESSAGE);
    expect(graphqlErrorMessage(null)).toBe(UNKNOWN_ERROR_MESSAGE);
    expect(graphqlErrorMessage({ extensions: { code: 42 } })).toBe(UNKNOWN_ERROR_MESSAGE);
  });
});
