import { randomUUID } from 'node:crypto';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = Level | 'silent';

/**
 * A service's logger: one JSON object a line, on stdout unless given a destination, each line
 * naming the service. No line may hold personal data: request lines carry names, codes and
 * durations, never variables, answers, client addresses or error texts from partners.
 */
export function createLogger(options: {
  service: string;
  level?: LogLevel | undefined;
  destination?: DestinationStream | undefined;
}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

/** A file or descriptor to write a log to, asynchronously (`logDestination('/dev/null')`). */
export function logDestination(dest: string | number): DestinationStream {
  return pino.destination({ dest, sync: false });
}

/** What tests and factories without a logger use: nothing is written. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g;
// Numbers as people write them, in groups (`+33 6 12 34 56 78`, `06.12.34.56.78`); a
// timestamp, a date or a stack's `file.ts:123:45` has fewer groups.
const PHONE = /\+?\d{1,4}(?:[\s.-]\d{1,4}){4,}/g;

/**
 * The text with what looks like an email address or a phone number blanked: for the texts a
 * service logs that it did not write itself (an unexpected error's message and stack).
 */
export function scrubPersonalData(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request id an incoming header names, if it is one (a bounded token, never free text
 * that could forge a log line); otherwise a new one.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && REQUEST_ID.test(value) ? value : randomUUID();
}

/** The header that carries the request id from the gateway to every subgraph, and back to clients. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** An error code as logs and metrics keep it: a SCREAMING_SNAKE word, or `OTHER`. */
export function errorCodeOf(code: unknown): string {
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'OTHER';
}
