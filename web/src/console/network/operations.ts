/**
 * The operations of the coordinators' console (read by graphql-codegen, like
 * `web/src/graphql/operations.ts`).
 */
import type * as G from '../../__generated__/graphql.js';
import { operation } from '../../graphql/client.js';

export const NETWORK_PARTNERS = operation<G.NetworkPartnersQuery, G.NetworkPartnersQueryVariables>(
  /* GraphQL */ `
    query NetworkPartners {
      partners {
        slug
        name
        kind
        territory
        status
        subgraphUrl
        joinedAt
        failedCheckCount
        lastCheck {
          ok
          checkedAt
          latencyMs
          error
        }
      }
    }
  `,
);

const PARTNER_RESULT = /* GraphQL */ `
  fragment PartnerResult on PartnerPayload {
    partner {
      slug
      status
    }
    error {
      code
      message
      field
    }
  }
`;

export const REGISTER_PARTNER = operation<
  G.RegisterNetworkPartnerMutation,
  G.RegisterNetworkPartnerMutationVariables
>(/* GraphQL */ `
  mutation RegisterNetworkPartner($input: RegisterPartnerInput!) {
    registerPartner(input: $input) {
      ...PartnerResult
      check {
        missing
      }
    }
  }
  ${PARTNER_RESULT}
`);

export const SUSPEND_PARTNER = operation<
  G.SuspendNetworkPartnerMutation,
  G.SuspendNetworkPartnerMutationVariables
>(/* GraphQL */ `
  mutation SuspendNetworkPartner($slug: String!) {
    suspendPartner(slug: $slug) {
      ...PartnerResult
    }
  }
  ${PARTNER_RESULT}
`);

export const REACTIVATE_PARTNER = operation<
  G.ReactivateNetworkPartnerMutation,
  G.ReactivateNetworkPartnerMutationVariables
>(/* GraphQL */ `
  mutation ReactivateNetworkPartner($slug: String!) {
    reactivatePartner(slug: $slug) {
      ...PartnerResult
    }
  }
  ${PARTNER_RESULT}
`);

export const ROLE_GRANTS = operation<G.NetworkRoleGrantsQuery, G.NetworkRoleGrantsQueryVariables>(
  /* GraphQL */ `
    query NetworkRoleGrants {
      roleGrants(first: 100) {
        totalCount
        edges {
          node {
            id
            role
            grantedAt
            partner {
              slug
              name
            }
            person {
              id
              displayName
              email
            }
          }
        }
      }
    }
  `,
);

const ROLE_ERROR = /* GraphQL */ `
  fragment RoleError on NetworkUserError {
    code
    message
    field
  }
`;

export const GRANT_ROLE = operation<
  G.NetworkGrantRoleMutation,
  G.NetworkGrantRoleMutationVariables
>(/* GraphQL */ `
  mutation NetworkGrantRole($input: GrantRoleInput!) {
    grantRole(input: $input) {
      grant {
        id
      }
      error {
        ...RoleError
      }
    }
  }
  ${ROLE_ERROR}
`);

export const REVOKE_ROLE = operation<
  G.NetworkRevokeRoleMutation,
  G.NetworkRevokeRoleMutationVariables
>(/* GraphQL */ `
  mutation NetworkRevokeRole($grantId: ID!) {
    revokeRole(grantId: $grantId) {
      grant {
        id
      }
      error {
        ...RoleError
      }
    }
  }
  ${ROLE_ERROR}
`);

export const INVITE_PERSON = operation<
  G.NetworkInvitePersonMutation,
  G.NetworkInvitePersonMutationVariables
>(/* GraphQL */ `
  mutation NetworkInvitePerson($input: InvitePersonInput!) {
    invitePerson(input: $input) {
      person {
        id
      }
      error {
        ...RoleError
      }
    }
  }
  ${ROLE_ERROR}
`);

export const NETWORK_PRODUCTS = operation<G.NetworkProductsQuery, G.NetworkProductsQueryVariables>(
  /* GraphQL */ `
    query NetworkProducts {
      passProducts(first: 100) {
        edges {
          node {
            id
            name
            entries
            entryMinutes
            validityDays
            price {
              amountCents
            }
            seller {
              slug
              name
            }
          }
        }
      }
    }
  `,
);

