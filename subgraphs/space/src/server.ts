import { buildSubgraphSchema } from '@apollo/subgraph';
import { createSubgraphServer, type ServerSettings } from '@tiers-lieux/subgraph-shell';
import { createContext, type Context } from './context.js';
import type { Db } from './db/client.js';
import { resolvers } from './resolvers/index.js';
import { typeDefs } from './type-defs.js';

export interface ServerOptions extends ServerSettings {
  db: Db;
  partner: string;
}

/** One partner's subgraph over its database, and the context function its listener takes. */
export function createServer(options: ServerOptions) {
  const { db, partner } = options;
  return createSubgraphServer<Context>({
    ...options,
    schema: buildSubgraphSchema({ typeDefs, resolvers }),
    viewerAudience: `partner:${partner}`,
    context: (viewer) => createContext({ db, partner, viewer }),
  });
}
