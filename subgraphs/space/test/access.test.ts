import { formatId, type Viewer } from '@tiers-lieux/schema';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  assertAllowed,
  canCancelRegistration,
  canCheckMembersIn,
  canEditSpaces,
  canManageEvents,
  canManagePartner,
  canRegisterFor,
  canRegisterGuestsWithoutLimit,
  canRegisterMembers,
  canSeeMember,
  canSeeMemberPrivate,
  canSeeRegistration,
  canSeeUnlistedMembers,
  canUpdateMember,
  memberVisibility,
  type Asker,
} from '../src/access.js';

const HERE = 'cantine';
const THOMAS = 'ad2f4b6c-8e0a-4c2e-9a4b-6d8f0a2c4e52';
const INES = '9c1e3a5b-7d9f-4b1d-8f3a-5c7e9b1d3f41';

const VIEWERS = {
  anonymous: { kind: 'anonymous' },
  'the member': { kind: 'member', partner: HERE, memberId: formatId(HERE, 'member', THOMAS) },
  'the member, id in capitals': {
    kind: 'member',
    partner: HERE,
    memberId: formatId(HERE, 'member', THOMAS.toUpperCase()),
  },
  'another member': { kind: 'member', partner: HERE, memberId: formatId(HERE, 'member', INES) },
  // The same uuid under another partner is another person.
  'a member elsewhere': {
    kind: 'member',
    partner: 'laserre',
    memberId: formatId('laserre', 'member', THOMAS),
  },
  'their manager': { kind: 'manager', partner: HERE },
  'another manager': { kind: 'manager', partner: 'laserre' },
  coordinator: { kind: 'coordinator' },
} satisfies Record<string, Viewer>;
type Role = keyof typeof VIEWERS;
const ROLES = Object.keys(VIEWERS) as Role[];

const asker = (role: Role): Asker => ({ viewer: VIEWERS[role], partner: HERE });
const only = (...roles: Role[]) =>
  Object.fromEntries(ROLES.map((r) => [r, roles.includes(r)])) as Record<Role, boolean>;

const EVERYONE = only(...ROLES);
const THE_PARTNER = only('their manager', 'coordinator');
const THOMAS_AND_THE_PARTNER = only(
  'the member',
  'the member, id in capitals',
  'their manager',
  'coordinator',
);

const thomas = { id: THOMAS, isInDirectory: false };
const ines = { id: INES, isInDirectory: true };

const RULES: { rule: string; check: (asker: Asker) => boolean; allowed: Record<Role, boolean> }[] =
  [
    {
      rule: 'canManagePartner(here)',
      check: (a) => canManagePartner(a.viewer, HERE),
      allowed: THE_PARTNER,
    },
    {
      rule: 'canManagePartner(elsewhere)',
      check: (a) => canManagePartner(a.viewer, 'laserre'),
      allowed: only('another manager', 'coordinator'),
    },
    {
      rule: "canSeeMemberPrivate(Thomas's)",
      check: (a) => canSeeMemberPrivate(a, thomas),
      allowed: THOMAS_AND_THE_PARTNER,
    },
    {
      rule: "canSeeMemberPrivate(Inès's, in the directory)",
      check: (a) => canSeeMemberPrivate(a, ines),
      allowed: only('another member', 'their manager', 'coordinator'),
    },
    {
      rule: 'canSeeMember(Thomas, not in the directory)',
      check: (a) => canSeeMember(a, thomas),
      allowed: THOMAS_AND_THE_PARTNER,
    },
    {
      rule: 'canSeeMember(Inès, in the directory)',
      check: (a) => canSeeMember(a, ines),
      allowed: EVERYONE,
    },
    { rule: 'canSeeUnlistedMembers', check: canSeeUnlistedMembers, allowed: THE_PARTNER },
    {
      rule: "canSeeRegistration(Thomas's)",
      check: (a) => canSeeRegistration(a, { memberId: THOMAS }),
      allowed: THOMAS_AND_THE_PARTNER,
    },
    {
      rule: "canSeeRegistration(a guest's)",
      check: (a) => canSeeRegistration(a, { memberId: null }),
      allowed: THE_PARTNER,
    },
    { rule: 'canEditSpaces', check: canEditSpaces, allowed: THE_PARTNER },
    { rule: 'canManageEvents', check: canManageEvents, allowed: THE_PARTNER },
    { rule: 'canRegisterMembers', check: canRegisterMembers, allowed: THE_PARTNER },
    {
      rule: 'canUpdateMember(Thomas)',
      check: (a) => canUpdateMember(a, thomas),
      allowed: THOMAS_AND_THE_PARTNER,
    },
    {
      rule: 'canRegisterFor(Thomas)',
      check: (a) => canRegisterFor(a, thomas),
      allowed: THOMAS_AND_THE_PARTNER,
    },
    {
      rule: 'canRegisterGuestsWithoutLimit',
      check: canRegisterGuestsWithoutLimit,
      allowed: THE_PARTNER,
    },
    {
      rule: "canCancelRegistration(Thomas's)",
      check: (a) => canCancelRegistration(a, { memberId: THOMAS }),
      allowed: THOMAS_AND_THE_PARTNER,
    },
    {
      rule: "canCancelRegistration(a guest's)",
      check: (a) => canCancelRegistration(a, { memberId: null }),
      allowed: THE_PARTNER,
    },
    {
      rule: 'canCancelRegistration(an unknown one)',
      check: (a) => canCancelRegistration(a, undefined),
      allowed: THE_PARTNER,
    },
    { rule: 'canCheckMembersIn', check: canCheckMembersIn, allowed: THE_PARTNER },
  ];

describe('access rules of a partner subgraph', () => {
  it.each(RULES)('$rule', ({ check, allowed }) => {
    expect(Object.fromEntries(ROLES.map((r) => [r, check(asker(r))]))).toEqual(allowed);
  });

  it('lists every member to the partner, and the directory plus oneself to the others', () => {
    expect(Object.fromEntries(ROLES.map((r) => [r, memberVisibility(asker(r))]))).toEqual({
      anonymous: { all: false, selfId: null },
      'the member': { all: false, selfId: THOMAS },
      'the member, id in capitals': { all: false, selfId: THOMAS },
      'another member': { all: false, selfId: INES },
      'a member elsewhere': { all: false, selfId: null },
      'their manager': { all: true },
      'another manager': { all: false, selfId: null },
      coordinator: { all: true },
    });
  });

  it('refuses an anonymous viewer as UNAUTHENTICATED and anyone else as FORBIDDEN', () => {
    const codeOf = (role: Role, allowed: boolean) => {
      try {
        assertAllowed(asker(role), allowed, 'check members in');
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
