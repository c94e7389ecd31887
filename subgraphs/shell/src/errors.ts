import { GraphQLError } from 'graphql';

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

/** What a mutation's payload says when it changed nothing, with the service's own codes. */
export interface UserError<Code extends string> {
  code: Code;
  message: string;
  field: string | null;
}

/** A mutation's business outcome: nothing was changed, and the payload says why. */
export function userError<Code extends string>(
  code: Code,
  message: string,
  field?: string,
): UserError<Code> {
  return { code, message, field: field ?? null };
}
