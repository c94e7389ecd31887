import { ANONYMOUS, type Viewer } from '@tiers-lieux/schema';
import type { Db } from './db/client.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface Context {
  db: Db;
  /** The partner this instance serves. */
  partner: string;
  viewer: Viewer;
  /** The request's "now": every "upcoming", "open now" or "current" of one request agrees. */
  now: Date;
  loaders: Loaders;
}

export function createContext(params: {
  db: Db;
  partner: string;
  viewer: Viewer;
  now?: Date;
}): Context {
  const now = params.now ?? new Date();
  // Only the network subgraph serves the gateway's own operations: here it is nobody.
  const viewer = params.viewer.kind === 'gateway' ? ANONYMOUS : params.viewer;
  return { ...params, viewer, now, loaders: createLoaders(params.db, now) };
}
