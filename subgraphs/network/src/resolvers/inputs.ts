import { PARTNER_SLUG_PATTERN } from '@tiers-lieux/schema';
import { ensure, httpUrl, InputProblem, int, text } from '@tiers-lieux/subgraph-shell';
import type {
  BookWithPassInput,
  CreatePassProductInput,
  GrantRoleInput,
  InvitePersonInput,
  Role,
  RedeemPassInput,
  RegisterPartnerInput,
  UpdatePartnerInput,
  UpdatePassProductInput,
} from '../__generated__/resolvers-types.js';
import { CODE_PROBLEMS, parsePassCode } from '../code.js';
import type { PartnerChanges, PartnerValues } from '../data/partners.js';
import type { SignInIdentity } from '../data/people.js';
import { parsePartnerId, parsePersonId } from '../ids.js';

export { checked } from '@tiers-lieux/subgraph-shell';

/** The network's own sales are shown as `network`: no partner may take that slug. */
export const RESERVED_SLUGS = new Set(['network']);

export function newPartner(input: RegisterPartnerInput): PartnerValues {
  const slug = input.slug.trim();
  // Said first: the slug pattern refuses a reserved name too, without saying why.
  ensure(!RESERVED_SLUGS.has(slug), `input.slug "${slug}" is reserved`, 'input.slug');
  ensure(
    PARTNER_SLUG_PATTERN.test(slug),
    'input.slug must be 2 to 40 lowercase letters, digits and dashes, starting with a letter',
    'input.slug',
  );
  return {
    slug,
    name: text(input.name, 'input.name', 200),
    kind: input.kind,
    territory: text(input.territory, 'input.territory', 200),
    subgraphUrl: httpUrl(input.subgraphUrl, 'input.subgraphUrl'),
  };
}

export function partnerChanges(input: UpdatePartnerInput): PartnerChanges {
  return {
    ...(input.name != null ? { name: text(input.name, 'input.name', 200) } : {}),
    ...(input.kind != null ? { kind: input.kind } : {}),
    ...(input.territory != null
      ? { territory: text(input.territory, 'input.territory', 200) }
      : {}),
    ...(input.subgraphUrl != null
      ? { subgraphUrl: httpUrl(input.subgraphUrl, 'input.subgraphUrl') }
      : {}),
  };
}

export function newProduct(input: CreatePassProductInput) {
  const field = 'input.validAtSpaceIds';
  ensure(input.validAtSpaceIds.length > 0, `${field} must hold at least one space`, field);
  ensure(input.validAtSpaceIds.length <= 100, `${field} holds at most 100 spaces`, field);
  const spaces = input.validAtSpaceIds.map((id, i) => {
    const space = parsePartnerId(id, 'space');
    ensure(
      space !== null,
      `${field}.${i} is not a space id of the form <partner>:space:<uuid>`,
      `${field}.${i}`,
    );
    return { spaceId: space!.id, hostSlug: space!.partner };
  });
  ensure(
    new Set(spaces.map((s) => s.spaceId)).size === spaces.length,
    `${field} names a space twice`,
    field,
  );
  return {
    values: {
      name: text(input.name, 'input.name', 200),
      sellerSlug: input.sellerSlug?.trim() || null,
      entries: int(input.entries, 'input.entries', 1, 1000),
      entryMinutes: int(input.entryMinutes, 'input.entryMinutes', 1, 1440),
      priceCents: int(input.priceCents, 'input.priceCents', 0, 10_000_000),
      validityDays: int(input.validityDays, 'input.validityDays', 1, 3660),
    },
    spaces,
  };
}

