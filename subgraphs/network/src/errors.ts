import { userError as serviceUserError, type UserError } from '@tiers-lieux/subgraph-shell';
import type { NetworkUserErrorCode } from './__generated__/resolvers-types.js';

export { BadInputError, ForbiddenError, UnauthenticatedError } from '@tiers-lieux/subgraph-shell';

export type NetworkUserError = UserError<NetworkUserErrorCode>;

/** A mutation's business outcome: nothing was changed, and the payload says why. */
export const userError: (
  code: NetworkUserErrorCode,
  message: string,
  field?: string,
) => NetworkUserError = serviceUserError;
