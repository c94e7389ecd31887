import type { RoleGrantResolvers } from '../__generated__/resolvers-types.js';
import { networkId } from '../ids.js';

export const RoleGrant: RoleGrantResolvers = {
  id: (grant) => networkId('role-grant', grant.id),
  person: async (grant, _args, ctx) => (await ctx.loaders.personById.load(grant.personId))!,
  partner: (grant, _args, ctx) =>
    grant.partnerSlug ? ctx.loaders.partnerBySlug.load(grant.partnerSlug) : null,
  grantedBy: (grant, _args, ctx) =>
    grant.grantedBy ? ctx.loaders.personById.load(grant.grantedBy) : null,
  revokedBy: (grant, _args, ctx) =>
    grant.revokedBy ? ctx.loaders.personById.load(grant.revokedBy) : null,
};
