import {
  userError as serviceUserError,
  type UserError as ServiceUserError,
} from '@tiers-lieux/subgraph-shell';
import type { UserErrorCode } from './__generated__/resolvers-types.js';

export { BadInputError, ForbiddenError, UnauthenticatedError } from '@tiers-lieux/subgraph-shell';

export type UserError = ServiceUserError<UserErrorCode>;

/** A mutation's business outcome: nothing was changed, and the payload says why. */
export const userError: (code: UserErrorCode, message: string, field?: string) => UserError =
  serviceUserError;
