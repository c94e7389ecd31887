import { formatId, type Viewer } from '@tiers-lieux/schema';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  assertAllowed,
  canCreatePassProducts,
  canIssuePasses,
  canIssuePassesOf,
  canManagePartner,
  canManageRegistry,
  canRedeemAt,
  canRedeemPasses,
  canSeeMemberPrivate,
  canSeePartnerSubgraphUrl,
  canSeePassCode,
  canSeePassHolder,
  canSeePassRedemptions,
  canSeeSettlement,
  canVoidRedemptions,
  recordedBy,
} from '../src/access.js';

const THOMAS_UUID = 'ad2f4b6c-8e0a-4c2e-9a4b-6d8f0a2c4e52';
const THOMAS = formatId('cantine', 'member', THOMAS_UUID);
const INES = formatId('cantine', 'member', '9c1e3a5b-7d9f-4b1d-8f3a-5c7e9b1d3f41');
const JULIEN = formatId('laserre', 'member', 'd05c7e9f-1b3d-4f5b-8d7e-9a1c3d5f7b85');

const VIEWERS = {
  anonymous: { kind: 'anonymous' },
  'the holder': { kind: 'member', partner: 'cantine', memberId: THOMAS },
  'the holder, id in capitals': {
    kind: 'member',
    partner: 'cantine',
    memberId: formatId('cantine', 'member', THOMAS_UUID.toUpperCase()),
  },
  'another member': { kind: 'member', partner: 'cantine', memberId: INES },
  'a member elsewhere': { kind: 'member', partner: 'laserre', memberId: JULIEN },
  "the holder's manager": { kind: 'manager', partner: 'cantine' },
  "the seller's manager": { kind: 'manager', partner: 'laserre' },
  'a third manager': { kind: 'manager', partner: 'locomotive' },
  coordinator: { kind: 'coordinator' },
} satisfies Record<string, Viewer>;
type Role = keyof typeof VIEWERS;
const ROLES = Object.keys(VIEWERS) as Role[];

const only = (...roles: Role[]) =>
  Object.fromEntries(ROLES.map((r) => [r, roles.includes(r)])) as Record<Role, boolean>;

const COORDINATORS = only('coordinator');
const ANY_MANAGER = only(
  "the holder's manager",
  "the seller's manager",
  'a third manager',
  'coordinator',
);
const THE_HOLDER = ['the holder', 'the holder, id in capitals'] as const;

/** Sold by La Serre (laserre) to Thomas, a member of La Cantine. */
const held = { sellerSlug: 'laserre', holderId: THOMAS };
const unheld = { sellerSlug: 'laserre', holderId: null };
const soldByTheNetwork = { sellerSlug: null, holderId: THOMAS };

const RULES: {
  rule: string;
  check: (viewer: Viewer) => boolean;
  allowed: Record<Role, boolean>;
}[] = [
  {
    rule: 'canManagePartner(cantine)',
    check: (v) => canManagePartner(v, 'cantine'),
    allowed: only("the holder's manager", 'coordinator'),
  },
  { rule: 'canManageRegistry', check: canManageRegistry, allowed: COORDINATORS },
  { rule: 'canSeePartnerSubgraphUrl', check: canSeePartnerSubgraphUrl, allowed: COORDINATORS },
  { rule: 'canCreatePassProducts', check: canCreatePassProducts, allowed: COORDINATORS },
  { rule: 'canIssuePasses', check: canIssuePasses, allowed: ANY_MANAGER },
  {
    rule: "canIssuePassesOf(laserre's product)",
    check: (v) => canIssuePassesOf(v, { sellerSlug: 'laserre' }),
    allowed: only("the seller's manager", 'coordinator'),
  },
  {
    rule: "canIssuePassesOf(the network's product)",
    check: (v) => canIssuePassesOf(v, { sellerSlug: null }),
    allowed: COORDINATORS,
  },
  { rule: 'canRedeemPasses', check: canRedeemPasses, allowed: ANY_MANAGER },
  {
    rule: 'canRedeemAt(a space of cantine)',
    check: (v) => canRedeemAt(v, { hostSlug: 'cantine' }),
    allowed: only("the holder's manager", 'coordinator'),
  },
  { rule: 'canVoidRedemptions', check: canVoidRedemptions, allowed: COORDINATORS },
  { rule: 'canSeeSettlement', check: canSeeSettlement, allowed: COORDINATORS },
  {
    rule: "canSeeMemberPrivate(Thomas's)",
    check: (v) => canSeeMemberPrivate(v, { id: THOMAS }),
    allowed: only(...THE_HOLDER, "the holder's manager", 'coordinator'),
  },
  {
    rule: 'canSeeMemberPrivate(of a malformed id)',
    check: (v) => canSeeMemberPrivate(v, { id: 'thomas' }),
    allowed: only(),
  },
  {
    rule: 'canSeePassHolder(held)',
    check: (v) => canSeePassHolder(v, held),
    allowed: only(...THE_HOLDER, "the holder's manager", "the seller's manager", 'coordinator'),
  },
  {
    rule: 'canSeePassHolder(sold by the network)',
    check: (v) => canSeePassHolder(v, soldByTheNetwork),
    allowed: only(...THE_HOLDER, "the holder's manager", 'coordinator'),
  },
  {
    rule: 'canSeePassCode(held)',
    check: (v) => canSeePassCode(v, held),
    allowed: only(...THE_HOLDER, "the holder's manager", "the seller's manager", 'coordinator'),
  },
  {
    rule: 'canSeePassCode(found by its code)',
    check: (v) => canSeePassCode(v, { ...held, codeRevealed: true }),
    allowed: only(...ROLES),
  },
  {
    rule: 'canSeePassRedemptions(held)',
    check: (v) => canSeePassRedemptions(v, held),
    allowed: only(...THE_HOLDER, "the holder's manager", 'coordinator'),
  },
  {
    rule: 'canSeePassRedemptions(without a holder)',
    check: (v) => canSeePassRedemptions(v, unheld),
    allowed: only("the seller's manager", 'coordinator'),
  },
];

describe('access rules of the network subgraph', () => {
  it.each(RULES)('$rule', ({ check, allowed }) => {
    expect(Object.fromEntries(ROLES.map((r) => [r, check(VIEWERS[r])]))).toEqual(allowed);
  });

  it('names who recorded a ledger entry', () => {
    expect(recordedBy(VIEWERS["the holder's manager"])).toBe('manager:cantine');
    expect(recordedBy(VIEWERS.coordinator)).toBe('coordinator');
  });

  it('refuses an anonymous viewer as UNAUTHENTICATED and anyone else as FORBIDDEN', () => {
    const codeOf = (role: Role, allowed: boolean) => {
      try {
        assertAllowed(VIEWERS[role], allowed, 'see settlements');
        return 'allowed';
      } catch (error) {
        expect(error).toBeInstanceOf(GraphQLError);
        return (error as GraphQLError).extensions.code;
      }
    };
    expect(ROLES.map((r) => codeOf(r, false))).toEqual([
      'UNAUTHENTICATED',
      ...ROLES.slice(1).map(() => 'FORBIDDEN'),
    ]);
    expect(ROLES.map((r) => codeOf(r, true))).toEqual(ROLES.map(() => 'allowed'));
  });
});
