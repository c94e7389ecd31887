import { GraphQLError } from 'graphql';
import type { NetworkUserErrorCode } from './__generated__/resolvers-types.js';

export class ForbiddenError extends GraphQLError {
  constructor(action: string) {
    super(`Not allowed to ${action}`, { extensions: { code: 'FORBIDDEN' } });
  }
}

export class UnauthenticatedError extends GraphQLError {
  constructor(action: string) {
    super(`Sign in to ${action}`, { extensions: { code: 'UNAUTHENTICATED' } });
  }
}

export class BadInputError extends GraphQLError {
  constructor(message: string, field?: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
  }
}

export interface NetworkUserError {
  code: NetworkUserErrorCode;
  message: string;
  field: string | null;
}

/** A mutation's business outcome: nothing was changed, and the payload says why. */
export function userError(
  code: NetworkUserErrorCode,
  message: string,
  field?: string,
): NetworkUserError {
  return { code, message, field: field ?? null };
}
