import type { GraphQLFormattedError } from 'graphql';

/**
 * Codes the gateway itself gives. A partner's own coded errors pass through with
 * `extensions.partner` added; `@apollo/gateway` adds `serviceName`.
 */
export type RouterErrorCode =
  | 'PARTNER_UNAVAILABLE'
  | 'PARTNER_TIMEOUT'
  | 'PARTNER_BAD_RESPONSE'
  | 'PARTNER_SUSPENDED'
  | 'PARTNER_INCOMPATIBLE'
  | 'UNKNOWN_PARTNER'
  | 'BAD_USER_INPUT'
  | 'BAD_REQUEST'
  | 'INTERNAL_SERVER_ERROR';

export function routerError(
  code: RouterErrorCode,
  message: string,
  path?: (string | number)[],
  partner?: string,
): GraphQLFormattedError {
  return {
    message,
    ...(path ? { path } : {}),
    extensions: { code, ...(partner ? { partner } : {}) },
  };
}
