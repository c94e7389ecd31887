/**
 * The operations of a partner's console (`/gestion/<partner>/…`). graphql-codegen writes their
 * types to `web/src/__generated__/graphql.ts` (codegen.ts).
 */
import type * as G from '../../__generated__/graphql.js';
import { operation } from '../../graphql/client.js';

const USER_ERROR = /* GraphQL */ `
  fragment DeskUserError on UserError {
    code
    message
    field
  }
`;

export const DESK_PARTNER = operation<G.DeskPartnerQuery, G.DeskPartnerQueryVariables>(
  /* GraphQL */ `
    query DeskPartner($slug: String!) {
      partner(slug: $slug) {
        slug
        name
        spaces(first: 100) {
          edges {
            node {
              id
              name
              status
              occupancy
              desks
              address {
                commune
              }
            }
          }
        }
      }
    }
  `,
);

export const DESK_SPACE = operation<G.DeskSpaceQuery, G.DeskSpaceQueryVariables>(/* GraphQL */ `
  query DeskSpace($id: ID!) {
    space(id: $id) {
      id
      name
      status
      description
      accessNotes
      openingHours
      website
      amenities
      services
      audiences
      contact {
        email
        phone
      }
      address {
        commune
      }
      offers {
        kind
        label
        price {
          amountCents
        }
        entries
        entryMinutes
      }
    }
  }
`);

export const UPDATE_DESK_SPACE = operation<
  G.UpdateDeskSpaceMutation,
  G.UpdateDeskSpaceMutationVariables
>(/* GraphQL */ `
  mutation UpdateDeskSpace($input: UpdateSpaceInput!) {
    updateSpace(input: $input) {
      space {
        id
        openingHours
        status
        nextOpenings(count: 5) {
          opensAt
          closesAt
        }
      }
      error {
        ...DeskUserError
      }
    }
  }
  ${USER_ERROR}
`);

export const DESK_EVENTS = operation<G.DeskEventsQuery, G.DeskEventsQueryVariables>(/* GraphQL */ `
  query DeskEvents($slug: String!) {
    partner(slug: $slug) {
      slug
      spaces(first: 20) {
        edges {
          node {
            id
            name
            events(first: 50) {
              id
              title
              startsAt
              status
              capacity
              seatsLeft
              waitingListLength
              series {
                id
              }
            }
          }
        }
      }
    }
  }
`);

export const DESK_EVENT = operation<G.DeskEventQuery, G.DeskEventQueryVariables>(/* GraphQL */ `
  query DeskEvent($id: ID!) {
    event(id: $id) {
      id
      title
      description
      kind
      startsAt
      endsAt
      capacity
      seatsLeft
      waitingListLength
      status
      space {
        id
        name
      }
      series {
        id
        rule
        occurrences(first: 100) {
          id
          startsAt
          status
        }
      }
      registrations(first: 500) {
        id
        name
        status
        waitingPosition
        checkedInAt
        createdAt
        member {
          email
        }
      }
    }
  }
`);

export const CREATE_DESK_EVENT = operation<
  G.CreateDeskEventMutation,
  G.CreateDeskEventMutationVariables
>(/* GraphQL */ `
  mutation CreateDeskEvent($input: CreateEventInput!) {
    createEvent(input: $input) {
      event {
        id
      }
      error {
        ...DeskUserError
      }
    }
  }
  ${USER_ERROR}
`);

export const CREATE_DESK_SERIES = operation<
  G.CreateDeskSeriesMutation,
  G.CreateDeskSeriesMutationVariables
>(/* GraphQL */ `
  mutation CreateDeskSeries($input: CreateEventSeriesInput!) {
    createEventSeries(input: $input) {
      changedOccurrences
      series {
        id
        occurrences(first: 1) {
          id
        }
      }
      error {
        ...DeskUserError
      }
    }
  }
  ${USER_ERROR}
`);

export const UPDATE_DESK_EVENT = operation<
  G.UpdateDeskEventMutation,
  G.UpdateDeskEventMutationVariables
>(/* GraphQL */ `
  mutation UpdateDeskEvent($input: UpdateEventInput!) {
    updateEvent(input: $input) {
      event {
        id
      }
      error {
        ...DeskUserError
      }
    }
  }
  ${USER_ERROR}
`);

export const UPDATE_DESK_SERIES = operation<
  G.UpdateDeskSeriesMutation,
  G.UpdateDeskSeriesMutationVariables
>(/* GraphQL */ `
  mutation UpdateDeskSeries($input: UpdateEventSeriesInput!) {
    updateEventSeries(input: $input) {
      changedOccurrences
      error {
        ...DeskUserError
      }
    }
  }
  ${USER_ERROR}
`);

export const CANCEL_DESK_EVENT = operation<
  G.CancelDeskEventMutation,
  G.CancelDeskEventMutationVariables
