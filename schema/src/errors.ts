import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';

/** Codes whose messages are meant for clients: they pass unmasked in production. */
export const PUBLIC_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'PARTNER_UNAVAILABLE',
  'PARTNER_TIMEOUT',
  'PARTNER_BAD_RESPONSE',
  'PARTNER_SUSPENDED',
  'PARTNER_INCOMPATIBLE',
  'UNKNOWN_PARTNER',
  'SIGN_IN_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
  'SUBGRAPH_UNAVAILABLE',
]);

/**
 * Apollo Server's `formatError` for every service of the network. In production an error
 * without a public code says nothing of its cause: the client gets a generic message and an
 * error id, and the log gets the original under that id.
 */
export function maskErrors(production: boolean, log: (message: string) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (!production) return formatted;
    if (typeof code === 'string' && PUBLIC_ERROR_CODES.has(code)) {
      // A subgraph's own stack trace travels in its error's extensions: not past production.
      const {
        stacktrace: _stacktrace,
        exception: _exception,
        ...extensions
      } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const errorId = randomUUID();
    log(
      `error ${errorId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}
