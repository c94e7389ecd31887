import { isPersonId, parseId, partnerOfId } from '@tiers-lieux/schema';
import type { GraphQLFormattedError } from 'graphql';
import { routerError } from '../errors.js';
import type { PartnerEntry, PartnerRegistry } from '../registry.js';

type Json = Record<string, unknown>;

/**
 * The partner an entity representation belongs to: the one its id names, or, for a `Partner`
 * (whose key is its slug), that partner itself.
 */
export function ownerOf(representation: unknown): string | null {
  const { __typename, id, slug } = (representation ?? {}) as Json;
  if (typeof id === 'string') return partnerOfId(id);
  return __typename === 'Partner' && typeof slug === 'string' ? slug : null;
}

/**
 * Whether a representation's key is the network's own (a `Person`, `network:person:<uuid>`):
 * it names no partner, and every partner may hold something of it (the person's member
 * records, registrations, visits), so it is asked of every partner and their answers merged.
 */
export function isNetworkRepresentation(representation: unknown): boolean {
  return isPersonId(((representation ?? {}) as Json).id);
}

/**
 * The partners an operation's arguments name: through ids of the documented form, and
 * through `partner` fields of inputs (a creation names the partner that will own the row).
 * Ids of the network (`network:person:<uuid>`) name no partner: a mutation that names a person
 * and a space goes to the space's partner.
 */
export function partnersNamedIn(
  value: unknown,
  key?: string,
  found = new Set<string>(),
): Set<string> {
  if (typeof value === 'string') {
    if (isPersonId(value)) return found;
    const parsed = parseId(value);
    if (parsed) found.add(parsed.partner);
    else if (key === 'partner') found.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) partnersNamedIn(item, key, found);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) partnersNamedIn(v, k, found);
  }
  return found;
}

/**
 * The mutations that write to every partner: they name a person and no partner, and what they
 * say about the person holds wherever the person is known, or will be (a person's choice of
 * messages). Every active partner is sent the mutation; it answers alike at each.
 */
export const EVERY_PARTNER_MUTATIONS: ReadonlySet<string> = new Set(['setEventMessagePreference']);

/**
 * The partners that can hold a list's items, when its filter names spaces (`spaceIds`): the
 * partners those ids name, and no other is asked (nor told which spaces someone looks at).
 * Null when the filter names none: every partner may hold some.
 */
export function partnersHolding(args: Json): Set<string> | null {
  const filter = args.filter as Json | null | undefined;
  const spaceIds = filter?.spaceIds;
  if (!Array.isArray(spaceIds)) return null;
  const partners = new Set<string>();
  for (const id of spaceIds) {
    const partner = typeof id === 'string' ? partnerOfId(id) : null;
    if (partner) partners.add(partner);
  }
  return partners;
}

/** The only partner of the network, when there is exactly one. */
export function solePartner(registry: PartnerRegistry): PartnerEntry | null {
  const all = registry.all();
  const active = registry.active();
  return all.length === 1 && active.length === 1 ? active[0]! : null;
}

/** An active partner that does not serve the partner contract gets no traffic: said, per partner. */
export function incompatibleError(
  partner: string,
  path?: (string | number)[],
): GraphQLFormattedError {
  return routerError(
    'PARTNER_INCOMPATIBLE',
    `Partner "${partner}" does not serve the partner contract and gets no traffic`,
    path,
    partner,
  );
}

/**
 * A partner that may receive traffic, or the error that says why not. With a single
 * partner, what names no partner goes to it: the router is then as transparent as a plain
 * gateway over one subgraph, whatever the subgraph's ids look like.
 */
export function targetPartner(
  registry: PartnerRegistry,
  slug: string | null,
  path: (string | number)[],
): PartnerEntry | GraphQLFormattedError {
  const sole = solePartner(registry);
  if (!slug && sole) return sole;
  if (!slug) return routerError('BAD_USER_INPUT', 'The id does not name a partner', path);
  const partner = registry.get(slug);
  if (!partner)
    return routerError('UNKNOWN_PARTNER', `No partner "${slug}" in the network`, path, slug);
  if (partner.status !== 'ACTIVE') {
    return routerError('PARTNER_SUSPENDED', `Partner "${slug}" is suspended`, path, slug);
  }
  if (registry.incompatible().some((p) => p.slug === slug)) return incompatibleError(slug, path);
  return partner;
}
