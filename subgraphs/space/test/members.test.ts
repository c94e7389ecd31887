import type { Viewer } from '@tiers-lieux/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIn } from '../src/data/members.js';
import { createHarness, viewers, type Harness } from './harness.js';

const MEMBER = /* GraphQL */ `
  query ($id: ID!) {
    member(id: $id) {
      displayName
      email
      phone
      skills
      isInDirectory
      isCheckedIn
      memberships {
        plan
        isCurrent
        space {
          name
        }
      }
      visits {
        space {
          name
        }
      }
      registrations {
        status
      }
    }
  }
`;

describe('Member privacy', () => {
  let h: Harness;
  let listed: Awaited<ReturnType<Harness['seed']['member']>>;
  let unlisted: Awaited<ReturnType<Harness['seed']['member']>>;
  beforeAll(async () => {
    h = await createHarness({ partner: 'cantine' });
    const space = await h.seed.space({
      name: 'La Cantine',
      commune: 'Toulouse',
      inseeCode: '31555',
      department: '31',
      postalCode: '31000',
    });
    const event = await h.seed.event(space.id);
    const membership = { spaceId: space.id, plan: 'Mois', since: '2026-01-01', until: null };
    listed = await h.seed.member(
      {
        displayName: 'Inès Benali',
        email: 'ines@example.org',
        phone: '+33 6 00 00 00 01',
        skills: ['Design UX'],
        isInDirectory: true,
      },
      membership,
    );
    unlisted = await h.seed.member(
      {
        displayName: 'Thomas Garcia',
        email: 'thomas@example.org',
        phone: '+33 6 00 00 00 02',
        skills: ['Développement mobile'],
      },
      membership,
    );
    for (const m of [listed, unlisted]) {
      await checkIn(h.db, { memberId: m.id, spaceId: space.id, at: new Date() });
      await h.seed.registration(event.id, m.id);
    }
  });
  afterAll(() => h.close());

  const full = (m: typeof listed) => ({
    displayName: m.displayName,
    email: m.email,
    phone: m.phone,
    skills: m.skills,
    isInDirectory: m.isInDirectory,
    isCheckedIn: true,
    memberships: [{ plan: 'Mois', isCurrent: true, space: { name: 'La Cantine' } }],
    visits: [{ space: { name: 'La Cantine' } }],
    registrations: [{ status: 'CONFIRMED' }],
  });
  const publicOnly = (m: typeof listed) => ({
    displayName: m.displayName,
    email: null,
    phone: null,
    skills: m.skills,
    isInDirectory: true,
    isCheckedIn: null,
    memberships: [],
    visits: [],
    registrations: [],
  });

  it('shows private data only to the member, this partner’s managers and staff, and coordinators', async () => {
    const matrix: [string, () => Viewer, 'listed' | 'unlisted', 'full' | 'public' | 'hidden'][] = [
      ['anonymous', () => viewers.anonymous, 'listed', 'public'],
      ['anonymous', () => viewers.anonymous, 'unlisted', 'hidden'],
      ['the member', () => viewers.member(listed), 'listed', 'full'],
      ['the member', () => viewers.member(unlisted), 'unlisted', 'full'],
      ['another member', () => viewers.member(unlisted), 'listed', 'public'],
      ['another member', () => viewers.member(listed), 'unlisted', 'hidden'],
      [
        'a person who is no member here, whose uuid is a member id here',
        () => viewers.person(listed.id),
        'listed',
        'public',
      ],
      ['this partner’s staff', () => viewers.staff('cantine'), 'listed', 'full'],
      ['this partner’s staff', () => viewers.staff('cantine'), 'unlisted', 'full'],
      ['another partner’s staff', () => viewers.staff('laserre'), 'unlisted', 'hidden'],
      ['this partner’s manager', () => viewers.manager('cantine'), 'listed', 'full'],
      ['this partner’s manager', () => viewers.manager('cantine'), 'unlisted', 'full'],
      ['another partner’s manager', () => viewers.manager('laserre'), 'listed', 'public'],
      ['another partner’s manager', () => viewers.manager('laserre'), 'unlisted', 'hidden'],
      ['a coordinator', () => viewers.coordinator, 'listed', 'full'],
      ['a coordinator', () => viewers.coordinator, 'unlisted', 'full'],
    ];
    for (const [who, viewer, target, expected] of matrix) {
      const member = target === 'listed' ? listed : unlisted;
      const result = await h.execute(MEMBER, { id: member.publicId }, { viewer: viewer() });
      const want =
        expected === 'full' ? full(member) : expected === 'public' ? publicOnly(member) : null;
      expect(result, `${who} reading the ${target} member`).toEqual({ data: { member: want } });
    }
    console.log(`member privacy matrix: ${matrix.length} viewer × member cases`);
  });

  it('lists only directory members to those who may not see everyone, and filters by skill ignoring accents', async () => {
    const query = /* GraphQL */ `
      query ($filter: MemberFilter) {
        members(filter: $filter) {
          totalCount
          edges {
            node {
              displayName
              email
            }
          }
        }
      }
    `;
    expect(await h.execute(query, {})).toEqual({
      data: {
        members: { totalCount: 1, edges: [{ node: { displayName: 'Inès Benali', email: null } }] },
      },
    });
    const asManager = await h.execute(
      query,
      { filter: { skills: ['developpement MOBILE'] } },
      { viewer: viewers.manager('cantine') },
    );
    expect(asManager).toEqual({
      data: {
        members: {
          totalCount: 1,
          edges: [{ node: { displayName: 'Thomas Garcia', email: 'thomas@example.org' } }],
        },
      },
    });
    expect(
      (await h.execute(query, { filter: { skills: ['développement mobile'] } })).data!.members
        .totalCount,
    ).toBe(0);
    expect((await h.execute(query, { filter: { text: 'ines' } })).data!.members.totalCount).toBe(1);
  });

  it('shows a space’s members in full to managers and only directory members to others', async () => {
    const query = `query { spaces { edges { node { members { displayName } } } } }`;
    const anonymous = await h.execute(query);
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data!.spaces.edges[0].node.members).toEqual([{ displayName: 'Inès Benali' }]);
    expect(
      (await h.execute(query, {}, { viewer: viewers.coordinator })).data!.spaces.edges[0].node
        .members,
    ).toEqual([{ displayName: 'Inès Benali' }, { displayName: 'Thomas Garcia' }]);
  });
});