export function productChanges(input: UpdatePassProductInput) {
  return {
    ...(input.name != null ? { name: text(input.name, 'input.name', 200) } : {}),
    ...(input.priceCents != null
      ? { priceCents: int(input.priceCents, 'input.priceCents', 0, 10_000_000) }
      : {}),
    ...(input.validityDays != null
      ? { validityDays: int(input.validityDays, 'input.validityDays', 1, 3660) }
      : {}),
  };
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;
/** Clocks of the hosts' devices drift: a visit may start a little after the network's now. */
const CLOCK_SKEW_MS = 5 * 60_000;

export function redemption(input: RedeemPassInput, now: Date) {
  const code = parsePassCode(input.code);
  if (!code.ok) throw new InputProblem(`input.code: ${CODE_PROBLEMS[code.reason]}`, 'input.code');
  const space = parsePartnerId(input.spaceId, 'space');
  ensure(
    space !== null,
    'input.spaceId is not a space id of the form <partner>:space:<uuid>',
    'input.spaceId',
  );
  ensure(
    input.startedAt.getTime() <= now.getTime() + CLOCK_SKEW_MS,
    'input.startedAt must not be in the future',
    'input.startedAt',
  );
  ensure(
    IDEMPOTENCY_KEY.test(input.idempotencyKey),
    'input.idempotencyKey must be 8 to 128 letters, digits, ".", "_", ":" or "-"',
    'input.idempotencyKey',
  );
  return {
    code: code.code,
    spaceId: space!.id,
    hostSlug: space!.partner,
    startedAt: input.startedAt,
    minutes: int(input.minutes, 'input.minutes', 1, 1440),
    idempotencyKey: input.idempotencyKey,
  };
}

export function voidReason(reason: string): string {
  return text(reason, 'input.reason', 500);
}

/** What the network takes for an email: one `@`, no spaces, a dot in the domain. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function email(value: string, field: string): string {
  const trimmed = text(value, field, 254);
  ensure(EMAIL.test(trimmed), `${field} is not an email address`, field);
  return trimmed;
}

export function displayName(value: string, field: string): string {
  return text(value, field, 200);
}

/** A role and its partner: a partner for MANAGER and STAFF, none for COORDINATOR. */
function roleAt(role: Role, partner: string | null | undefined, field: string) {
  const partnerSlug = partner?.trim() || null;
  if (role === 'COORDINATOR')
    ensure(partnerSlug === null, `${field} must be omitted for COORDINATOR`, field);
  else ensure(partnerSlug !== null, `${field} is required for ${role}`, field);
  return { role, partnerSlug };
}

export function roleGrant(input: GrantRoleInput) {
  const byId = input.personId != null;
  ensure(
    byId !== (input.email != null),
    'name the person by input.personId or by input.email, not both',
    'input.personId',
  );
  const personUuid = byId ? parsePersonId(input.personId!) : null;
  ensure(
    !byId || personUuid !== null,
    'input.personId is not a person id of the form network:person:<uuid>',
    'input.personId',
  );
  return {
    personUuid,
    email: personUuid ? null : email(input.email!, 'input.email'),
    ...roleAt(input.role, input.partner, 'input.partner'),
  };
}

export function invitation(input: InvitePersonInput) {
  const role = input.role
    ? roleAt(input.role, input.partner, 'input.partner')
    : { role: null, partnerSlug: null };
  ensure(
    input.role != null || input.partner == null,
    'input.partner needs input.role',
    'input.partner',
  );
  return {
    email: email(input.email, 'input.email'),
    displayName: displayName(input.displayName, 'input.displayName'),
    ...role,
  };
}

/** The identity the gateway hands over: bounded, so that a broken gateway cannot store junk. */
export function signInIdentity(input: {
  issuer: string;
  subject: string;
  email?: string | null;
  emailVerified: boolean;
  name?: string | null;
}): SignInIdentity {
  const address = input.email?.trim() || null;
  return {
    issuer: text(input.issuer, 'identity.issuer', 500),
    subject: text(input.subject, 'identity.subject', 500),
    email: address && EMAIL.test(address) && address.length <= 254 ? address : null,
    emailVerified: input.emailVerified,
    name: input.name?.trim() ? text(input.name, 'identity.name', 500) : null,
  };
}

const CLIENT_BOOKING_KEY = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_BOOKED_WITH = 5;

/** A booking paid with a pass, as asked: every resource at one host partner. */
export function passBookingInput(input: BookWithPassInput) {
  const code = parsePassCode(input.passCode);
  if (!code.ok)
    throw new InputProblem(`input.passCode: ${CODE_PROBLEMS[code.reason]}`, 'input.passCode');
  const resource = parsePartnerId(input.resourceId, 'resource');
  ensure(
    resource !== null,
    'input.resourceId is not a resource id of the form <partner>:resource:<uuid>',
    'input.resourceId',
  );
  const alsoBook = input.alsoBook ?? [];
  ensure(
    alsoBook.length <= MAX_BOOKED_WITH,
    `input.alsoBook holds at most ${MAX_BOOKED_WITH} resources`,
    'input.alsoBook',
  );
  const others = alsoBook.map((id) => parsePartnerId(id, 'resource'));
  ensure(
    others.every((o) => o !== null && o.partner === resource!.partner),
    'input.alsoBook names resources of the same partner as input.resourceId',
    'input.alsoBook',
  );
  ensure(
    input.endsAt > input.startsAt,
    'input.endsAt must be after input.startsAt',
    'input.endsAt',
  );
  ensure(
    CLIENT_BOOKING_KEY.test(input.idempotencyKey),
    'input.idempotencyKey must be 8 to 64 letters, digits, "_" or "-"',
    'input.idempotencyKey',
  );
  return {
    code: code.code,
    hostSlug: resource!.partner,
    resourceIds: [resource!.id, ...others.map((o) => o!.id)],
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    idempotencyKey: input.idempotencyKey,
  };
}
