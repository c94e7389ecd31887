import { checkFirst, checkOffset } from '@tiers-lieux/subgraph-shell';
import type { PersonResolvers } from '../__generated__/resolvers-types.js';
import {
  canSeeCardNumber,
  canChooseMessagesOf,
  canSeePassHolder,
  canSeePeople,
  canSeePersonEmail,
  canSeePersonIdentities,
  canSeeRoleGrant,
} from '../access.js';
import { cardNumberOf } from '../card-number.js';
import {
  listTurnedOffPassMessages,
  PASS_MESSAGE_KINDS,
  type PassMessageKindName,
} from '../data/message-preferences.js';
import { parsePersonId, personId } from '../ids.js';

/** How many identities `Person.identities` promises at most. */
const MAX_IDENTITIES = 20;

export const Person: PersonResolvers = {
  __resolveReference: ({ id }, ctx) => {
    const uuid = parsePersonId(id);
    return uuid && canSeePeople(ctx.viewer) ? ctx.loaders.personById.load(uuid) : null;
  },
  id: (person) => personId(person.id),
  email: async (person, _args, ctx) =>
    canSeePersonEmail(ctx.viewer, person, await ctx.loaders.liveGrantsByPersonId.load(person.id))
      ? person.email
      : null,
  identities: async (person, _args, ctx) =>
    canSeePersonIdentities(ctx.viewer, person)
      ? (await ctx.loaders.identitiesByPersonId.load(person.id)).slice(0, MAX_IDENTITIES)
      : [],
  cardNumber: (person, _args, ctx) =>
    canSeeCardNumber(ctx.viewer, person) ? cardNumberOf(person.id) : null,
  roles: async (person, _args, ctx) =>
    (await ctx.loaders.liveGrantsByPersonId.load(person.id)).filter((grant) =>
      canSeeRoleGrant(ctx.viewer, grant),
    ),
  passes: async (person, { first, offset }, ctx) => {
    checkFirst(first, 100);
    checkOffset(offset);
    const passes = await ctx.loaders.passesByHolderPersonId.load(person.id);
    return passes
      .filter((pass) => canSeePassHolder(ctx.viewer, pass))
      .slice(offset, offset + first);
  },
  passMessagePreferences: async (person, _args, ctx) => {
    if (!canChooseMessagesOf(ctx.viewer, person.id)) return null;
    const kinds = Object.keys(PASS_MESSAGE_KINDS) as PassMessageKindName[];
    const off = await listTurnedOffPassMessages(ctx.db, { personId: person.id, kinds });
    return kinds.map((kind) => ({ kind, subscribed: !off.has(kind) }));
  },
};
