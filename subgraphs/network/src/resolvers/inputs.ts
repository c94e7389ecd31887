import { PARTNER_SLUG_PATTERN } from '@tiers-lieux/schema';
import { ensure, httpUrl, InputProblem, int, text } from '@tiers-lieux/subgraph-shell';
import type {
  CreatePassProductInput,
  RedeemPassInput,
  RegisterPartnerInput,
  UpdatePartnerInput,
} from '../__generated__/resolvers-types.js';
import { CODE_PROBLEMS, parsePassCode } from '../code.js';
import type { PartnerChanges, PartnerValues } from '../data/partners.js';
import { parsePartnerId } from '../ids.js';

export { checked } from '@tiers-lieux/subgraph-shell';

/** The network's own sales are shown as `network`: no partner may take that slug. */
export const RESERVED_SLUGS = new Set(['network']);

export function newPartner(input: RegisterPartnerInput): PartnerValues {
  const slug = input.slug.trim();
  ensure(
    PARTNER_SLUG_PATTERN.test(slug),
    'input.slug must be 2 to 40 lowercase letters, digits and dashes, starting with a letter',
    'input.slug',
  );
  ensure(!RESERVED_SLUGS.has(slug), `input.slug "${slug}" is reserved`, 'input.slug');
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
