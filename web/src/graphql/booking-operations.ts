/**
 * The operations of booking a resource on the web page (the space page's "Réserver" and "Mes
 * réservations" in "Mon espace"). Typed by graphql-codegen like `operations.ts`; bundled only
 * in the chunks that book.
 */
import type * as G from '../__generated__/graphql.js';
import { operation } from './client.js';

const MONEY = /* GraphQL */ `
  fragment BookingMoney on Money {
    amountCents
    currency
  }
`;

const MY_BOOKING = /* GraphQL */ `
  fragment MyBooking on Booking {
    id
    startsAt
    endsAt
    status
    payment
    bookedForName
    freeCancellationUntil
    price {
      ...BookingMoney
    }
    resource {
      id
      name
      kind
      space {
        id
        name
        address {
          commune
        }
      }
    }
    bundle {
      id
      resource {
        name
      }
    }
    passBooking {
      id
      state
    }
  }
`;

/** The space's resources and rules, and who the viewer is there (front desk or not). */
export const SPACE_RESOURCES = operation<G.SpaceResourcesQuery, G.SpaceResourcesQueryVariables>(
  /* GraphQL */ `
    query SpaceResources($id: ID!) {
      space(id: $id) {
        id
        name
        address {
          street
          postalCode
          commune
        }
        partner {
          slug
        }
        resources {
          id
          kind
          name
          description
          capacity
          pricePerHour {
            ...BookingMoney
          }
          pricePerHalfDay {
            ...BookingMoney
          }
          pricePerDay {
            ...BookingMoney
          }
          minMinutes
          maxMinutes
          maxDaysAhead
          freeCancellationHours
          acceptsPass
        }
      }
      me {
        id
        roles {
          role
          partner {
            slug
          }
        }
      }
    }
    ${MONEY}
  `,
);

export const FREE_SLOTS = operation<G.FreeSlotsQuery, G.FreeSlotsQueryVariables>(/* GraphQL */ `
  query FreeSlots($id: ID!, $date: Date!) {
    resource(id: $id) {
      id
      freeSlots(date: $date) {
        startsAt
        endsAt
      }
    }
  }
`);

export const BOOK_RESOURCE = operation<G.BookResourceMutation, G.BookResourceMutationVariables>(
  /* GraphQL */ `
    mutation BookResource($input: BookResourceInput!) {
      bookResource(input: $input) {
        booking {
          ...MyBooking
        }
        error {
          code
        }
      }
    }
    ${MY_BOOKING}
    ${MONEY}
  `,
);

export const BOOK_WITH_PASS = operation<G.BookWithPassMutation, G.BookWithPassMutationVariables>(
  /* GraphQL */ `
    mutation BookWithPass($input: BookWithPassInput!) {
      bookWithPass(input: $input) {
        passBooking {
          id
          state
          failure
          startsAt
          endsAt
          booking {
            id
          }
          redemption {
            entries
          }
        }
        error {
          code
        }
      }
    }
  `,
);

export const MY_BOOKINGS = operation<G.MyBookingsQuery, G.MyBookingsQueryVariables>(/* GraphQL */ `
  query MyBookings {
    me {
      id
      bookings(first: 100) {
        ...MyBooking
      }
    }
  }
  ${MY_BOOKING}
  ${MONEY}
`);

export const CANCEL_BOOKING = operation<G.CancelBookingMutation, G.CancelBookingMutationVariables>(
  /* GraphQL */ `
    mutation CancelBooking($id: ID!) {
      cancelBooking(input: { id: $id }) {
        booking {
          id
          status
        }
        error {
          code
        }
      }
    }
  `,
);

export const CANCEL_PASS_BOOKING = operation<
  G.CancelPassBookingMutation,
  G.CancelPassBookingMutationVariables
>(/* GraphQL */ `
  mutation CancelPassBooking($id: ID!) {
    cancelPassBooking(id: $id) {
      passBooking {
        id
        state
        redemption {
          entries
          voided
        }
      }
      error {
        code
      }
    }
  }
`);
