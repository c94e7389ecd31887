/**
 * What every console asks first: who is signed in and with which roles (read by graphql-codegen,
 * like `web/src/graphql/operations.ts`), and how the consoles send their operations: the same
 * typed operations as the public page, with the browser's sign-in cookie (same origin).
 */
import type * as G from '../../__generated__/graphql.js';
import { operation, request, type Answer, type Operation } from '../../graphql/client.js';

export const CONSOLE_VIEWER = operation<G.ConsoleViewerQuery, G.ConsoleViewerQueryVariables>(
  /* GraphQL */ `
    query ConsoleViewer {
      me {
        id
        displayName
        roles {
          role
          partner {
            slug
            name
          }
        }
      }
    }
  `,
);

/** Sends a console's operation to the gateway. */
export function ask<Result, Variables>(
  op: Operation<Result, Variables>,
  variables: Variables,
): Promise<Answer<Result>> {
  return request('/graphql', op, variables);
}
