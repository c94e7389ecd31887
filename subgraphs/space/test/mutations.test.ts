import type { Viewer } from '@tiers-lieux/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, viewers, type Harness } from './harness.js';

const manager = viewers.manager('baronnies');

const CREATE_SPACE = /* GraphQL */ `
  mutation ($input: CreateSpaceInput!) {
    createSpace(input: $input) {
      space {
        id
        name
        openingHours
        kinds
        address {
          commune
          inseeCode
          department
        }
        offers {
          kind
          entries
          entryMinutes
          price {
            amountCents
          }
        }
      }
      error {
        code
        message
        field
      }
    }
  }
`;

const serres = {
  partner: 'baronnies',
  name: 'La Serre',
  kinds: ['COWORKING'],
  address: { postalCode: '05700', commune: 'Serres', inseeCode: '05166', department: '05' },
  location: { lat: 44.4286, lon: 5.7161 },
  openingHours: 'Mo,Tu 09:00-17:00; Th 14:00-17:00',
  offers: [
    {
      kind: 'MULTI_ENTRY_CARD',
      label: 'Carte 10 entrées',
      priceCents: 5000,
      entries: 10,
      entryMinutes: 180,
    },
  ],
};

describe('space mutations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ partner: 'baronnies' });
  });
  afterAll(() => h.close());

  it('creates a space with validated hours and a multi-entry card', async () => {
    const result = await h.execute(CREATE_SPACE, { input: serres }, { viewer: manager });
    expect(result.data!.createSpace.error).toBeNull();
    expect(result.data!.createSpace.space).toMatchObject({
      name: 'La Serre',
      openingHours: 'Mo,Tu 09:00-17:00; Th 14:00-17:00',
      address: { commune: 'Serres', inseeCode: '05166', department: '05' },
      offers: [
        { kind: 'MULTI_ENTRY_CARD', entries: 10, entryMinutes: 180, price: { amountCents: 5000 } },
      ],
    });
    expect(result.data!.createSpace.space.id).toMatch(/^baronnies:space:[0-9a-f-]{36}$/);
  });

  it('rejects malformed hours with the parser’s message and changes nothing', async () => {
    const before = await h.snapshot();
    const result = await h.execute(
      CREATE_SPACE,
      { input: { ...serres, openingHours: 'Mo-Fr 25:00-26:00' } },
      { viewer: manager },
    );
    expect(result.data!.createSpace.space).toBeNull();
    expect(result.data!.createSpace.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'input.openingHours',
    });
    expect(result.data!.createSpace.error.message).toBe(
      'input.openingHours is not valid opening_hours: Mo-Fr 25:00 <--- (Time range starts outside of the current day)',
    );
    expect(await h.snapshot()).toEqual(before);
  });

  it('refuses to create a space for another partner', async () => {
    const result = await h.execute(
      CREATE_SPACE,
      { input: { ...serres, partner: 'cantine' } },
      { viewer: viewers.coordinator },
    );
    expect(result.data!.createSpace).toEqual({
      space: null,
      error: {
        code: 'WRONG_PARTNER',
        message: 'This is the subgraph of baronnies, not of cantine',
        field: 'input.partner',
      },
    });
  });

  it('stores hours in the canonical OSM form', async () => {
    const result = await h.execute(
      CREATE_SPACE,
      { input: { ...serres, name: 'Canonical', openingHours: 'mo-fr 9:00-18:00' } },
      { viewer: manager },
    );
    expect(result.data!.createSpace.space.openingHours).toBe('Mo-Fr 09:00-18:00');
  });

  it('rejects every kind of bad space input with a coded UserError and changes nothing', async () => {
    const before = await h.snapshot();
    const bad: [string, Record<string, unknown>][] = [
      ['input.name', { name: '   ' }],
      ['input.name', { name: 'A\u0000B' }],
      ['input.kinds', { kinds: [] }],
      ['input.address.postalCode', { address: { ...serres.address, postalCode: '5700' } }],
      ['input.address.inseeCode', { address: { ...serres.address, inseeCode: '31555' } }],
      ['input.location.lat', { location: { lat: 91, lon: 5 } }],
      ['input.desks', { desks: -1 }],
      ['input.website', { website: 'javascript:alert(1)' }],
      [
        'input.offers.0',
        { offers: [{ kind: 'MULTI_ENTRY_CARD', label: 'Carte', priceCents: 5000 }] },
      ],
      ['input.offers.0.priceCents', { offers: [{ kind: 'DAY', label: 'Jour', priceCents: -5 }] }],
    ];
    for (const [field, change] of bad) {
      const result = await h.execute(
        CREATE_SPACE,
        { input: { ...serres, ...change } },
        { viewer: manager },
      );
      expect(result.data?.createSpace, field).toMatchObject({
        space: null,
        error: { code: 'INVALID_INPUT', field },
      });
    }
    expect(await h.snapshot()).toEqual(before);
  });

  it('lets only this partner’s managers and coordinators write', async () => {
    const cases = [
      [viewers.anonymous, 'UNAUTHENTICATED'],
      [viewers.manager('cantine'), 'FORBIDDEN'],
      [viewers.person('00000000-0000-4000-8000-000000000000'), 'FORBIDDEN'],
      [viewers.staff('baronnies'), 'FORBIDDEN'],
    ] as const;
    for (const [viewer, code] of cases) {
      const result = await h.execute(CREATE_SPACE, { input: serres }, { viewer });
      expect(result.errors?.[0]?.extensions?.code).toBe(code);
      expect(result.data).toBeNull();
    }
    const asCoordinator = await h.execute(
      CREATE_SPACE,
      { input: { ...serres, name: 'Coordinated' } },
      { viewer: viewers.coordinator },
    );
    expect(asCoordinator.data!.createSpace.error).toBeNull();
  });

  it('updates a space, keeps omitted fields and answers UNKNOWN_SPACE for another partner’s id', async () => {
    const space = await h.seed.space({ name: 'Les Tuves', openingHours: 'Mo-Fr 09:00-18:00' });
    const update = /* GraphQL */ `
      mutation ($input: UpdateSpaceInput!) {
        updateSpace(input: $input) {
          space {
            name
            openingHours
            desks
          }
          error {
            code
            field
          }
        }
      }
    `;
    const result = await h.execute(
      update,
      { input: { id: space.publicId, desks: 8 } },
      { viewer: manager },
    );
    expect(result).toEqual({
      data: {
        updateSpace: {
          space: { name: 'Les Tuves', openingHours: 'Mo-Fr 09:00-18:00', desks: 8 },
          error: null,
        },
      },
    });
    const elsewhere = await h.execute(
      update,
      { input: { id: `cantine:space:${space.id}`, desks: 1 } },
      { viewer: manager },
    );
    expect(elsewhere).toEqual({
      data: { updateSpace: { space: null, error: { code: 'UNKNOWN_SPACE', field: 'input.id' } } },
    });
    const malformed = await h.execute(
      update,
      { input: { id: 'baronnies:space:42', desks: 1 } },
      { viewer: manager },
    );
    expect(malformed).toEqual({
      data: { updateSpace: { space: null, error: { code: 'INVALID_INPUT', field: 'input.id' } } },
    });
  });
});

