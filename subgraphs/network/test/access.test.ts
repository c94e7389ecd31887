import { formatId, type Viewer } from '@tiers-lieux/schema';
import { personViewer } from '@tiers-lieux/subgraph-shell/testing';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  assertAllowed,
  canCreatePassProducts,
  canEditOwnAccount,
  canFindPersonAtDesk,
  canGrantRole,
  canGrantRoles,
  canInvite,
  canIssuePasses,
  canIssuePassesOf,
  canListPeople,
  canManagePartner,
  canManageRegistry,
  canRedeemAt,
  canRedeemPasses,
  canSeeCardNumber,
  canSeeMemberPass,
  canSeeMemberPrivate,
  canSeePartnerSubgraphUrl,
  canSeePassCode,
  canSeePassHolder,
  canSeePassRedemptions,
  canSeePeople,
  canSeePersonEmail,
  canSeePersonIdentities,
  canSeeRoleGrant,
  canSeeSettlement,
  canSignIn,
  canVoidRedemptions,
  recordedBy,
} from '../src/access.js';

const THOMAS = formatId('cantine', 'member', 'ad2f4b6c-8e0a-4c2e-9a4b-6d8f0a2c4e52');
/** Thomas as a person of the network, the one who holds the pass. */
const THOMAS_PERSON = '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a13';
const INES_PERSON = '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a12';
/** Hugo staffs La Cantine's front desk. */
const HUGO_PERSON = '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a07';
const person = (uuid: string, roles: Parameters<typeof personViewer>[1] = {}) =>
  personViewer(uuid, roles);

const VIEWERS = {
  anonymous: { kind: 'anonymous' },
  'the gateway': { kind: 'gateway' },
  'the holder': person(THOMAS_PERSON),
  'the holder, id in capitals': person(THOMAS_PERSON.toUpperCase()),
  'another person': person(INES_PERSON),
  "the holder's manager": person('0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a03', { manages: ['cantine'] }),
  "the holder's staff": person(HUGO_PERSON, { staffs: ['cantine'] }),
  "the seller's manager": person('0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a05', { manages: ['laserre'] }),
  "the seller's staff": person('0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a09', { staffs: ['laserre'] }),
  'a third manager': person('0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a04', { manages: ['locomotive'] }),
  coordinator: person('0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a01', { coordinator: true }),
} satisfies Record<string, Viewer>;
type Role = keyof typeof VIEWERS;
const ROLES = Object.keys(VIEWERS) as Role[];

const only = (...roles: Role[]) =>
  Object.fromEntries(ROLES.map((r) => [r, roles.includes(r)])) as Record<Role, boolean>;

const COORDINATORS = only('coordinator');
const MANAGERS = [
  "the holder's manager",
  "the seller's manager",
  'a third manager',
  'coordinator',
] as const;
const STAFF = ["the holder's staff", "the seller's staff"] as const;
const THE_HOLDER = ['the holder', 'the holder, id in capitals'] as const;
const PEOPLE = ROLES.filter((r) => r !== 'anonymous' && r !== 'the gateway');

