import {
  formatId,
  managesPartner,
  maySeePrivateDataOf,
  parseId,
  type Viewer,
} from '@tiers-lieux/schema';
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
  return { ...params, now, loaders: createLoaders(params.db, now) };
}

/** Whether the viewer manages this partner (its managers and network coordinators). */
export function isManager(ctx: Context): boolean {
  return managesPartner(ctx.viewer, ctx.partner);
}

/** Whether the viewer may read the private data of the member stored under this uuid. */
export function maySeePrivate(ctx: Context, memberUuid: string): boolean {
  return maySeePrivateDataOf(ctx.viewer, ctx.partner, formatId(ctx.partner, 'member', memberUuid));
}

/** The uuid of the viewer's own member record at this partner, if the viewer is one. */
export function viewerMemberUuid(ctx: Context): string | null {
  if (ctx.viewer.kind !== 'member' || ctx.viewer.partner !== ctx.partner) return null;
  return parseId(ctx.viewer.memberId)?.uuid ?? null;
}
