/**
 * Every operation the public face sends to the gateway. graphql-codegen reads the
 * `/* GraphQL *\/` texts of this file (codegen.ts) and writes their result and variable types
 * to `../__generated__/graphql.ts`; each constant carries its own.
 */
import type * as G from '../__generated__/graphql.js';
import { operation } from './client.js';

/** What a card of the directory and a space's page both show. */
const SPACE_SUMMARY = /* GraphQL */ `
  fragment SpaceSummary on Space {
    id
    name
    status
    kinds
    address {
      commune
      department
    }
    location {
      lat
      lon
    }
    openingHours
    openNow
    amenities
    offers {
      id
      kind
      label
      price {
        amountCents
        currency
      }
      entries
      entryMinutes
    }
    acceptedPasses {
      id
      name
    }
  }
`;

/** What every list of events shows of one. */
const EVENT_SUMMARY = /* GraphQL */ `
  fragment EventSummary on Event {
    id
    title
    kind
    startsAt
    endsAt
    capacity
    seatsLeft
    status
  }
`;

export const PARTNERS = /* @__PURE__ */ operation<G.PartnersQuery, G.PartnersQueryVariables>(
  /* GraphQL */ `
    query Partners {
      partners {
        slug
        name
      }
    }
  `,
);

export const DIRECTORY = /* @__PURE__ */ operation<G.DirectoryQuery, G.DirectoryQueryVariables>(
  /* GraphQL */ `
    query Directory(
      $filter: SpaceFilter
      $orderBy: SpaceOrder
      $first: Int
      $after: String
      $at: DateTime!
    ) {
      spaces(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...SpaceSummary
            nextOpenings(count: 1) {
              opensAt
              closesAt
            }
            distanceKm
            openAtChosen: isOpenAt(at: $at)
          }
        }
      }
    }
    ${SPACE_SUMMARY}
  `,
);

/** The communes and departments of the directory, for the "near" and department filters. */
export const PLACES = /* @__PURE__ */ operation<G.PlacesQuery, G.PlacesQueryVariables>(
  /* GraphQL */ `
    query Places {
      spaces(first: 200) {
        edges {
          node {
            id
            address {
              commune
              department
            }
            location {
              lat
              lon
            }
          }
        }
      }
    }
  `,
);

export const SPACE_PAGE = /* @__PURE__ */ operation<G.SpacePageQuery, G.SpacePageQueryVariables>(
  /* GraphQL */ `
    query SpacePage($id: ID!) {
      space(id: $id) {
        ...SpaceSummary
        description
        accessNotes
        address {
          street
          postalCode
        }
        nextOpenings(count: 5) {
          opensAt
          closesAt
        }
        services
        audiences
        desks
        occupancy
        contact {
          email
          phone
        }
        website
        partner {
          slug
          name
        }
        events(first: 20) {
          ...EventSummary
        }
        resources {
          id
        }
      }
    }
    ${SPACE_SUMMARY}
    ${EVENT_SUMMARY}
  `,
);

export const EVENT_PAGE = /* @__PURE__ */ operation<G.EventPageQuery, G.EventPageQueryVariables>(
  /* GraphQL */ `
    query EventPage($id: ID!) {
      event(id: $id) {
        ...EventSummary
        description
        waitingListLength
        price {
          amountCents
          currency
        }
        space {
          id
          name
          address {
            street
            postalCode
            commune
          }
          location {
            lat
            lon
          }
          partner {
            name
          }
        }
      }
    }
    ${EVENT_SUMMARY}
  `,
);

export const CALENDAR = /* @__PURE__ */ operation<G.CalendarQuery, G.CalendarQueryVariables>(
  /* GraphQL */ `
    query Calendar($filter: EventFilter, $first: Int, $after: String) {
      events(filter: $filter, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...EventSummary
            description
            space {
              id
              name
              partnerSlug
              address {
                street
                postalCode
                commune
                department
              }
              location {
                lat
                lon
              }
            }
          }
        }
      }
    }
    ${EVENT_SUMMARY}
  `,
);

export const REGISTER_GUEST = /* @__PURE__ */ operation<
  G.RegisterGuestMutation,
  G.RegisterGuestMutationVariables
>(/* GraphQL */ `
  mutation RegisterGuest($eventId: ID!, $name: String!, $email: String!) {
    registerForEvent(input: { eventId: $eventId, guest: { name: $name, email: $email } }) {
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
      answerSentByMail
    }
  }
`);

export const PASS = /* @__PURE__ */ operation<G.PassQuery, G.PassQueryVariables>(/* GraphQL */ `
  query Pass($code: String!) {
    pass(code: $code) {
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
      redemptions {
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
  }
`);

/** One event as the feeds show it, for its own `.ics` ("add to my calendar"). */
export const FEED_EVENT = /* @__PURE__ */ operation<G.FeedEventQuery, G.FeedEventQueryVariables>(
  /* GraphQL */ `
    query FeedEvent($id: ID!) {
      event(id: $id) {
        ...EventSummary
        description
        space {
          id
          name
          partnerSlug
          address {
            street
            postalCode
            commune
            department
          }
          location {
            lat
            lon
          }
        }
      }
    }
    ${EVENT_SUMMARY}
  `,
);

/** What the calendar feeds need to know of the space or partner they are for. */
export const FEED_SPACE = /* @__PURE__ */ operation<G.FeedSpaceQuery, G.FeedSpaceQueryVariables>(
  /* GraphQL */ `
    query FeedSpace($id: ID!) {
      space(id: $id) {
        id
        name
        address {
          commune
        }
      }
    }
  `,
);

export const FEED_PARTNER = /* @__PURE__ */ operation<
  G.FeedPartnerQuery,
  G.FeedPartnerQueryVariables
>(/* GraphQL */ `
  query FeedPartner($slug: String!) {
    partner(slug: $slug) {
      slug
      name
      spaces(first: 200) {
        totalCount
        edges {
          node {
            id
          }
        }
      }
    }
  }
`);

export const OPEN_DATA = /* @__PURE__ */ operation<G.OpenDataQuery, G.OpenDataQueryVariables>(
  /* GraphQL */ `
    query OpenData($first: Int, $after: String) {
      spaces(filter: { statuses: [OPEN] }, first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            name
            kinds
            description
            accessNotes
            address {
              street
              postalCode
              commune
              inseeCode
            }
            location {
              lat
              lon
            }
            openingHours
            amenities
            services
            audiences
            offers {
              price {
                amountCents
              }
            }
            contact {
              email
              phone
            }
            website
          }
        }
      }
    }
  `,
);

/** The spaces a partner already has, so that an import does not create them twice. */
export const PARTNER_SPACES = /* @__PURE__ */ operation<
  G.PartnerSpacesQuery,
  G.PartnerSpacesQueryVariables
>(/* GraphQL */ `
  query PartnerSpaces($first: Int, $after: String) {
    spaces(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          partnerSlug
          address {
            inseeCode
          }
        }
      }
    }
  }
`);

export const CREATE_SPACE = /* @__PURE__ */ operation<
  G.CreateSpaceMutation,
  G.CreateSpaceMutationVariables
>(/* GraphQL */ `
  mutation CreateSpace($input: CreateSpaceInput!) {
    createSpace(input: $input) {
      space {
        id
        name
      }
      error {
        code
        message
        field
      }
    }
  }
`);
