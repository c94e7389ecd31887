import type { GraphQLFormattedError } from 'graphql';
import { routerError } from '../errors.js';

/** What of a partner's errors reaches the client, and at which path of the merged answer. */

/**
 * The codes of the partner contract a client may branch on; a partner's error with one of
 * them keeps its code, any other becomes `PARTNER_ERROR`. The message is always the router's.
 */
export const PUBLIC_PARTNER_CODES: Readonly<Record<string, string>> = {
  BAD_USER_INPUT: 'A partner refused an input of the request',
  NOT_FOUND: 'A partner found nothing for the request',
  FORBIDDEN: 'A partner refused the request to this viewer',
  UNAUTHENTICATED: 'A partner requires a signed-in viewer for the request',
  GRAPHQL_VALIDATION_FAILED: 'A partner refused the request as invalid',
};

const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
const FIELD = /^[_A-Za-z][_0-9A-Za-z]{0,99}(\.[_0-9A-Za-z]{1,100}){0,9}$/;

/**
 * A partner's error as the client sees it. With several partners, nothing the partner wrote
 * is relayed but a public code, the input field at fault and a path made of names and
 * indexes: the message is the router's, `partner` is the sender (whatever the partner
 * claimed), and `extensions.http` is dropped, so no partner sets the status of the network's
 * answer nor speaks for another. The network's only partner is relayed as a plain gateway
 * relays its subgraph (its errors are then the whole answer's), without `extensions.http`.
 */
export function relayPartnerError(
  error: GraphQLFormattedError,
  partner: string,
  sole: boolean,
): GraphQLFormattedError {
  if (sole) {
    const { http: _http, ...extensions } = error.extensions ?? {};
    return { ...error, ...(error.extensions ? { extensions } : {}) };
  }
  const code = error.extensions?.code;
  const field = error.extensions?.field;
  const isPublic = typeof code === 'string' && Object.hasOwn(PUBLIC_PARTNER_CODES, code);
  const path = Array.isArray(error.path)
    ? error.path.filter((p) => (typeof p === 'number' ? Number.isInteger(p) : NAME.test(p)))
    : undefined;
  return routerError(
    isPublic ? (code as 'BAD_USER_INPUT') : 'PARTNER_ERROR',
    isPublic ? PUBLIC_PARTNER_CODES[code]! : 'A partner could not answer part of the request',
    path?.length === error.path?.length ? path : undefined,
    partner,
    isPublic && typeof field === 'string' && FIELD.test(field) ? { field } : {},
  );
}

/** Maps `[key, j, …]` of a partner's answer to `[key, original(j), …]` of the merged one. */
export function remapPath(
  error: GraphQLFormattedError,
  responseKey: string,
  original: (j: number) => number | undefined,
): GraphQLFormattedError {
  const path = error.path;
  if (!path || path[0] !== responseKey || typeof path[1] !== 'number') return error;
  const index = original(path[1]);
  return index === undefined ? error : { ...error, path: [responseKey, index, ...path.slice(2)] };
}

/** Whether an error of a connection's answer is about one of its edges (`[key, edges, i, …]`). */
export function isUnderEdges(error: GraphQLFormattedError, responseKey: string): boolean {
  const path = error.path;
  return !!path && path[0] === responseKey && path.length >= 3 && typeof path[2] === 'number';
}

/**
 * The same error from every partner (a bad argument all of them refuse) is one error for the
 * client, not one per partner: it then names no partner.
 */
export function collapseRepeated(errors: GraphQLFormattedError[]): GraphQLFormattedError[] {
  const byKey = new Map<string, { error: GraphQLFormattedError; count: number }>();
  for (const error of errors) {
    const key = JSON.stringify([error.message, error.path, error.extensions?.code]);
    const seen = byKey.get(key);
    if (seen) seen.count++;
    else byKey.set(key, { error, count: 1 });
  }
  return [...byKey.values()].map(({ error, count }) => {
    if (count === 1) return error;
    const { partner: _partner, ...extensions } = error.extensions ?? {};
    return { ...error, extensions };
  });
}
