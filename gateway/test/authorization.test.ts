import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startSeededNetwork, tokens } from '../src/testing/index.js';

/** Seeded ids (subgraphs/space/src/seed/partners.ts, subgraphs/network/src/seed/network.ts). */
const THOMAS = 'cantine:member:ad2f4b6c-8e0a-4c2e-9a4b-6d8f0a2c4e52'; // cantine, not in the directory
const INES = 'cantine:member:9c1e3a5b-7d9f-4b1d-8f3a-5c7e9b1d3f41'; // cantine, in the directory
const JULIEN = 'laserre:member:d05c7e9f-1b3d-4f5b-8d7e-9a1c3d5f7b85'; // laserre
const CANTINE_SPACE = 'cantine:space:c8b6a4e2-0d1f-4e3a-b5c7-9e1d3f5a7b63';
const CANTINE_EVENT = 'cantine:event:3f4b6d8e-0a2c-4e4a-9c6d-8f0b2c4e6a30';

type Role =
  | 'anonymous'
  | 'the member'
  | 'another member'
  | 'a member elsewhere'
  | 'their manager'
  | 'another manager'
  | 'coordinator';
const ROLES: Role[] = [
  'anonymous',
  'the member',
  'another member',
  'a member elsewhere',
  'their manager',
  'another manager',
  'coordinator',
];

async function tokenOf(role: Role): Promise<string | undefined> {
  switch (role) {
    case 'anonymous':
      return undefined;
    case 'the member':
      return tokens.member(THOMAS);
    case 'another member':
      return tokens.member(INES);
    case 'a member elsewhere':
      return tokens.member(JULIEN);
    case 'their manager':
      return tokens.manager('cantine');
    case 'another manager':
      return tokens.manager('laserre');
    case 'coordinator':
      return tokens.coordinator();
  }
}

const sees = (roles: Role[]) =>
  Object.fromEntries(ROLES.map((r) => [r, roles.includes(r)])) as Record<Role, boolean>;
const PRIVATE_READERS = sees(['the member', 'their manager', 'coordinator']);

interface Check {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Whether the role gets the data (true) or is refused / gets nothing (false). */
  allowed: Record<Role, boolean>;
  /** Reads the answer: true when the role got the protected data or the write went through. */
  granted: (answer: { data?: any; errors?: { extensions?: { code?: string } }[] }) => boolean;
}

const refused = (answer: { errors?: { extensions?: { code?: string } }[] }) =>
  (answer.errors ?? []).some(
    (e) => e.extensions?.code === 'FORBIDDEN' || e.extensions?.code === 'UNAUTHENTICATED',
  );
const member = (field: string) => `query { member(id: "${THOMAS}") { ${field} } }`;

