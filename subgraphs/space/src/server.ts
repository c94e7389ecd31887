import { randomUUID } from 'node:crypto';
import { ApolloServer, type ContextFunction } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { StandaloneServerContextFunctionArgument } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { VIEWER_HEADER, verifyViewer, viewerSecretKey } from '@tiers-lieux/schema';
import type { GraphQLFormattedError } from 'graphql';
import { createContext, type Context } from './context.js';
import type { Db } from './db/client.js';
import { resolvers } from './resolvers/index.js';
import { typeDefs } from './type-defs.js';

export interface ServerOptions {
  db: Db;
  partner: string;
  production?: boolean;
  /** The secret shared with the gateway; without it every request is anonymous. */
  viewerSecret?: string | undefined;
  log?: (message: string) => void;
}

const PUBLIC_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/**
 * In production an error without a known code says nothing of its cause: the client gets a
 * generic message and an id that is in the log with the original.
 */
export function maskErrors(production: boolean, log: (message: string) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (!production || (typeof code === 'string' && PUBLIC_CODES.has(code))) return formatted;
    const errorId = randomUUID();
    log(
      `error ${errorId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}

export function createServer(options: ServerOptions) {
  const production = options.production ?? false;
  const log = options.log ?? ((message: string) => console.error(message));
  const server = new ApolloServer<Context>({
    schema: buildSubgraphSchema({ typeDefs, resolvers }),
    includeStacktraceInErrorResponses: !production,
    introspection: true,
    formatError: maskErrors(production, log),
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  const key = options.viewerSecret ? viewerSecretKey(options.viewerSecret) : null;
  const audience = `partner:${options.partner}`;
  const context: ContextFunction<[StandaloneServerContextFunctionArgument], Context> = async ({
    req,
  }) =>
    createContext({
      db: options.db,
      partner: options.partner,
      viewer: await verifyViewer(req.headers[VIEWER_HEADER], key, audience),
    });
  return { server, context };
}
