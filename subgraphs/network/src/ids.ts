import { parseId, type EntityKind } from '@tiers-lieux/schema';

/**
 * Ids of what the network owns: `<kind>:<uuid>`. They name no partner (the gateway never
 * routes them to a partner) and their kinds are not partner entity kinds, so a network id is
 * never mistaken for a partner's.
 */
export type NetworkKind = 'pass-product' | 'pass' | 'redemption' | 'role-grant' | 'pass-booking';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function networkId(kind: NetworkKind, uuid: string): string {
  return `${kind}:${uuid}`;
}

/** The uuid behind a network id of this kind, or null when the id is not one. */
export function parseNetworkId(id: string, kind: NetworkKind): string | null {
  const prefix = `${kind}:`;
  if (!id.startsWith(prefix)) return null;
  const uuid = id.slice(prefix.length).toLowerCase();
  return UUID.test(uuid) ? uuid : null;
}

/**
 * A partner-owned id of this kind in canonical form (lowercase uuid) with its partner, or
 * null when it is not one.
 */
export function parsePartnerId(
  id: string,
  kind: EntityKind,
): { id: string; partner: string } | null {
  const parsed = parseId(id);
  if (!parsed || parsed.kind !== kind) return null;
  return { id: `${parsed.partner}:${kind}:${parsed.uuid}`, partner: parsed.partner };
}

const PERSON_PREFIX = 'network:person:';

/** A person's id, `network:person:<uuid>`: `network` is no partner's slug, so no partner owns it. */
export function personId(uuid: string): string {
  return `${PERSON_PREFIX}${uuid}`;
}

/** The uuid behind a person's id, or null when the id is not one. */
export function parsePersonId(id: string): string | null {
  if (!id.startsWith(PERSON_PREFIX)) return null;
  const uuid = id.slice(PERSON_PREFIX.length).toLowerCase();
  return UUID.test(uuid) ? uuid : null;
}