/** Sold by La Serre (laserre) to Thomas, a member of La Cantine. */
const held = { sellerSlug: 'laserre', holderId: THOMAS, holderPersonId: THOMAS_PERSON };
const unheld = { sellerSlug: 'laserre', holderId: null, holderPersonId: null };
const soldByTheNetwork = { sellerSlug: null, holderId: THOMAS, holderPersonId: THOMAS_PERSON };
/** Sold to Thomas as a person, not as a member of any partner. */
const heldByAPerson = { sellerSlug: 'laserre', holderId: null, holderPersonId: THOMAS_PERSON };
const hugosStaffGrant = { personId: HUGO_PERSON, partnerSlug: 'cantine' };

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
  {
    rule: 'canSeePartnerSubgraphUrl',
    check: canSeePartnerSubgraphUrl,
    allowed: only('coordinator', 'the gateway'),
  },
  { rule: 'canCreatePassProducts', check: canCreatePassProducts, allowed: COORDINATORS },
  { rule: 'canIssuePasses', check: canIssuePasses, allowed: only(...MANAGERS) },
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
  { rule: 'canRedeemPasses', check: canRedeemPasses, allowed: only(...MANAGERS, ...STAFF) },
  {
    rule: 'canRedeemAt(a space of cantine)',
    check: (v) => canRedeemAt(v, { hostSlug: 'cantine' }),
    allowed: only("the holder's manager", "the holder's staff", 'coordinator'),
  },
  {
    rule: 'canFindPersonAtDesk',
    check: canFindPersonAtDesk,
    allowed: only(...MANAGERS, ...STAFF),
  },
  {
    rule: "canSeeCardNumber(Thomas's)",
    check: (v) => canSeeCardNumber(v, { id: THOMAS_PERSON }),
    allowed: only(...THE_HOLDER, 'coordinator'),
  },
  { rule: 'canVoidRedemptions', check: canVoidRedemptions, allowed: COORDINATORS },
  { rule: 'canSeeSettlement', check: canSeeSettlement, allowed: COORDINATORS },
  {
    rule: "canSeeMemberPrivate(Thomas's)",
    check: (v) => canSeeMemberPrivate(v, { id: THOMAS }),
    allowed: only("the holder's manager", 'coordinator'),
  },
  {
    rule: 'canSeeMemberPrivate(of a malformed id)',
    check: (v) => canSeeMemberPrivate(v, { id: 'thomas' }),
    allowed: only(),
  },
  {
    rule: "canSeeMemberPass(Thomas's, held)",
    check: (v) => canSeeMemberPass(v, { id: THOMAS }, held),
    allowed: only(...THE_HOLDER, "the holder's manager", 'coordinator'),
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
    rule: 'canSeePassHolder(held by a person only)',
    check: (v) => canSeePassHolder(v, heldByAPerson),
    allowed: only(...THE_HOLDER, "the seller's manager", 'coordinator'),
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
  {
    rule: 'canSeePassRedemptions(held by a person only)',
    check: (v) => canSeePassRedemptions(v, heldByAPerson),
    allowed: only(...THE_HOLDER, 'coordinator'),
  },
  { rule: 'canSeePeople', check: canSeePeople, allowed: only(...PEOPLE) },
  { rule: 'canListPeople', check: canListPeople, allowed: only(...MANAGERS) },
  {
    rule: "canSeePersonEmail(Hugo's, staff of cantine)",
    check: (v) => canSeePersonEmail(v, { id: HUGO_PERSON }, [hugosStaffGrant]),
    allowed: only("the holder's staff", "the holder's manager", 'coordinator'),
  },
  {
    rule: "canSeePersonEmail(Thomas's, no role)",
    check: (v) => canSeePersonEmail(v, { id: THOMAS_PERSON }, []),
    allowed: only(...THE_HOLDER, 'coordinator'),
  },
  {
    rule: "canSeePersonIdentities(Thomas's)",
    check: (v) => canSeePersonIdentities(v, { id: THOMAS_PERSON }),
    allowed: only(...THE_HOLDER, 'coordinator'),
  },
  {
    rule: "canSeeRoleGrant(Hugo's STAFF at cantine)",
    check: (v) => canSeeRoleGrant(v, hugosStaffGrant),
    allowed: only("the holder's staff", "the holder's manager", 'coordinator'),
  },
  {
    rule: 'canSeeRoleGrant(a COORDINATOR grant)',
    check: (v) => canSeeRoleGrant(v, { personId: INES_PERSON, partnerSlug: null }),
    allowed: only('another person', 'coordinator'),
  },
  { rule: 'canGrantRoles', check: canGrantRoles, allowed: only(...MANAGERS) },
  {
    rule: 'canGrantRole(STAFF at cantine)',
    check: (v) => canGrantRole(v, { role: 'STAFF', partnerSlug: 'cantine' }),
    allowed: only("the holder's manager", 'coordinator'),
  },
  {
    rule: 'canGrantRole(MANAGER at cantine)',
    check: (v) => canGrantRole(v, { role: 'MANAGER', partnerSlug: 'cantine' }),
    allowed: COORDINATORS,
  },
  {
    rule: 'canGrantRole(COORDINATOR)',
    check: (v) => canGrantRole(v, { role: 'COORDINATOR', partnerSlug: null }),
    allowed: COORDINATORS,
  },
  {
    rule: 'canInvite(without a role)',
    check: (v) => canInvite(v, { role: null, partnerSlug: null }),
    allowed: COORDINATORS,
  },
  {
    rule: 'canInvite(as STAFF at laserre)',
    check: (v) => canInvite(v, { role: 'STAFF', partnerSlug: 'laserre' }),
    allowed: only("the seller's manager", 'coordinator'),
  },
  { rule: 'canEditOwnAccount', check: canEditOwnAccount, allowed: only(...PEOPLE) },
  { rule: 'canSignIn', check: canSignIn, allowed: only('the gateway') },
];

describe('access rules of the network subgraph', () => {
  it.each(RULES)('$rule', ({ check, allowed }) => {
    expect(Object.fromEntries(ROLES.map((r) => [r, check(VIEWERS[r])]))).toEqual(allowed);
  });

  it('names who recorded a ledger entry by their person id', () => {
    expect(recordedBy(VIEWERS["the holder's staff"])).toBe(`network:person:${HUGO_PERSON}`);
    expect(recordedBy(VIEWERS.coordinator)).toBe(
      'network:person:0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a01',
    );
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
