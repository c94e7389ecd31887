import type { Viewer } from '@tiers-lieux/schema';
import { createBookingSaga, type BookingSaga } from './booking-saga.js';
import type { Db } from './db/client.js';
import { createLoaders, type Loaders } from './loaders.js';
import { partnerChecker, type PartnerChecker } from './partner-check.js';

export interface Context {
  db: Db;
  viewer: Viewer;
  /** The request's "now": every expiry and status of one request agrees. */
  now: Date;
  loaders: Loaders;
  /** Calls a partner's subgraph before the network routes to it. */
  checkPartner: PartnerChecker;
  /** Books with a pass across the network and the host partner (`booking-saga.ts`). */
  saga: BookingSaga;
}

const defaultChecker = partnerChecker();

export function createContext(params: {
  db: Db;
  viewer: Viewer;
  now?: Date | undefined;
  checkPartner?: PartnerChecker | undefined;
  saga?: BookingSaga | undefined;
}): Context {
  return {
    ...params,
    now: params.now ?? new Date(),
    loaders: createLoaders(params.db),
    checkPartner: params.checkPartner ?? defaultChecker,
    // Without the network's service key every pass-paid booking fails, nothing held nor spent.
    saga: params.saga ?? createBookingSaga({ db: params.db, signingKey: undefined }),
  };
}
