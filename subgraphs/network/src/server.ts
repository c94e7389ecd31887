import { buildSubgraphSchema } from '@apollo/subgraph';
import { createSubgraphServer, type ServerSettings } from '@tiers-lieux/subgraph-shell';
import { createContext, type Context } from './context.js';
import type { BookingSaga } from './booking-saga.js';
import type { Db } from './db/client.js';
import type { NetworkMailSettings } from './mail/passes.js';
import { partnerChecker } from './partner-check.js';
import { resolvers } from './resolvers/index.js';
import { typeDefs } from './type-defs.js';

export interface ServerOptions extends ServerSettings {
  db: Db;
  /** How long a partner's subgraph has to answer the check of registerPartner/updatePartner. */
  partnerCheckTimeoutMs?: number | undefined;
  /** What the mails to pass holders need; development settings when absent. */
  mail?: NetworkMailSettings | undefined;
  /** The outbox's dispatcher, woken after each mutation. */
  outbox?: { wake(): void } | null | undefined;
  /** The booking saga of pass-paid bookings; without one, they fail (no service key). */
  saga?: BookingSaga | undefined;
}

/** The gateway signs the viewer for a subgraph by the subgraph's name in the supergraph. */
export const VIEWER_AUDIENCE = 'network';

/** The network subgraph over its database, and the context function its listener takes. */
export function createServer(options: ServerOptions) {
  const { db } = options;
  const checkPartner = partnerChecker(options.partnerCheckTimeoutMs);
  return createSubgraphServer<Context>({
    ...options,
    schema: buildSubgraphSchema({ typeDefs, resolvers }),
    viewerAudience: VIEWER_AUDIENCE,
    context: (viewer) =>
      createContext({ db, checkPartner, viewer, mail: options.mail, saga: options.saga }),
    afterMutation: options.outbox ? () => options.outbox!.wake() : undefined,
  });
}
