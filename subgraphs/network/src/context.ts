import type { Viewer } from '@tiers-lieux/schema';
import { createBookingSaga, type BookingSaga } from './booking-saga.js';
import type { Db } from './db/client.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { NetworkMailSettings } from './mail/passes.js';
import { partnerChecker, type PartnerChecker } from './partner-check.js';

export interface Context {
  db: Db;
  viewer: Viewer;
  /** The request's "now": every expiry and status of one request agrees. */
  now: Date;
  loaders: Loaders;
  /** Calls a partner's subgraph before the network routes to it. */
  checkPartner: PartnerChecker;
  /** What the mails to pass holders need. */
  mail: NetworkMailSettings;
  /** Books with a pass across the network and the host partner (`booking-saga.ts`). */
  saga: BookingSaga;
}

/** The development settings of the network's mails. */
export const DEVELOPMENT_NETWORK_MAIL: NetworkMailSettings = {
  networkName: 'Réseau des tiers-lieux',
  domain: 'tiers-lieux.localhost',
  publicUrl: 'http://127.0.0.1:4000',
  linkSecret: 'development-link-secret-not-for-production',
};

const defaultChecker = partnerChecker();

export function createContext(params: {
  db: Db;
  viewer: Viewer;
  now?: Date | undefined;
  checkPartner?: PartnerChecker | undefined;
  mail?: NetworkMailSettings | undefined;
  saga?: BookingSaga | undefined;
}): Context {
  return {
    ...params,
    mail: params.mail ?? DEVELOPMENT_NETWORK_MAIL,
    now: params.now ?? new Date(),
    loaders: createLoaders(params.db),
    checkPartner: params.checkPartner ?? defaultChecker,
    // Without the network's service key every pass-paid booking fails, nothing held nor spent.
    saga: params.saga ?? createBookingSaga({ db: params.db, signingKey: undefined }),
  };
}
