import {
  ANONYMOUS,
  SeenViewerTokens,
  SERVICE_HEADER,
  verifyServiceCall,
  type BoundRequest,
  type Viewer,
} from '@tiers-lieux/schema';
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
  /** Set when the network subgraph itself calls (the booking saga), with its signed credential. */
  networkService?: true;
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

/**
 * Marks the requests that carry the network's service credential (`SERVICE_HEADER`), checked
 * against the request the subgraph received; others are what their viewer header makes them.
 */
export function networkServicePlugin(options: { publicKey: string | undefined; audience: string }) {
  const seen = new SeenViewerTokens();
  return {
    async requestDidStart({
      request,
      contextValue,
    }: {
      request: BoundRequest & { http?: { headers: { get(name: string): string | undefined } } };
      contextValue: Context;
    }): Promise<void> {
      if (!request.http || !options.publicKey) return;
      const header = request.http.headers.get(SERVICE_HEADER);
      if (!header) return;
      if (await verifyServiceCall(header, options.publicKey, { ...options, request, seen }))
        contextValue.networkService = true;
    },
  };
}
