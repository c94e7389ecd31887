import type { Viewer } from '@tiers-lieux/schema';
import { personViewer } from '@tiers-lieux/subgraph-shell/testing';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  assertAllowed,
  canActForOneself,
  canAddMemberships,
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
  canSeePersonAtPartner,
  canSeeRegistration,
  canSeeUnlistedMembers,
  canUpdateMember,
  memberVisibility,
  type Asker,
} from '../src/access.js';

const HERE = 'cantine';
// The people behind Thomas's and Inès's member records (`members.person_id`).
const THOMAS = '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a13';
const INES = '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a12';
const SOMEONE = '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a99';

const VIEWERS = {
  anonymous: { kind: 'anonymous' },
  'the person (Thomas)': personViewer(THOMAS),
  'the person, id in capitals': personViewer(THOMAS.toUpperCase()),
  'another person (Inès)': personViewer(INES),
  'a person with no record here': personViewer(SOMEONE),
  'their manager': personViewer(SOMEONE, { manages: [HERE] }),
  'their staff': personViewer(SOMEONE, { staffs: [HERE] }),
  'another manager': personViewer(SOMEONE, { manages: ['laserre'] }),
  'another staff': personViewer(SOMEONE, { staffs: ['laserre'] }),
  // A role at another partner changes nothing here.
  'Thomas, staff elsewhere': personViewer(THOMAS, { staffs: ['laserre'] }),
  coordinator: personViewer(SOMEONE, { coordinator: true }),
} satisfies Record<string, Viewer>;
type Role = keyof typeof VIEWERS;
const ROLES = Object.keys(VIEWERS) as Role[];

const asker = (role: Role): Asker => ({ viewer: VIEWERS[role], partner: HERE });
const only = (...roles: Role[]) =>
  Object.fromEntries(ROLES.map((r) => [r, roles.includes(r)])) as Record<Role, boolean>;

const EVERYONE = only(...ROLES);
const SIGNED_IN = only(...ROLES.filter((r) => r !== 'anonymous'));
const THE_PARTNER = only('their manager', 'coordinator');
const THE_DESK = only('their manager', 'their staff', 'coordinator');
const THOMAS_SELF: Role[] = [
  'the person (Thomas)',
  'the person, id in capitals',
  'Thomas, staff elsewhere',
];
const THOMAS_AND_THE_PARTNER = only(...THOMAS_SELF, 'their manager', 'coordinator');
const THOMAS_AND_THE_DESK = only(...THOMAS_SELF, 'their manager', 'their staff', 'coordinator');

const thomas = { personId: THOMAS, isInDirectory: false };
const ines = { personId: INES, isInDirectory: true };
const unlinked = { personId: null, isInDirectory: false };

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
      allowed: THOMAS_AND_THE_DESK,
    },
    {
      rule: "canSeeMemberPrivate(Inès's, in the directory)",
      check: (a) => canSeeMemberPrivate(a, ines),
      allowed: only('another person (Inès)', 'their manager', 'their staff', 'coordinator'),
    },
    {
      rule: 'canSeeMemberPrivate(a record linked to no one)',
      check: (a) => canSeeMemberPrivate(a, unlinked),
      allowed: THE_DESK,
    },
    {
      rule: 'canSeeMember(Thomas, not in the directory)',
      check: (a) => canSeeMember(a, thomas),
      allowed: THOMAS_AND_THE_DESK,
    },
    {
      rule: 'canSeeMember(Inès, in the directory)',
      check: (a) => canSeeMember(a, ines),
      allowed: EVERYONE,
    },
    { rule: 'canSeeUnlistedMembers', check: canSeeUnlistedMembers, allowed: THE_DESK },
    {
      rule: "canSeePersonAtPartner(Thomas's)",
      check: (a) => canSeePersonAtPartner(a, THOMAS),
      allowed: THOMAS_AND_THE_DESK,
    },
    {
      rule: "canSeeRegistration(Thomas's)",
      check: (a) => canSeeRegistration(a, { personId: THOMAS }),
      allowed: THOMAS_AND_THE_DESK,
    },
    {
      rule: "canSeeRegistration(a guest's)",
      check: (a) => canSeeRegistration(a, { personId: null }),
      allowed: THE_DESK,
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
      allowed: THOMAS_AND_THE_DESK,
    },
    { rule: 'canActForOneself', check: canActForOneself, allowed: SIGNED_IN },
    {
      rule: 'canRegisterGuestsWithoutLimit',
      check: canRegisterGuestsWithoutLimit,
      allowed: THE_DESK,
    },
    {
      rule: "canCancelRegistration(Thomas's)",
      check: (a) => canCancelRegistration(a, { personId: THOMAS }),
      allowed: THOMAS_AND_THE_DESK,
    },
    {
      rule: "canCancelRegistration(a guest's)",
      check: (a) => canCancelRegistration(a, { personId: null }),
      allowed: THE_DESK,
    },
    {
      rule: 'canCancelRegistration(an unknown one)',
      check: (a) => canCancelRegistration(a, undefined),
      allowed: THE_DESK,
    },
    { rule: 'canCheckMembersIn', check: canCheckMembersIn, allowed: THE_DESK },
    { rule: 'canAddMemberships', check: canAddMemberships, allowed: THE_DESK },
  ];

describe('access rules of a partner subgraph', () => {
  it.each(RULES)('$rule', ({ check, allowed }) => {
    expect(Object.fromEntries(ROLES.map((r) => [r, check(asker(r))]))).toEqual(allowed);
  });

  it('lists every member to the partner, and the directory plus oneself to the others', () => {
    expect(Object.fromEntries(ROLES.map((r) => [r, memberVisibility(asker(r))]))).toEqual({
      anonymous: { all: false, selfPersonId: null },
      'the person (Thomas)': { all: false, selfPersonId: THOMAS },
      'the person, id in capitals': { all: false, selfPersonId: THOMAS },
      'another person (Inès)': { all: false, selfPersonId: INES },
      'a person with no record here': { all: false, selfPersonId: SOMEONE },
      'their manager': { all: true },
      'their staff': { all: true },
      'another manager': { all: false, selfPersonId: SOMEONE },
      'another staff': { all: false, selfPersonId: SOMEONE },
      'Thomas, staff elsewhere': { all: false, selfPersonId: THOMAS },
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
