import type { GraphQLFormattedError } from 'graphql';

/**
 * Codes the gateway itself gives. A partner's own errors reach the client only through the
 * partner router's relay (partners/relay.ts): `PARTNER_ERROR`, or one of the contract's public
 * codes, always with `extensions.partner` set by the router; `@apollo/gateway` adds
 * `serviceName`. `SUBGRAPH_TIMEOUT` and `SUBGRAPH_UNAVAILABLE` are a non-partner subgraph's
 * (the network's) fetch that failed (subgraph-sources.ts).
 */
export type RouterErrorCode =
  | 'PARTNER_UNAVAILABLE'
  | 'PARTNER_TIMEOUT'
  | 'PARTNER_BAD_RESPONSE'
  | 'PARTNER_ERROR'
  | 'PARTNER_SUSPENDED'
  | 'PARTNER_INCOMPATIBLE'
  | 'PARTNER_OUTDATED'
  | 'UNKNOWN_PARTNER'
  | 'BAD_USER_INPUT'
  | 'BAD_REQUEST'
  | 'SUBGRAPH_TIMEOUT'
  | 'SUBGRAPH_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export function routerError(
  code: RouterErrorCode,
  message: string,
  path?: readonly (string | number)[],
  partner?: string,
  extensions: Record<string, unknown> = {},
): GraphQLFormattedError {
  return {
    message,
    ...(path ? { path } : {}),
    extensions: { code, ...(partner ? { partner } : {}), ...extensions },
  };
}
