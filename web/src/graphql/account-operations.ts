/**
 * The operations of "Mon espace": the network's `me` with what every partner holds on the
 * signed-in person, and the self-service mutations. Typed by graphql-codegen like
 * `operations.ts`.
 */
import type * as G from '../__generated__/graphql.js';
import { operation } from './client.js';
import { MY_PASS, REGISTRATION_PAYLOAD } from './my-operations.js';

const MY_REGISTRATION = /* GraphQL */ `
  fragment MyRegistration on Registration {
    id
    name
    status
    waitingPosition
    event {
      id
      title
      startsAt
      endsAt
      status
      space {
        id
        name
        address {
          commune
        }
      }
    }
  }
`;

export const MY_SPACE = operation<G.MySpaceQuery, G.MySpaceQueryVariables>(/* GraphQL */ `
  query MySpace {
    me {
      id
      displayName
      email
      cardNumber
      roles {
        id
        role
        partner {
          slug
          name
        }
      }
      upcoming: registrations(when: UPCOMING, first: 100) {
        ...MyRegistration
      }
      past: registrations(when: PAST, first: 100) {
        ...MyRegistration
      }
      passes(first: 20) {
        ...MyPass
      }
      memberships {
        id
        partnerSlug
        displayName
        phone
        skills
        isInDirectory
        directorySkills
        memberships(first: 20) {
          id
          plan
          since
          until
          isCurrent
          space {
            id
            name
            address {
              commune
            }
          }
        }
      }
      visits(first: 20) {
        id
      }
      eventMessagePreferences {
        partner
        kind
        subscribed
        setByLink
      }
      passMessagePreferences {
        kind
        subscribed
      }
    }
    partners {
      slug
      name
    }
  }
  ${MY_REGISTRATION}
  ${MY_PASS}
`);

/**
 * Everything the network holds on the signed-in person, every partner included, but their
 * passes (`MY_DATA_PASSES`).
 */
export const MY_DATA = operation<G.MyDataQuery, G.MyDataQueryVariables>(/* GraphQL */ `
  query MyData {
    me {
      id
      displayName
      email
      identities {
        issuer
        subject
      }
      roles {
        id
        role
        partner {
          slug
          name
        }
        grantedAt
      }
      memberships {
        id
        partnerSlug
        displayName
        email
        phone
        profile
        skills
        isInDirectory
        directorySkills
        memberships(first: 200) {
          id
          plan
          since
          until
          space {
            id
            name
          }
        }
      }
      registrations(when: ALL, first: 200) {
        id
        name
        status
        waitingPosition
        createdAt
        event {
          id
          title
          startsAt
          endsAt
          space {
            id
            name
          }
        }
      }
      visits(first: 100) {
        id
        kind
        passId
        checkedInAt
        checkedOutAt
        space {
          id
          name
        }
      }
    }
  }
`);

const MY_DATA_PASS = /* GraphQL */ `
  fragment MyDataPass on Pass {
    id
    code
    status
    entriesTotal
    entriesLeft
    entryMinutes
    issuedAt
    expiresAt
    price {
      amountCents
      currency
    }
    product {
      id
      name
    }
    redemptions(first: 100) {
      id
      startedAt
      minutes
      entries
      recordedAt
      voided
      voidedAt
      voidReason
      space {
        id
        name
      }
    }
  }
`;

/**
 * A page of the passes the signed-in person holds, with their redemptions: `MY_DATA` leaves
 * them out, the data export pages through them (`account-export.ts`).
 */
export const MY_DATA_PASSES = operation<G.MyDataPassesQuery, G.MyDataPassesQueryVariables>(
  /* GraphQL */ `
    query MyDataPasses($first: Int!, $offset: Int!) {
      me {
        id
        passes(first: $first, offset: $offset) {
          ...MyDataPass
        }
      }
    }
    ${MY_DATA_PASS}
  `,
);

export const CANCEL_MY_REGISTRATION = operation<
  G.CancelMyRegistrationMutation,
  G.CancelMyRegistrationMutationVariables
>(/* GraphQL */ `
  mutation CancelMyRegistration($id: ID!) {
    cancelRegistration(input: { id: $id }) {
      ...MyRegistrationPayload
    }
  }
  ${REGISTRATION_PAYLOAD}
`);

export const UPDATE_MY_PROFILE = operation<
  G.UpdateMyProfileMutation,
  G.UpdateMyProfileMutationVariables
>(/* GraphQL */ `
  mutation UpdateMyProfile($displayName: String!) {
    updateMyProfile(displayName: $displayName) {
      person {
        id
        displayName
      }
      error {
        code
        message
        field
      }
    }
  }
`);

export const UPDATE_MY_MEMBER_PROFILE = operation<
  G.UpdateMyMemberProfileMutation,
  G.UpdateMyMemberProfileMutationVariables
>(/* GraphQL */ `
  mutation UpdateMyMemberProfile($input: UpdateMyMemberProfileInput!) {
    updateMyMemberProfile(input: $input) {
      member {
        id
        phone
        skills
        isInDirectory
        directorySkills
      }
      error {
        code
        message
        field
      }
    }
  }
`);

export const ERASE_MY_DATA = operation<G.EraseMyDataMutation, G.EraseMyDataMutationVariables>(
  /* GraphQL */ `
    mutation EraseMyData($partner: String!) {
      eraseMyData(partner: $partner) {
        erasedMembers
        erasedRegistrations
        unlinkedVisits
        error {
          code
          message
        }
      }
    }
  `,
);

export const CLOSE_MY_ACCOUNT = operation<
  G.CloseMyAccountMutation,
  G.CloseMyAccountMutationVariables
>(/* GraphQL */ `
  mutation CloseMyAccount {
    closeMyAccount {
      person {
        id
      }
      error {
        code
        message
      }
    }
  }
`);

/** The person's choice of optional messages: at every partner (reminders) and the network (passes). */
export const SET_MY_MESSAGE_PREFERENCES = operation<
  G.SetMyMessagePreferencesMutation,
  G.SetMyMessagePreferencesMutationVariables
>(/* GraphQL */ `
  mutation SetMyMessagePreferences(
    $personId: ID!
    $reminder: Boolean!
    $runningLow: Boolean!
    $expiring: Boolean!
  ) {
    reminder: setEventMessagePreference(
      input: { personId: $personId, kind: REMINDER, subscribed: $reminder }
    ) {
      kind
      subscribed
      error {
        code
        message
      }
    }
    runningLow: setPassMessagePreference(
      input: { personId: $personId, kind: RUNNING_LOW, subscribed: $runningLow }
    ) {
      preference {
        kind
        subscribed
      }
      error {
        code
        message
      }
    }
    expiring: setPassMessagePreference(
      input: { personId: $personId, kind: EXPIRING, subscribed: $expiring }
    ) {
      preference {
        kind
        subscribed
      }
      error {
        code
        message
      }
    }
  }
`);
