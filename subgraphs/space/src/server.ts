import { buildSubgraphSchema } from '@apollo/subgraph';
import { contractAt } from '@tiers-lieux/schema';
import { parse } from 'graphql';
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

/** One partner's subgraph over its database, and the context function its listener takes. */
export function createServer(options: ServerOptions) {
  const { db, partner } = options;
  return createSubgraphServer<Context>({
    ...options,
    schema: buildSubgraphSchema({
      typeDefs: options.contractVersion
        ? parse(contractAt(typeDefs, options.contractVersion))
        : typeDefs,
      resolvers,
    }),
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