let unique = 0;
const CHECKS: Check[] = [
  {
    name: 'Member.email',
    query: member('email'),
    allowed: PRIVATE_READERS,
    granted: (a) => !!a.data?.member?.email,
  },
  {
    name: 'Member.phone',
    query: member('phone'),
    allowed: PRIVATE_READERS,
    granted: (a) => !!a.data?.member?.phone,
  },
  {
    name: 'Member.memberships',
    query: member('memberships { plan }'),
    allowed: PRIVATE_READERS,
    granted: (a) => (a.data?.member?.memberships ?? []).length > 0,
  },
  {
    name: 'Member.skills (not opted in)',
    query: member('skills'),
    allowed: PRIVATE_READERS,
    granted: (a) => (a.data?.member?.skills ?? []).length > 0,
  },
  {
    name: 'Member.isCheckedIn',
    query: member('isCheckedIn'),
    allowed: PRIVATE_READERS,
    granted: (a) => typeof a.data?.member?.isCheckedIn === 'boolean',
  },
  {
    name: 'Member.passes',
    query: `query { member(id: "${INES}") { passes { id } } }`,
    allowed: sees(['another member', 'their manager', 'coordinator']),
    granted: (a) => (a.data?.member?.passes ?? []).length > 0,
  },
  // Inès's Toulouse pass, sold by La Serre: the seller's managers know who they sold it to, but
  // where and when she used it are her visits.
  {
    name: 'Pass.holder',
    query: `query { pass(code: "DMVX-A3W0-KMQ4") { holder { id } } }`,
    allowed: sees(['another member', 'their manager', 'another manager', 'coordinator']),
    granted: (a) => !!a.data?.pass?.holder,
  },
  {
    name: 'Pass.redemptions',
    query: `query { pass(code: "DMVX-A3W0-KMQ4") { redemptions { id } } }`,
    allowed: sees(['another member', 'their manager', 'coordinator']),
    granted: (a) => (a.data?.pass?.redemptions ?? []).length > 0,
  },
  {
    name: 'Partner.subgraphUrl',
    query: `query { partner(slug: "cantine") { subgraphUrl } }`,
    allowed: sees(['coordinator']),
    granted: (a) => !!a.data?.partner?.subgraphUrl,
  },
  {
    name: 'settlement',
    query: `query { settlement(from: "2026-01-01", to: "2026-12-31") { csv } }`,
    allowed: sees(['coordinator']),
    granted: (a) => !!a.data?.settlement,
  },
  {
    name: 'updateSpace (cantine)',
    query: `mutation ($d: Int) { updateSpace(input: { id: "${CANTINE_SPACE}", desks: $d }) { space { desks } } }`,
    allowed: sees(['their manager', 'coordinator']),
    granted: (a) => !refused(a) && !!a.data?.updateSpace?.space,
  },
  {
    name: 'registerMember (cantine)',
    query: `mutation ($e: String!) { registerMember(input: { partner: "cantine", displayName: "Nouveau", email: $e }) { member { id } } }`,
    allowed: sees(['their manager', 'coordinator']),
    granted: (a) => !refused(a) && !!a.data?.registerMember?.member,
  },
  {
    name: 'updateMember (Thomas)',
    query: `mutation { updateMember(input: { id: "${THOMAS}", phone: "+33 6 00 00 00 00" }) { member { id } } }`,
    allowed: PRIVATE_READERS,
    granted: (a) => !refused(a) && !!a.data?.updateMember?.member,
  },
  {
    name: 'addMembership (Thomas at La Cantine)',
    query: `mutation ($e: String!) { addMembership(input: { memberId: "${THOMAS}", spaceId: "${CANTINE_SPACE}", plan: $e, since: "2030-01-01" }) { membership { id } error { code } } }`,
    allowed: sees(['their manager', 'coordinator']),
    granted: (a) => !refused(a) && !!a.data?.addMembership?.membership,
  },
  // One exact person, found at a front desk by their account's email: desk people only.
  {
    name: 'personForDesk (by email)',
    query: `query { personForDesk(email: "ines.benali@example.org") { id displayName } }`,
    allowed: sees(['their manager', 'another manager', 'coordinator']),
    granted: (a) => !!a.data?.personForDesk?.id,
  },
  {
    name: 'suspendPartner',
    query: `mutation { suspendPartner(slug: "laserre") { partner { status } } reactivatePartner(slug: "laserre") { partner { status } } }`,
    allowed: sees(['coordinator']),
    granted: (a) => !refused(a) && a.data?.reactivatePartner?.partner?.status === 'ACTIVE',
  },
  {
    name: 'redeemPass at La Cantine',
    query: `mutation ($k: String!, $at: DateTime!) { redeemPass(input: { code: "DMVX-A3W0-KMQ4", spaceId: "${CANTINE_SPACE}", startedAt: $at, minutes: 30, idempotencyKey: $k }) { redemption { id } error { code } } }`,
    allowed: sees(['their manager', 'coordinator']),
    granted: (a) => !refused(a) && a.data?.redeemPass !== undefined && a.data?.redeemPass !== null,
  },
  {
    name: 'Member.visits',
    query: member('visits { id }'),
    allowed: PRIVATE_READERS,
    granted: (a) => Array.isArray(a.data?.member?.visits) && a.data.member.visits.length > 0,
  },
  {
    name: 'Member.registrations',
    query: member('registrations { id }'),
    allowed: PRIVATE_READERS,
    granted: (a) => (a.data?.member?.registrations ?? []).length > 0,
  },
  {
    name: 'createEvent (cantine)',
    query: `mutation { createEvent(input: { spaceId: "${CANTINE_SPACE}", title: "Atelier", kind: WORKSHOP, startsAt: "2030-01-10T10:00:00+01:00", endsAt: "2030-01-10T11:00:00+01:00" }) { event { id } } }`,
    allowed: sees(['their manager', 'coordinator']),
    granted: (a) => !refused(a) && !!a.data?.createEvent?.event,
  },
  {
    name: 'checkIn (Thomas at La Cantine)',
    query: `mutation { checkIn(input: { memberId: "${THOMAS}", spaceId: "${CANTINE_SPACE}" }) { error { code } } }`,
    allowed: sees(['their manager', 'coordinator']),
    granted: (a) => !refused(a) && !!a.data?.checkIn,
  },
  {
    name: 'checkOut (Thomas)',
    query: `mutation { checkOut(input: { memberId: "${THOMAS}" }) { error { code } } }`,
    allowed: sees(['their manager', 'coordinator']),
    granted: (a) => !refused(a) && !!a.data?.checkOut,
  },
  // La Cantine's second seeded event, which nothing else in the matrix reads.
  {
    name: 'updateEvent (cantine)',
    query: `mutation { updateEvent(input: { id: "${CANTINE_EVENT}", title: "Atelier renommé" }) { error { code } } }`,
    allowed: sees(['their manager', 'coordinator']),
    granted: (a) => !refused(a) && !!a.data?.updateEvent,
  },
  {
    name: 'cancelEvent (cantine)',
    query: `mutation { cancelEvent(input: { id: "${CANTINE_EVENT}" }) { error { code } } }`,
    allowed: sees(['their manager', 'coordinator']),
    granted: (a) => !refused(a) && !!a.data?.cancelEvent,
  },
  {
    name: 'registerPartner',
    query: `mutation ($slug: String!, $e: String!) { registerPartner(input: { slug: $slug, name: $e, kind: ASSOCIATION, territory: "Sud", subgraphUrl: "http://127.0.0.1:9/" }) { error { code } } }`,
    allowed: sees(['coordinator']),
    granted: (a) => !refused(a) && !!a.data?.registerPartner,
  },
  {
    name: 'createPassProduct',
    query: `mutation { createPassProduct(input: { name: "Pass test", validAtSpaceIds: ["${CANTINE_SPACE}"], entries: 5, entryMinutes: 60, priceCents: 2500, validityDays: 30 }) { error { code } } }`,
    allowed: sees(['coordinator']),
    granted: (a) => !refused(a) && !!a.data?.createPassProduct,
  },
  // La Cantine's first seeded event, where the seed registers every cantine member: a member
  // sees their own registration, only managers and coordinators see the others'.
  {
    name: 'Event.registrations (of others)',
    query: `query { event(id: "cantine:event:2e3a5c7d-9f1b-4d3f-8b5c-7e9a1b3d5f29") { registrations { name } } }`,
    allowed: sees(['their manager', 'coordinator']),
    granted: (a) => (a.data?.event?.registrations ?? []).length > 1,
  },
  {
    name: 'updatePartner',
    query: `mutation { updatePartner(input: { slug: "laserre", territory: "Toulouse" }) { partner { territory } error { code } } }`,
    allowed: sees(['coordinator']),
    granted: (a) => !refused(a) && !!a.data?.updatePartner?.partner,
  },
  // La Serre sells the Toulouse pass: its managers and coordinators issue it, to Inès of La Cantine.
  {
    name: "issuePass (La Serre's product)",
    query: `mutation { issuePass(input: { productId: "pass-product:a307f1c5-b6e9-4cdf-b49b-b8e372a9edce", holderId: "${INES}" }) { pass { id } error { code } } }`,
    allowed: sees(['another manager', 'coordinator']),
    granted: (a) => !refused(a) && !!a.data?.issuePass?.pass,
  },
  {
    name: 'voidRedemption',
    query: `mutation { voidRedemption(input: { redemptionId: "redemption:00000000-0000-4000-8000-000000000000", reason: "test" }) { error { code } } }`,
    allowed: sees(['coordinator']),
    granted: (a) => !refused(a) && !!a.data?.voidRedemption,
  },
];

