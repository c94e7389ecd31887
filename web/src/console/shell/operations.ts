/**
 * What every console asks first: who is signed in and with which roles (read by graphql-codegen,
 * like `web/src/graphql/operations.ts`).
 */
import type * as G from '../../__generated__/graphql.js';
import { operation } from '../../graphql/client.js';

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
          }
        }
      }
    }
  `,
);
