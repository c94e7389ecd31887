import { GraphQLError } from 'graphql';
import type { UserErrorCode } from './__generated__/resolvers-types.js';

export class ForbiddenError extends GraphQLError {
  constructor(action: string) {
    super(`Not allowed to ${action}`, { extensions: { code: 'FORBIDDEN' } });
  }
}

export class BadInputError extends GraphQLError {
  constructor(message: string, field?: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
  }
}

export interface UserError {
  code: UserErrorCode;
  message: string;
  field?: string | null;
}

/** A mutation's business outcome: nothing was changed, and the payload says why. */
export function userError(code: UserErrorCode, message: string, field?: string): UserError {
  return { code, message, field: field ?? null };
}

export class UnauthenticatedError extends GraphQLError {
  constructor(action: string) {
    super(`Sign in to ${action}`, { extensions: { code: 'UNAUTHENTICATED' } });
  }
}