const PRODUCT_RESULT = /* GraphQL */ `
  fragment ProductResult on PassProductPayload {
    passProduct {
      id
      name
    }
    error {
      code
      message
      field
    }
  }
`;

export const CREATE_PRODUCT = operation<
  G.NetworkCreateProductMutation,
  G.NetworkCreateProductMutationVariables
>(/* GraphQL */ `
  mutation NetworkCreateProduct($input: CreatePassProductInput!) {
    createPassProduct(input: $input) {
      ...ProductResult
    }
  }
  ${PRODUCT_RESULT}
`);

export const UPDATE_PRODUCT = operation<
  G.NetworkUpdateProductMutation,
  G.NetworkUpdateProductMutationVariables
>(/* GraphQL */ `
  mutation NetworkUpdateProduct($input: UpdatePassProductInput!) {
    updatePassProduct(input: $input) {
      ...ProductResult
    }
  }
  ${PRODUCT_RESULT}
`);

export const NETWORK_PASSES = operation<G.NetworkPassesQuery, G.NetworkPassesQueryVariables>(
  /* GraphQL */ `
    query NetworkPasses($search: String, $after: String) {
      passes(search: $search, first: 50, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            code
            status
            entriesLeft
            entriesTotal
            issuedAt
            expiresAt
            product {
              name
            }
            holderPerson {
              displayName
            }
          }
        }
      }
    }
  `,
);

export const ISSUE_PASS = operation<
  G.NetworkIssuePassMutation,
  G.NetworkIssuePassMutationVariables
>(/* GraphQL */ `
  mutation NetworkIssuePass($input: IssuePassInput!) {
    issuePass(input: $input) {
      pass {
        id
        code
      }
      error {
        code
        message
        field
      }
    }
  }
`);

export const PASS_SALES = operation<G.NetworkPassSalesQuery, G.NetworkPassSalesQueryVariables>(
  /* GraphQL */ `
    query NetworkPassSales($from: Date!, $to: Date!) {
      byProduct: passSales(from: $from, to: $to, by: PRODUCT) {
        ...SalesBucket
      }
      bySeller: passSales(from: $from, to: $to, by: SELLER) {
        ...SalesBucket
      }
      byMonth: passSales(from: $from, to: $to, by: MONTH) {
        ...SalesBucket
      }
    }
    fragment SalesBucket on PassSalesBucket {
      key
      label
      passes
      amount {
        amountCents
      }
    }
  `,
);

export const SETTLEMENT = operation<G.NetworkSettlementQuery, G.NetworkSettlementQueryVariables>(
  /* GraphQL */ `
    query NetworkSettlement($from: Date!, $to: Date!) {
      settlement(from: $from, to: $to) {
        from
        to
        lineCount
        totalEntries
        total {
          amountCents
        }
        csv
        lines(first: 1000) {
          seller {
            slug
            name
          }
          host {
            slug
            name
          }
          redemptions
          voids
          entries
          amount {
            amountCents
          }
        }
      }
    }
  `,
);

export const NETWORK_FIGURES = operation<G.NetworkFiguresQuery, G.NetworkFiguresQueryVariables>(
  /* GraphQL */ `
    query NetworkFigures($from: Date!, $to: Date!) {
      visitsByWeek(from: $from, to: $to, first: 500) {
        week
        visits
        space {
          id
          name
          address {
            commune
          }
        }
      }
      occupancyByHour(from: $from, to: $to) {
        weekday
        hour
        visitorHours
      }
      eventAttendance(from: $from, to: $to, first: 50) {
        capacity
        confirmed
        waiting
        event {
          id
          title
          startsAt
        }
      }
      directoryOptIns(from: $from, to: $to) {
        month
        members
      }
      settlement(from: $from, to: $to) {
        lines(first: 1000) {
          host {
            slug
            name
          }
          entries
        }
      }
    }
  `,
);