describe('who may read and write what, through the gateway', () => {
  let network: Awaited<ReturnType<typeof startSeededNetwork>>;
  beforeAll(async () => {
    network = await startSeededNetwork();
  });
  afterAll(() => network?.stop());

  it('grants each role exactly what it may see and do', async () => {
    const outcomes: string[] = [];
    for (const check of CHECKS) {
      for (const role of ROLES) {
        unique++;
        const variables = {
          ...check.variables,
          d: unique,
          e: `matrix${unique}@example.org`,
          k: `matrix-key-${unique}`,
          slug: `matrix-${unique}`,
          at: new Date().toISOString(),
        };
        const answer = await post(
          network.gateway.graphqlUrl,
          check.query,
          variables,
          await tokenOf(role),
        );
        const granted = check.granted(answer);
        outcomes.push(`${check.name} × ${role}: ${granted ? 'granted' : 'refused'}`);
        expect(granted, `${check.name} for ${role}: ${JSON.stringify(answer).slice(0, 300)}`).toBe(
          check.allowed[role],
        );
      }
    }
    console.log(
      `authorization matrix: ${CHECKS.length} fields and mutations × ${ROLES.length} roles = ${CHECKS.length * ROLES.length} cases`,
    );
    expect(outcomes).toHaveLength(CHECKS.length * ROLES.length);
  });
});
