import { ApolloServer, type ContextFunction } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { StandaloneServerContextFunctionArgument } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { maskErrors, VIEWER_HEADER, verifyViewer } from '@tiers-lieux/schema';
import { createContext, type Context } from './context.js';
import type { Db } from './db/client.js';
import { partnerChecker } from './partner-check.js';
import { resolvers } from './resolvers/index.js';
import { typeDefs } from './type-defs.js';

export interface ServerOptions {
  db: Db;
  production?: boolean;
  /** The secret shared with the gateway; without it every request is anonymous. */
  viewerPublicKey?: string | undefined;
  /** How long a partner's subgraph has to answer the check of registerPartner/updatePartner. */
  partnerCheckTimeoutMs?: number | undefined;
  log?: (message: string) => void;
}

/** The gateway signs the viewer for a subgraph by the subgraph's name in the supergraph. */
export const VIEWER_AUDIENCE = 'network';

/** The network subgraph over a database, and the context function `startStandaloneServer` takes. */
export function createServer(options: ServerOptions) {
  const production = options.production ?? false;
  const log = options.log ?? ((message: string) => console.error(message));
  const checkPartner = partnerChecker(options.partnerCheckTimeoutMs);
  const server = new ApolloServer<Context>({
    schema: buildSubgraphSchema({ typeDefs, resolvers }),
    includeStacktraceInErrorResponses: !production,
    introspection: true,
    formatError: maskErrors(production, log),
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  const context: ContextFunction<[StandaloneServerContextFunctionArgument], Context> = async ({
    req,
  }) =>
    createContext({
      db: options.db,
      checkPartner,
      viewer: await verifyViewer(
        req.headers[VIEWER_HEADER],
        options.viewerPublicKey,
        VIEWER_AUDIENCE,
      ),
    });
  return { server, context };
}
