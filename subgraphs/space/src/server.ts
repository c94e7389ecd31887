import { buildSubgraphSchema } from '@apollo/subgraph';
import { contractAt } from '@tiers-lieux/schema';
import { parse, type GraphQLSchema } from 'graphql';
import { createSubgraphServer, type ServerSettings } from '@tiers-lieux/subgraph-shell';
import { createContext, networkServicePlugin, type Context } from './context.js';
import type { Db } from './db/client.js';
import type { MailSettings } from './mail/settings.js';
import { resolvers } from './resolvers/index.js';
import { typeDefs } from './type-defs.js';

export interface ServerOptions extends ServerSettings {
  db: Db;
  partner: string;
  /**
   * Serve the partner contract as it was at this earlier version (semver), as the previous
   * release did: what later versions added is absent from the schema. Tests run partners that
   * have not upgraded this way.
   */
  contractVersion?: string;
  /** The network's public service key (PEM): the booking saga's calls are verified with it. */
  networkServicePublicKey?: string | undefined;
  /** What the mails need (links, names); development settings when absent. */
  mail?: MailSettings | undefined;
  /** The outbox's dispatcher, woken after each mutation. */
  outbox?: { wake(): void } | null | undefined;
}

/**
 * The partner contract's schema, one per contract version served. It holds nothing of a partner
 * (the resolvers find the partner and its database in their context), so every partner of a
 * process shares it: building one costs about 0.2 s of CPU, paid once instead of once per
 * partner of the embedded network (and of each test).
 */
const contractSchemas = new Map<string, GraphQLSchema>();
function contractSchema(contractVersion: string | undefined): GraphQLSchema {
  const key = contractVersion ?? 'current';
  let schema = contractSchemas.get(key);
  if (!schema) {
    schema = buildSubgraphSchema({
      typeDefs: contractVersion ? parse(contractAt(typeDefs, contractVersion)) : typeDefs,
      resolvers,
    });
    contractSchemas.set(key, schema);
  }
  return schema;
}

/** One partner's subgraph over its database, and the context function its listener takes. */
export function createServer(options: ServerOptions) {
  const { db, partner } = options;
  return createSubgraphServer<Context>({
    ...options,
    schema: contractSchema(options.contractVersion),
    viewerAudience: `partner:${partner}`,
    context: (viewer) => createContext({ db, partner, viewer, mail: options.mail }),
    plugins: [
      networkServicePlugin({
        publicKey: options.networkServicePublicKey,
        audience: `partner:${partner}`,
      }),
    ],
    afterMutation: options.outbox ? () => options.outbox!.wake() : undefined,
  });
}