describe('event, registration, member and visit mutations', () => {
  let h: Harness;
  let spaceId: string;
  beforeAll(async () => {
    h = await createHarness({ partner: 'baronnies' });
    spaceId = (await h.seed.space({ name: 'La Serre' })).publicId;
  });
  afterAll(() => h.close());

  const CREATE_EVENT = /* GraphQL */ `
    mutation ($input: CreateEventInput!) {
      createEvent(input: $input) {
        event {
          id
          title
          capacity
          seatsLeft
          startsAt
        }
        error {
          code
          field
        }
      }
    }
  `;
  const REGISTER = /* GraphQL */ `
    mutation ($input: RegisterForEventInput!) {
      registerForEvent(input: $input) {
        registration {
          id
          name
          status
          waitingPosition
        }
        error {
          code
        }
      }
    }
  `;
  const CANCEL = /* GraphQL */ `
    mutation ($input: CancelRegistrationInput!) {
      cancelRegistration(input: $input) {
        registration {
          status
        }
        promoted {
          name
          status
        }
        error {
          code
        }
      }
    }
  `;

  async function event(capacity: number) {
    const result = await h.execute(
      CREATE_EVENT,
      {
        input: {
          spaceId,
          title: 'Réunion d’information',
          kind: 'INFORMATION_MEETING',
          startsAt: '2031-01-14T14:30:00+01:00',
          endsAt: '2031-01-14T15:30:00+01:00',
          capacity,
        },
      },
      { viewer: manager },
    );
    expect(result.data!.createEvent.error).toBeNull();
    return result.data!.createEvent.event;
  }

  it('creates an event and rejects one that ends before it starts', async () => {
    const created = await event(2);
    expect(created).toMatchObject({
      capacity: 2,
      seatsLeft: 2,
      startsAt: '2031-01-14T14:30:00+01:00',
    });
    const bad = await h.execute(
      CREATE_EVENT,
      {
        input: {
          spaceId,
          title: 'À l’envers',
          kind: 'OTHER',
          startsAt: '2031-01-14T15:00:00+01:00',
          endsAt: '2031-01-14T14:00:00+01:00',
        },
      },
      { viewer: manager },
    );
    expect(bad).toEqual({
      data: {
        createEvent: { event: null, error: { code: 'INVALID_INPUT', field: 'input.endsAt' } },
      },
    });
  });

  it('fills seats, then the waiting list, and promotes the first waiting on cancellation', async () => {
    const { id: eventId } = await event(1);
    const guest = (name: string) => ({
      eventId,
      guest: { name, email: `${name.toLowerCase()}@example.org` },
    });
    const first = await h.execute(REGISTER, { input: guest('Alice') }, { viewer: manager });
    const second = await h.execute(REGISTER, { input: guest('Bruno') }, { viewer: manager });
    const third = await h.execute(REGISTER, { input: guest('Chloé') }, { viewer: manager });
    expect(first.data!.registerForEvent.registration).toMatchObject({
      name: 'Alice',
      status: 'CONFIRMED',
    });
    expect(second.data!.registerForEvent.registration).toMatchObject({
      name: 'Bruno',
      status: 'WAITING',
      waitingPosition: 1,
    });
    expect(third.data!.registerForEvent.registration).toMatchObject({
      name: 'Chloé',
      status: 'WAITING',
      waitingPosition: 2,
    });
    const again = await h.execute(REGISTER, { input: guest('Alice') }, { viewer: manager });
    expect(again.data!.registerForEvent).toEqual({
      registration: null,
      error: { code: 'ALREADY_REGISTERED' },
    });

    const cancelled = await h.execute(
      CANCEL,
      { input: { id: first.data!.registerForEvent.registration.id } },
      { viewer: manager },
    );
    expect(cancelled.data!.cancelRegistration).toEqual({
      registration: { status: 'CANCELLED' },
      promoted: { name: 'Bruno', status: 'PENDING' },
      error: null,
    });
    const twice = await h.execute(
      CANCEL,
      { input: { id: first.data!.registerForEvent.registration.id } },
      { viewer: manager },
    );
    expect(twice.data!.cancelRegistration.error).toEqual({ code: 'ALREADY_CANCELLED' });
  });

  it('does not tell a member cancelling their own seat who was promoted, yet promotes', async () => {
    const alice = await h.seed.member({ displayName: 'Alice' });
    const bruno = await h.seed.member({ displayName: 'Bruno' });
    const { id: eventId } = await event(1);
    const asAlice = { viewer: viewers.member(alice) };
    const own = await h.execute(
      REGISTER,
      { input: { eventId, memberId: alice.publicId } },
      asAlice,
    );
    await h.execute(
      REGISTER,
      { input: { eventId, memberId: bruno.publicId } },
      { viewer: manager },
    );
    const cancelled = await h.execute(
      CANCEL,
      { input: { id: own.data!.registerForEvent.registration.id } },
      asAlice,
    );
    expect(cancelled.data!.cancelRegistration).toEqual({
      registration: { status: 'CANCELLED' },
      promoted: null,
      error: null,
    });
    const seats = await h.execute(
      `query ($id: ID!) { event(id: $id) { seatsLeft waitingListLength registrations { name status } } }`,
      { id: eventId },
      { viewer: manager },
    );
    expect(seats.data!.event).toEqual({
      seatsLeft: 0,
      waitingListLength: 0,
      registrations: expect.arrayContaining([{ name: 'Bruno', status: 'PENDING' }]),
    });
  });

  it('lets a member register themselves but not someone else, and refuses a cancelled event', async () => {
    const alice = await h.seed.member({ displayName: 'Alice' });
    const bruno = await h.seed.member({ displayName: 'Bruno' });
    const { id: eventId } = await event(5);
    const self = await h.execute(
      REGISTER,
      { input: { eventId, memberId: alice.publicId } },
      { viewer: viewers.member(alice) },
    );
    expect(self.data!.registerForEvent.registration).toMatchObject({
      name: 'Alice',
      status: 'CONFIRMED',
    });
    const other = await h.execute(
      REGISTER,
      { input: { eventId, memberId: bruno.publicId } },
      { viewer: viewers.member(alice) },
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await h.execute(
      `mutation ($id: ID!) { cancelEvent(input: { id: $id }) { event { status } } }`,
      { id: eventId },
      { viewer: manager },
    );
    const closed = await h.execute(
      REGISTER,
      { input: { eventId, memberId: bruno.publicId } },
      { viewer: manager },
    );
    expect(closed.data!.registerForEvent).toEqual({
      registration: null,
      error: { code: 'EVENT_CLOSED' },
    });
    const unknown = await h.execute(
      REGISTER,
      {
        input: {
          eventId: 'baronnies:event:00000000-0000-4000-8000-000000000000',
          memberId: bruno.publicId,
        },
      },
      { viewer: manager },
    );
    expect(unknown.data!.registerForEvent).toEqual({
      registration: null,
      error: { code: 'UNKNOWN_EVENT' },
    });
  });

  it('lets anyone register themselves as a guest before the start, answering by mail', async () => {
    const events = await Promise.all([1, 1, 1, 1, 1, 1].map((capacity) => event(capacity)));
    const self = (eventId: string, name = 'Zoé') => ({
      eventId,
      guest: { name, email: 'Zoe@Example.org' },
    });
    // The answer is the same whether the address is new, registered already or over the
    // limit: what applies is in the mail (guest-registrations.test.ts reads them).
    for (const e of [events[0], events[0], ...events.slice(1)]) {
      const answer = await h.execute(REGISTER, { input: self(e.id) });
      expect(answer.data!.registerForEvent).toEqual({ registration: null, error: null });
    }
    const byManager = await h.execute(REGISTER, { input: self(events[5].id) }, { viewer: manager });
    expect(byManager.data!.registerForEvent.error).toEqual({ code: 'ALREADY_REGISTERED' });

    const started = new Date('2031-01-14T14:45:00+01:00');
    const late = await h.execute(
      REGISTER,
      { input: { eventId: events[1].id, guest: { name: 'Xavier', email: 'x@example.org' } } },
      { now: started },
    );
    expect(late.data!.registerForEvent.error).toEqual({ code: 'EVENT_CLOSED' });
    const lateByManager = await h.execute(
      REGISTER,
      { input: { eventId: events[1].id, guest: { name: 'Xavier', email: 'x@example.org' } } },
      { viewer: manager, now: started },
    );
    expect(lateByManager.data!.registerForEvent.error).toBeNull();
  });

  it('registers and updates members, with a unique email', async () => {
    const register = /* GraphQL */ `
      mutation ($input: RegisterMemberInput!) {
        registerMember(input: $input) {
          member {
            displayName
            email
            skills
            memberships {
              plan
            }
          }
          error {
            code
            field
          }
        }
      }
    `;
    const input = {
      partner: 'baronnies',
      displayName: 'Serge',
      email: 'Serge@Example.org',
      skills: ['Tiers-lieux'],
      membership: { spaceId, plan: 'Carte 10 entrées', since: '2026-11-01' },
    };
    const created = await h.execute(register, { input }, { viewer: manager });
    expect(created).toEqual({
      data: {
        registerMember: {
          member: {
            displayName: 'Serge',
            email: 'serge@example.org',
            skills: ['Tiers-lieux'],
            memberships: [{ plan: 'Carte 10 entrées' }],
          },
          error: null,
        },
      },
    });
    const duplicate = await h.execute(
      register,
      { input: { ...input, email: 'serge@example.org' } },
      { viewer: manager },
    );
    expect(duplicate).toEqual({
      data: {
        registerMember: { member: null, error: { code: 'EMAIL_TAKEN', field: 'input.email' } },
      },
    });
    const badDate = await h.execute(
      register,
      {
        input: {
          ...input,
          email: 'x@example.org',
          membership: { ...input.membership, since: '2026-02-30' },
        },
      },
      { viewer: manager },
    );
    expect(badDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('adds a membership to an existing member, once per plan and period, at this partner only', async () => {
    const ADD = /* GraphQL */ `
      mutation ($input: AddMembershipInput!) {
        addMembership(input: $input) {
          membership {
            plan
            since
            until
            space {
              id
            }
          }
          member {
            memberships {
              plan
              space {
                id
              }
            }
          }
          error {
            code
            field
          }
        }
      }
    `;
    const registered = await h.execute(
      `mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { member { id } } }`,
      {
        input: {
          partner: 'baronnies',
          displayName: 'Nadia',
          email: 'nadia@example.org',
          membership: { spaceId, plan: 'mois', since: '2026-11-01' },
        },
      },
      { viewer: manager },
    );
    const memberId = registered.data!.registerMember.member.id as string;
    const other = (await h.seed.space({ name: 'La Grange' })).publicId;
    const staff = viewers.staff('baronnies');
    const add = (input: Record<string, unknown>, viewer: Viewer = staff) =>
      h.execute(
        ADD,
        { input: { memberId, plan: 'mois', since: '2026-12-01', ...input } },
        { viewer },
      );
    const refusal = async (input: Record<string, unknown>) =>
      (await add(input)).data!.addMembership;

    const added = (await add({ spaceId: other, until: '2027-05-31' })).data!.addMembership;
    expect(added.error).toBeNull();
    expect(added.membership).toEqual({
      plan: 'mois',
      since: '2026-12-01',
      until: '2027-05-31',
      space: { id: other },
    });
    expect(
      added.member.memberships.map((m: { space: { id: string } }) => m.space.id).sort(),
    ).toEqual([spaceId, other].sort());

    // The same plan of the same space over an overlapping period, even open-ended.
    expect(await refusal({ spaceId, since: '2027-03-01' })).toEqual({
      membership: null,
      member: null,
      error: { code: 'ALREADY_MEMBER', field: 'input.plan' },
    });
    expect((await refusal({ spaceId: other, since: '2027-05-31' })).error?.code).toBe(
      'ALREADY_MEMBER',
    );
    // Another plan of the same space, or the same plan after the period, is another membership.
    expect((await refusal({ spaceId: other, since: '2027-06-01' })).error).toBeNull();
    expect((await refusal({ spaceId, plan: 'carte 10 entrées' })).error).toBeNull();

    const wrong = [
      [
        { spaceId: 'cantine:space:0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a12' },
        'WRONG_PARTNER',
        'input.spaceId',
      ],
      [
        { spaceId: 'baronnies:space:0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a12' },
        'UNKNOWN_SPACE',
        'input.spaceId',
      ],
      [
        { spaceId, memberId: 'baronnies:member:0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a12' },
        'UNKNOWN_MEMBER',
        'input.memberId',
      ],
      [
        { spaceId, memberId: 'cantine:member:0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a12' },
        'UNKNOWN_MEMBER',
        'input.memberId',
      ],
      [{ spaceId: other, since: '2028-01-01', plan: ' ' }, 'INVALID_INPUT', 'input.plan'],
      [
        { spaceId: other, since: '2028-01-01', until: '2027-01-01' },
        'INVALID_INPUT',
        'input.until',
      ],
    ] as const;
    for (const [input, code, field] of wrong)
      expect((await refusal(input)).error, code).toEqual({ code, field });

    // Two adds of the same membership at once: one is added, the other refused.
    const both = await Promise.all([
      add({ spaceId: other, plan: 'semaine', since: '2029-01-01' }),
      add({ spaceId: other, plan: 'semaine', since: '2029-01-01' }),
    ]);
    expect(both.map((r) => r.data!.addMembership.error?.code ?? 'ok').sort()).toEqual([
      'ALREADY_MEMBER',
      'ok',
    ]);

    for (const viewer of [
      viewers.person('0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a12'),
      viewers.manager('cantine'),
    ])
      expect(
        (await add({ spaceId: other, since: '2030-01-01' }, viewer)).errors?.[0]?.extensions?.code,
      ).toBe('FORBIDDEN');
    expect(
      (await add({ spaceId: other, since: '2030-01-01' }, viewers.anonymous)).errors?.[0]
        ?.extensions?.code,
    ).toBe('UNAUTHENTICATED');
  });

  it('checks a member in and out, once at a time, and counts occupancy', async () => {
    const member = await h.seed.member();
    const checkIn = `mutation ($m: ID!, $s: ID!) { checkIn(input: { memberId: $m, spaceId: $s }) { visit { checkedOutAt space { occupancy } } error { code } } }`;
    const checkOut = `mutation ($m: ID!) { checkOut(input: { memberId: $m }) { visit { checkedOutAt } error { code } } }`;
    const first = await h.execute(checkIn, { m: member.publicId, s: spaceId }, { viewer: manager });
    expect(first).toEqual({
      data: { checkIn: { visit: { checkedOutAt: null, space: { occupancy: 1 } }, error: null } },
    });
    const twice = await h.execute(checkIn, { m: member.publicId, s: spaceId }, { viewer: manager });
    expect(twice).toEqual({
      data: { checkIn: { visit: null, error: { code: 'ALREADY_CHECKED_IN' } } },
    });
    const out = await h.execute(checkOut, { m: member.publicId }, { viewer: manager });
    expect(out.data!.checkOut.visit.checkedOutAt).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/,
    );
    const outAgain = await h.execute(checkOut, { m: member.publicId }, { viewer: manager });
    expect(outAgain).toEqual({
      data: { checkOut: { visit: null, error: { code: 'NOT_CHECKED_IN' } } },
    });
  });
});
