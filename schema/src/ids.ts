/**
 * Ids of partner-owned entities name their partner, so the gateway can route a request
 * without a lookup: `<partner>:<kind>:<uuid>`, for example
 * `cantine:space:0b3c2a0e-5a1f-4a57-9d7e-2f1c1d7f4a10`.
 */
export const ENTITY_KINDS = [
  'space',
  'event',
  'member',
  'registration',
  'membership',
  'visit',
  'offer',
  'outbox-message',
  'resource',
  'booking',
  'series',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/**
 * A partner slug: lowercase letters, digits and dashes, starting with a letter. `network` is
 * not one: the ids of what the network itself owns (`network:person:<uuid>`) start with it.
 */
export const PARTNER_SLUG_PATTERN = /^(?!network$)[a-z][a-z0-9-]{1,39}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ParsedId {
  partner: string;
  kind: EntityKind;
  uuid: string;
}

/** Builds the public id of a partner-owned entity. */
export function formatId(partner: string, kind: EntityKind, uuid: string): string {
  return `${partner}:${kind}:${uuid}`;
}

/** Parses a public id; null when it is not of the documented shape. */
export function parseId(id: string): ParsedId | null {
  const [partner, kind, uuid, ...rest] = id.split(':');
  if (rest.length > 0 || !partner || !kind || !uuid) return null;
  if (!PARTNER_SLUG_PATTERN.test(partner)) return null;
  if (!(ENTITY_KINDS as readonly string[]).includes(kind)) return null;
  const lower = uuid.toLowerCase();
  if (!UUID_PATTERN.test(lower)) return null;
  return { partner, kind: kind as EntityKind, uuid: lower };
}

/** The partner named by an id, or null when the id is not of the documented shape. */
export function partnerOfId(id: string): string | null {
  return parseId(id)?.partner ?? null;
}

/** What person ids start with: people belong to the network, not to a partner. */
export const PERSON_ID_PREFIX = 'network:person:';

/** The id of a person: `network:person:<uuid>`. */
export function formatPersonId(uuid: string): string {
  return `${PERSON_ID_PREFIX}${uuid}`;
}

/** The uuid of a person id, or null when the id is not `network:person:<uuid>`. */
export function parsePersonId(id: string): string | null {
  if (!id.startsWith(PERSON_ID_PREFIX)) return null;
  const uuid = id.slice(PERSON_ID_PREFIX.length).toLowerCase();
  return UUID_PATTERN.test(uuid) ? uuid : null;
}

/** Whether a value is a person id of the documented form. */
export function isPersonId(id: unknown): id is string {
  return typeof id === 'string' && parsePersonId(id) !== null;
}
