import { ANONYMOUS, type Viewer } from '@tiers-lieux/schema';
import type { Db } from './db/client.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { Owe } from './mail/notice.js';
import { createOwe } from './mail/owe.js';
import { DEVELOPMENT_MAIL_SETTINGS, type MailSettings } from './mail/settings.js';

export interface Context {
  db: Db;
  /** The partner this instance serves. */
  partner: string;
  viewer: Viewer;
  /** The request's "now": every "upcoming", "open now" or "current" of one request agrees. */
  now: Date;
  loaders: Loaders;
  mail: MailSettings;
  /** Writes what a change owes into the outbox, inside the change's transaction. */
  owe: Owe;
}

export function createContext(params: {
  db: Db;
  partner: string;
  viewer: Viewer;
  now?: Date;
  mail?: MailSettings;
}): Context {
  const now = params.now ?? new Date();
  // Only the network subgraph serves the gateway's own operations: here it is nobody.
  const viewer = params.viewer.kind === 'gateway' ? ANONYMOUS : params.viewer;
  const mail = params.mail ?? DEVELOPMENT_MAIL_SETTINGS;
  return {
    ...params,
    viewer,
    now,
    mail,
    owe: createOwe(mail, params.partner),
    loaders: createLoaders(params.db, now),
  };
}
