import type { GraphQLFormattedError } from 'graphql';

/** What of a partner's errors reaches the client, and at which path of the merged answer. */

export function withPartner(error: GraphQLFormattedError, partner: string): GraphQLFormattedError {
  return { ...error, extensions: { ...error.extensions, partner } };
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
