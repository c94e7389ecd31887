/**
 * The few operations of a signed-in person that public pages send (registering as oneself on
 * an event's page, one's passes on "Mon pass"); "Mon espace" has its own
 * (`account-operations.ts`), loaded with its page. Typed by graphql-codegen like `operations.ts`.
 */
import type * as G from '../__generated__/graphql.js';
import { operation } from './client.js';

/** What "Mon pass" and "Mon espace" show of a pass, as `PASS` does for a code. */
export const MY_PASS = /* GraphQL */ `
  fragment MyPass on Pass {
    id
    code
    status
    entriesTotal
    entriesLeft
    entryMinutes
    expiresAt
    product {
      name
    }
    validAt {
      id
      name
      address {
        commune
      }
    }
    redemptions(first: 100) {
      id
      startedAt
      minutes
      entries
      voided
      space {
        name
        address {
          commune
        }
      }
    }
  }
`;

export const REGISTRATION_PAYLOAD = /* GraphQL */ `
  fragment MyRegistrationPayload on RegistrationPayload {
    registration {
      id
      status
      waitingPosition
      event {
        id
        seatsLeft
        waitingListLength
      }
    }
    error {
      code
      message
      field
    }
  }
`;

/** The signed-in person's passes, for "Mon pass". */
export const MY_PASSES = operation<G.MyPassesQuery, G.MyPassesQueryVariables>(/* GraphQL */ `
  query MyPasses {
    me {
      id
      passes(first: 20) {
        ...MyPass
      }
    }
  }
  ${MY_PASS}
`);

/** Whether the signed-in person holds a live registration for events, for the event page. */
export const MY_UPCOMING_REGISTRATIONS = operation<
  G.MyUpcomingRegistrationsQuery,
  G.MyUpcomingRegistrationsQueryVariables
>(/* GraphQL */ `
  query MyUpcomingRegistrations {
    me {
      id
      displayName
      registrations(when: UPCOMING, first: 200) {
        id
        status
        waitingPosition
        event {
          id
        }
      }
    }
  }
`);

export const REGISTER_MYSELF = operation<
  G.RegisterMyselfMutation,
  G.RegisterMyselfMutationVariables
>(/* GraphQL */ `
  mutation RegisterMyself($eventId: ID!, $displayName: String!) {
    registerForEvent(input: { eventId: $eventId, displayName: $displayName }) {
      ...MyRegistrationPayload
    }
  }
  ${REGISTRATION_PAYLOAD}
`);
