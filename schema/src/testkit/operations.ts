/**
 * The partner contract's registration, as the tests send it: to one partner's subgraph, or
 * through the gateway. Its input says who registers (a guest, a member, the viewer).
 */
export const REGISTER_FOR_EVENT = /* GraphQL */ `
  mutation ($input: RegisterForEventInput!) {
    registerForEvent(input: $input) {
      registration {
        id
        status
      }
      error {
        code
      }
      answerSentByMail
    }
  }
`;
