import type { PersonResolvers } from '../__generated__/resolvers-types.js';
import { canChooseMessagesOf, canSeePersonAtPartner } from '../access.js';
import { getPersonMessageChoice } from '../data/preferences.js';
import { MESSAGE_KINDS } from '../mail/owe.js';
import { personPublicId, personUuid } from '../ids.js';
import { checkFirst } from '@tiers-lieux/subgraph-shell';
import type { PersonModel } from './mappers.js';

/** The person a `person_id` column names, as the `Person` this subgraph returns. */
export function personModel(uuid: string | null): PersonModel | null {
  return uuid === null ? null : { id: personPublicId(uuid), uuid };
}

export const Person: PersonResolvers = {
  __resolveReference: ({ id }) => {
    const uuid = personUuid(id);
    return uuid === null ? null : { id, uuid };
  },
  memberships: (person, _args, ctx) =>
    canSeePersonAtPartner(ctx, person.uuid) ? ctx.loaders.membersByPersonId.load(person.uuid) : [],
  registrations: (person, { when, first }, ctx) => {
    checkFirst(first, 200);
    return canSeePersonAtPartner(ctx, person.uuid)
      ? ctx.loaders.registrationsByPersonId(when, first).load(person.uuid)
      : [];
  },
  visits: (person, { first }, ctx) => {
    checkFirst(first, 100);
    return canSeePersonAtPartner(ctx, person.uuid)
      ? ctx.loaders.recentVisitsByPersonId(first).load(person.uuid)
      : [];
  },
  bookings: (person, { first }, ctx) => {
    checkFirst(first, 100);
    return canSeePersonAtPartner(ctx, person.uuid)
      ? ctx.loaders.bookingsByPersonId(first).load(person.uuid)
      : [];
  },
  eventMessagePreferences: async (person, _args, ctx) => {
    if (!canChooseMessagesOf(ctx, person.uuid)) return null;
    return Promise.all(
      (Object.keys(MESSAGE_KINDS) as (keyof typeof MESSAGE_KINDS)[]).map(async (kind) => {
        const choice = await getPersonMessageChoice(ctx.db, {
          personUuid: person.uuid,
          kind: MESSAGE_KINDS[kind],
        });
        return {
          partner: ctx.partner,
          kind,
          subscribed: choice?.subscribed ?? true,
          setByLink: choice?.byLink ?? false,
        };
      }),
    );
  },
};
