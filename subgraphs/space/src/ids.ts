import { formatId, parseId, type EntityKind } from '@tiers-lieux/schema';
import type { Context } from './context.js';
import { BadInputError } from './errors.js';

/** The public id of a row of this partner. */
export function publicId(ctx: Context, kind: EntityKind, uuid: string): string {
  return formatId(ctx.partner, kind, uuid);
}

export type LocalId = { ok: true; uuid: string } | { ok: false; reason: 'MALFORMED' | 'ELSEWHERE' };

/**
 * The uuid behind a public id of the given kind. An id of another partner is well formed but
 * names nothing here.
 */
export function localId(ctx: Context, id: string, kind: EntityKind): LocalId {
  const parsed = parseId(id);
  if (!parsed || parsed.kind !== kind) return { ok: false, reason: 'MALFORMED' };
  if (parsed.partner !== ctx.partner) return { ok: false, reason: 'ELSEWHERE' };
  return { ok: true, uuid: parsed.uuid };
}

/** For lookups: the uuid, null for another partner's id, a BAD_USER_INPUT error for a malformed one. */
export function lookupId(
  ctx: Context,
  id: string,
  kind: EntityKind,
  argument = 'id',
): string | null {
  const local = localId(ctx, id, kind);
  if (local.ok) return local.uuid;
  if (local.reason === 'ELSEWHERE') return null;
  throw new BadInputError(
    `${argument} is not a ${kind} id of the form <partner>:${kind}:<uuid>`,
    argument,
  );
}

const PERSON_ID =
  /^network:person:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The uuid of a person of the network, `network:person:<uuid>`; null for anything else. */
export function personUuid(id: string): string | null {
  return PERSON_ID.exec(id)?.[1]?.toLowerCase() ?? null;
}

/** The public id of a person of the network, from the uuid a `person_id` column holds. */
export function personPublicId(uuid: string): string {
  return `network:person:${uuid}`;
}
