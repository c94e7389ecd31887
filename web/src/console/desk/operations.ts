/**
 * The operations of a partner's console (`/gestion/<partner>/…`). graphql-codegen writes their
 * types to `web/src/__generated__/graphql.ts` (codegen.ts).
 */
import type * as G from '../../__generated__/graphql.js';
import { operation } from '../../graphql/client.js';

const USER_ERROR = /* GraphQL */ `
  fragment DeskUserError on UserError {
    code
    field
  }
`;

/** A space as the desk's lists show it: name, state, occupancy. */
const SPACE_SUMMARY = /* GraphQL */ `
  fragment DeskSpaceSummary on Space {
    id
    name
    status
    occupancy
    desks
  }
`;

/** An event's figures as the lists and the event's page show them. */
const EVENT_FIGURES = /* GraphQL */ `
  fragment DeskEventFigures on Event {
    id
    title
    startsAt
    status
    capacity
    seatsLeft
    waitingListLength
  }
`;

/** What a mutation on an event answers: the event's id, or why it was refused. */
const EVENT_PAYLOAD = /* GraphQL */ `
  fragment DeskEventPayload on EventPayload {
    event {
      id
      status
    }
    error {
      ...DeskUserError
    }
  }
`;

/** What a change to a series answers: how many occurrences changed, or why it was refused. */
const SERIES_OUTCOME = /* GraphQL */ `
  fragment DeskSeriesOutcome on EventSeriesPayload {
    changedOccurrences
    error {
      ...DeskUserError
    }
  }
`;

/** A membership as the member's page lists it. */
const MEMBERSHIP = /* GraphQL */ `
  fragment DeskMembership on Membership {
    id
    plan
    since
    until
    isCurrent
    space {
      id
      name
    }
  }
`;

/** A member as a list shows them. */
const MEMBER_SUMMARY = /* GraphQL */ `
  fragment DeskMemberSummary on Member {
    id
    displayName
    email
    isCheckedIn
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
              ...DeskSpaceSummary
              address {
                commune
              }
            }
          }
        }
      }
    }
    ${SPACE_SUMMARY}
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
              ...DeskEventFigures
              series {
                id
              }
            }
          }
        }
      }
    }
  }
  ${EVENT_FIGURES}
`);

export const DESK_EVENT = operation<G.DeskEventQuery, G.DeskEventQueryVariables>(/* GraphQL */ `
  query DeskEvent($id: ID!) {
    event(id: $id) {
      ...DeskEventFigures
      description
      kind
      endsAt
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
  ${EVENT_FIGURES}
`);

export const CREATE_DESK_EVENT = operation<
  G.CreateDeskEventMutation,
  G.CreateDeskEventMutationVariables
>(/* GraphQL */ `
  mutation CreateDeskEvent($input: CreateEventInput!) {
    createEvent(input: $input) {
      ...DeskEventPayload
    }
  }
  ${EVENT_PAYLOAD}
  ${USER_ERROR}
`);

export const CREATE_DESK_SERIES = operation<
  G.CreateDeskSeriesMutation,
  G.CreateDeskSeriesMutationVariables
>(/* GraphQL */ `
  mutation CreateDeskSeries($input: CreateEventSeriesInput!) {
    createEventSeries(input: $input) {
      ...DeskSeriesOutcome
      series {
        id
        occurrences(first: 1) {
          id
        }
      }
    }
  }
  ${SERIES_OUTCOME}
  ${USER_ERROR}
`);

export const UPDATE_DESK_EVENT = operation<
  G.UpdateDeskEventMutation,
  G.UpdateDeskEventMutationVariables
>(/* GraphQL */ `
  mutation UpdateDeskEvent($input: UpdateEventInput!) {
    updateEvent(input: $input) {
      ...DeskEventPayload
    }
  }
  ${EVENT_PAYLOAD}
  ${USER_ERROR}
`);

export const UPDATE_DESK_SERIES = operation<
  G.UpdateDeskSeriesMutation,
  G.UpdateDeskSeriesMutationVariables
>(/* GraphQL */ `
  mutation UpdateDeskSeries($input: UpdateEventSeriesInput!) {
    updateEventSeries(input: $input) {
      ...DeskSeriesOutcome
    }
  }
  ${SERIES_OUTCOME}
  ${USER_ERROR}
`);

export const CANCEL_DESK_EVENT = operation<
  G.CancelDeskEventMutation,
  G.CancelDeskEventMutationVariables
>(/* GraphQL */ `
  mutation CancelDeskEvent($input: CancelEventInput!) {
    cancelEvent(input: $input) {
      ...DeskEventPayload
    }
  }
  ${EVENT_PAYLOAD}
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
            ...DeskSpaceSummary
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
  ${SPACE_SUMMARY}
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
            ...DeskMemberSummary
            partnerSlug
          }
        }
      }
    }
    ${MEMBER_SUMMARY}
  `,
);

export const DESK_MEMBER = operation<G.DeskMemberQuery, G.DeskMemberQueryVariables>(/* GraphQL */ `
  query DeskMember($id: ID!) {
    member(id: $id) {
      ...DeskMemberSummary
      phone
      profile
      person {
        id
      }
      memberships {
        ...DeskMembership
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
  ${MEMBER_SUMMARY}
  ${MEMBERSHIP}
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

export const ADD_DESK_MEMBERSHIP = operation<
  G.AddDeskMembershipMutation,
  G.AddDeskMembershipMutationVariables
>(/* GraphQL */ `
  mutation AddDeskMembership($input: AddMembershipInput!) {
    addMembership(input: $input) {
      member {
        id
        memberships {
          ...DeskMembership
        }
      }
      error {
        ...DeskUserError
      }
    }
  }
  ${MEMBERSHIP}
  ${USER_ERROR}
`);

/** The visitor a front desk is about to check in, by the exact email or card number they give. */
export const DESK_PERSON = operation<G.DeskPersonQuery, G.DeskPersonQueryVariables>(/* GraphQL */ `
  query DeskPerson($email: String, $cardNumber: String) {
    personForDesk(email: $email, cardNumber: $cardNumber) {
      id
      displayName
    }
  }
`);