>(/* GraphQL */ `
  mutation CancelDeskEvent($input: CancelEventInput!) {
    cancelEvent(input: $input) {
      event {
        id
        status
      }
      error {
        ...DeskUserError
      }
    }
  }
  ${USER_ERROR}
`);

export const CHECK_IN_REGISTRATION = operation<
  G.CheckInDeskRegistrationMutation,
  G.CheckInDeskRegistrationMutationVariables
>(/* GraphQL */ `
  mutation CheckInDeskRegistration($input: CheckInRegistrationInput!) {
    checkInRegistration(input: $input) {
      registration {
        id
        checkedInAt
      }
      error {
        ...DeskUserError
      }
    }
  }
  ${USER_ERROR}
`);

export const DESK_FRONT = operation<G.DeskFrontQuery, G.DeskFrontQueryVariables>(/* GraphQL */ `
  query DeskFront($slug: String!) {
    partner(slug: $slug) {
      slug
      spaces(first: 20) {
        edges {
          node {
            id
            name
            status
            occupancy
            desks
            presentVisits {
              id
              kind
              checkedInAt
              passId
              member {
                id
                displayName
              }
              person {
                id
                displayName
              }
            }
          }
        }
      }
    }
  }
`);

const VISIT_PAYLOAD = /* GraphQL */ `
  fragment DeskVisitPayload on VisitPayload {
    visit {
      id
    }
    error {
      ...DeskUserError
    }
  }
`;

export const CHECK_IN_MEMBER = operation<
  G.CheckInDeskMemberMutation,
  G.CheckInDeskMemberMutationVariables
>(/* GraphQL */ `
  mutation CheckInDeskMember($input: CheckInInput!) {
    checkIn(input: $input) {
      ...DeskVisitPayload
    }
  }
  ${VISIT_PAYLOAD}
  ${USER_ERROR}
`);

export const CHECK_IN_VISITOR = operation<
  G.CheckInDeskVisitorMutation,
  G.CheckInDeskVisitorMutationVariables
>(/* GraphQL */ `
  mutation CheckInDeskVisitor($input: CheckInVisitorInput!) {
    checkInVisitor(input: $input) {
      ...DeskVisitPayload
    }
  }
  ${VISIT_PAYLOAD}
  ${USER_ERROR}
`);

export const CHECK_OUT = operation<G.CheckOutDeskMutation, G.CheckOutDeskMutationVariables>(
  /* GraphQL */ `
    mutation CheckOutDesk($input: CheckOutInput!) {
      checkOut(input: $input) {
        ...DeskVisitPayload
      }
    }
    ${VISIT_PAYLOAD}
    ${USER_ERROR}
  `,
);

export const DESK_PASS = operation<G.DeskPassQuery, G.DeskPassQueryVariables>(/* GraphQL */ `
  query DeskPass($code: String!) {
    pass(code: $code) {
      id
      code
      status
      entriesLeft
      entriesTotal
      entryMinutes
      expiresAt
      product {
        name
      }
      holderPerson {
        id
        displayName
      }
      validAt {
        id
        name
        address {
          commune
        }
      }
    }
  }
`);

export const REDEEM_PASS = operation<G.RedeemDeskPassMutation, G.RedeemDeskPassMutationVariables>(
  /* GraphQL */ `
    mutation RedeemDeskPass($input: RedeemPassInput!) {
      redeemPass(input: $input) {
        redemption {
          id
          entries
          pass {
            id
            entriesLeft
          }
        }
        error {
          code
          message
        }
      }
    }
  `,
);

export const DESK_MEMBERS = operation<G.DeskMembersQuery, G.DeskMembersQueryVariables>(
  /* GraphQL */ `
    query DeskMembers($filter: MemberFilter) {
      members(filter: $filter, first: 100) {
        edges {
          node {
            id
            partnerSlug
            displayName
            email
            isCheckedIn
          }
        }
      }
    }
  `,
);

export const DESK_MEMBER = operation<G.DeskMemberQuery, G.DeskMemberQueryVariables>(/* GraphQL */ `
  query DeskMember($id: ID!) {
    member(id: $id) {
      id
      displayName
      email
      phone
      profile
      isCheckedIn
      person {
        id
      }
      memberships {
        id
        plan
        since
        until
        isCurrent
        space {
          name
        }
      }
      visits(first: 50) {
        id
        checkedInAt
        checkedOutAt
        space {
          name
        }
      }
    }
  }
`);

export const REGISTER_DESK_MEMBER = operation<
  G.RegisterDeskMemberMutation,
  G.RegisterDeskMemberMutationVariables
>(/* GraphQL */ `
  mutation RegisterDeskMember($input: RegisterMemberInput!) {
    registerMember(input: $input) {
      member {
        id
      }
      error {
        ...DeskUserError
      }
    }
  }
  ${USER_ERROR}
`);
