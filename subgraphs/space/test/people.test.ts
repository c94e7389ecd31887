import { randomUUID } from 'node:crypto';
import {
  generateViewerKeys,
  signViewer,
  VIEWER_HEADER,
  type BoundRequest,
  type Viewer,
} from '@tiers-lieux/schema';
import { testEngines } from '@tiers-lieux/schema/testkit';
import { personViewer, serveOnLoopback } from '@tiers-lieux/subgraph-shell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_PEOPLE, seededPersonId } from '@tiers-lieux/schema/seed-people';
import { createServer } from '../src/server.js';
import { seedPartner } from '../src/seed/index.js';
import { createHarness, viewers, type Harness } from './harness.js';

const PARTNER = 'laserre';
const personId = (uuid: string) => `network:person:${uuid}`;

const PERSON = /* GraphQL */ `
  query ($representations: [_Any!]!, $when: RegistrationWhen) {
    _entities(representations: $representations) {
      ... on Person {
        id
        memberships {
          id
          displayName
        }
        registrations(when: $when) {
          name
          status
          event {
            title
          }
          member {
            id
          }
          person {
            id
          }
        }
        visits {
          kind
          passId
          checkedOutAt
          person {
            id
          }
          space {
            name
          }
        }
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
        member {
          id
        }
        person {
          id
        }
      }
      error {
        code
        field
      }
    }
  }
`;

const CANCEL = /* GraphQL */ `
  mutation ($id: ID!) {
    cancelRegistration(input: { id: $id }) {
      registration {
        status
      }
      promoted {
        name
      }
      error {
        code
      }
    }
  }
`;

const CHECK_IN_VISITOR = /* GraphQL */ `
  mutation ($input: CheckInVisitorInput!) {
    checkInVisitor(input: $input) {
      visit {
        id
        kind
        passId
        person {
          id
        }
        space {
          occupancy
        }
      }
      error {
        code
        field
      }
    }
  }
`;

const UPDATE_MY_PROFILE = /* GraphQL */ `
  mutation ($input: UpdateMyMemberProfileInput!) {
    updateMyMemberProfile(input: $input) {
      member {
        displayName
        phone
        skills
        directorySkills
        isInDirectory
      }
      error {
        code
        field
      }
    }
  }
`;

const ERASE = /* GraphQL */ `
  mutation ($partner: String!) {
    eraseMyData(partner: $partner) {
      erasedMembers
      erasedRegistrations
      unlinkedVisits
      error {
        code
      }
    }
  }
`;

describe('people of the network at a partner', () => {
  let h: Harness;
  let space: Awaited<ReturnType<Harness['seed']['space']>>;
  beforeAll(async () => {
    h = await createHarness({ partner: PARTNER });
    space = await h.seed.space({ name: 'La Serre' });
  });
  afterAll(() => h?.close());

  const person = (uuid: string, viewer: Viewer, when?: string) =>
    h.execute(
      PERSON,
      { representations: [{ __typename: 'Person', id: personId(uuid) }], when },
      { viewer },
    );

  it('links a member to their person, shown to the person and the front desk only', async () => {
    const ines = await h.seed.member({ displayName: 'Inès Benali', isInDirectory: true });
    const query = `query ($id: ID!) { member(id: $id) { displayName person { id } } }`;
    const asks = async (viewer: Viewer) =>
      (await h.execute(query, { id: ines.publicId }, { viewer })).data?.member;
    const linked = { displayName: 'Inès Benali', person: { id: personId(ines.personId!) } };
    expect(await asks(viewers.member(ines))).toEqual(linked);
    expect(await asks(viewers.staff(PARTNER))).toEqual(linked);
    expect(await asks(viewers.manager(PARTNER))).toEqual(linked);
    expect(await asks(viewers.coordinator)).toEqual(linked);
    expect(await asks(viewers.anonymous)).toEqual({ displayName: 'Inès Benali', person: null });
    expect(await asks(viewers.staff('cantine'))).toEqual({
      displayName: 'Inès Benali',
      person: null,
    });
  });

  it('answers for a person only this partner’s rows, to the person, the desk and coordinators', async () => {
    const member = await h.seed.member({ displayName: 'Julien Morel' });
    const past = await h.seed.event(space.id, {
      title: 'Atelier passé',
      startsAt: new Date(Date.now() - 3 * 86_400_000),
    });
    const upcoming = await h.seed.event(space.id, { title: 'Soirée de lancement' });
    // Registered while the past event was still ahead.
    await h.seed.registration(past.id, member.id, new Date(Date.now() - 4 * 86_400_000));
    await h.seed.registration(upcoming.id, member.id);
    const theirs = {
      id: personId(member.personId!),
      memberships: [{ id: member.publicId, displayName: 'Julien Morel' }],
      registrations: [
        {
          name: 'Julien Morel',
          status: 'CONFIRMED',
          event: { title: 'Atelier passé' },
          member: { id: member.publicId },
          person: null,
        },
        {
          name: 'Julien Morel',
          status: 'CONFIRMED',
          event: { title: 'Soirée de lancement' },
          member: { id: member.publicId },
          person: null,
        },
      ],
      visits: [],
    };
    for (const viewer of [
      viewers.member(member),
      viewers.staff(PARTNER),
      viewers.manager(PARTNER),
      viewers.coordinator,
    ]) {
      expect(await person(member.personId!, viewer)).toEqual({ data: { _entities: [theirs] } });
    }
    const nothing = { ...theirs, memberships: [], registrations: [], visits: [] };
    for (const viewer of [
      viewers.anonymous,
      viewers.person(randomUUID()),
      viewers.manager('cantine'),
      viewers.staff('cantine'),
    ]) {
      expect(await person(member.personId!, viewer)).toEqual({ data: { _entities: [nothing] } });
    }
    const upcomingOnly = await person(member.personId!, viewers.member(member), 'UPCOMING');
    expect(upcomingOnly.data!._entities[0].registrations.map((r: any) => r.event.title)).toEqual([
      'Soirée de lancement',
    ]);
    const pastOnly = await person(member.personId!, viewers.member(member), 'PAST');
    expect(pastOnly.data!._entities[0].registrations.map((r: any) => r.event.title)).toEqual([
      'Atelier passé',
    ]);
    expect(
      await h.execute(
        PERSON,
        { representations: [{ __typename: 'Person', id: 'cantine:member:' + member.id }] },
        { viewer: viewers.coordinator },
      ),
    ).toEqual({ data: { _entities: [null] } });
  });

  it('registers a signed-in person as themselves: through their member record, else as a person', async () => {
    const event = await h.seed.event(space.id, { title: 'Réunion d’information', capacity: 1 });
    const member = await h.seed.member({ displayName: 'Anne-Marie Fontaine' });
    const visitor = randomUUID();
    const asMember = await h.execute(
      REGISTER,
      { input: { eventId: event.publicId } },
      { viewer: viewers.member(member) },
    );
    expect(asMember.data!.registerForEvent).toMatchObject({
      registration: {
        name: 'Anne-Marie Fontaine',
        status: 'CONFIRMED',
        member: { id: member.publicId },
        person: null,
      },
      error: null,
    });
    expect(
      await h.execute(
        REGISTER,
        { input: { eventId: event.publicId } },
        { viewer: personViewer(visitor) },
      ),
    ).toEqual({
      data: {
        registerForEvent: {
          registration: null,
          error: { code: 'INVALID_INPUT', field: 'input.displayName' },
        },
      },
    });
    const asPerson = await h.execute(
      REGISTER,
      { input: { eventId: event.publicId, displayName: '  Camille Roux ' } },
      { viewer: personViewer(visitor) },
    );
    expect(asPerson.data!.registerForEvent).toMatchObject({
      registration: {
        name: 'Camille Roux',
        status: 'WAITING',
        member: null,
        person: { id: personId(visitor) },
      },
      error: null,
    });
    expect(
      (
        await h.execute(
          REGISTER,
          { input: { eventId: event.publicId, displayName: 'Camille Roux' } },
          { viewer: personViewer(visitor) },
        )
      ).data!.registerForEvent.error,
    ).toEqual({ code: 'ALREADY_REGISTERED', field: null });
    const anonymous = await h.execute(REGISTER, { input: { eventId: event.publicId } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const gateway = await h.execute(
      REGISTER,
      { input: { eventId: event.publicId, displayName: 'La passerelle' } },
      { viewer: { kind: 'gateway' } },
    );
    expect(gateway.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const registrations = (await person(visitor, personViewer(visitor))).data!._entities[0]
      .registrations;
    expect(registrations).toEqual([
      {
        name: 'Camille Roux',
        status: 'WAITING',
        event: { title: 'Réunion d’information' },
        member: null,
        person: { id: personId(visitor) },
      },
    ]);

    const theirs = asPerson.data!.registerForEvent.registration.id;
    const someoneElse = await h.execute(
      CANCEL,
      { id: theirs },
      { viewer: viewers.person(randomUUID()) },
    );
    expect(someoneElse.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // The member cancels their seat: the person waiting gets it, and the member is not told who.
    expect(
      await h.execute(
        CANCEL,
        { id: asMember.data!.registerForEvent.registration.id },
        { viewer: viewers.member(member) },
      ),
    ).toEqual({
      data: {
        cancelRegistration: { registration: { status: 'CANCELLED' }, promoted: null, error: null },
      },
    });
    expect(await h.execute(CANCEL, { id: theirs }, { viewer: personViewer(visitor) })).toEqual({
      data: {
        cancelRegistration: { registration: { status: 'CANCELLED' }, promoted: null, error: null },
      },
    });
  });

  it('checks a visitor from the network in at the front desk, counted and shown to them', async () => {
    const desk = viewers.staff(PARTNER);
    const visitor = randomUUID();
    const pass = `pass:${randomUUID()}`;
    const room = await h.seed.space({ name: 'La Serre, atelier' });
    const input = { spaceId: room.publicId, personId: personId(visitor), passId: pass };
    for (const [viewer, code] of [
      [viewers.anonymous, 'UNAUTHENTICATED'],
      [personViewer(visitor), 'FORBIDDEN'],
      [viewers.staff('cantine'), 'FORBIDDEN'],
    ] as const) {
      const refused = await h.execute(CHECK_IN_VISITOR, { input }, { viewer });
      expect(refused.errors?.[0]?.extensions?.code).toBe(code);
    }
    expect(
      (
        await h.execute(
          CHECK_IN_VISITOR,
          { input: { ...input, passId: 'ABC-123' } },
          { viewer: desk },
        )
      ).data!.checkInVisitor.error,
    ).toEqual({ code: 'INVALID_INPUT', field: 'input.passId' });

    const arrived = await h.execute(CHECK_IN_VISITOR, { input }, { viewer: desk });
    expect(arrived.data!.checkInVisitor).toEqual({
      visit: {
        id: expect.stringMatching(/^laserre:visit:/),
        kind: 'NETWORK_VISITOR',
        passId: pass,
        person: { id: personId(visitor) },
        space: { occupancy: 1 },
      },
      error: null,
    });
    expect(
      (await h.execute(CHECK_IN_VISITOR, { input }, { viewer: desk })).data!.checkInVisitor.error,
    ).toEqual({ code: 'ALREADY_CHECKED_IN', field: null });

    const member = await h.seed.member({ displayName: 'Thierry Vallée' });
    const asMember = await h.execute(
      CHECK_IN_VISITOR,
      { input: { spaceId: room.publicId, personId: personId(member.personId!) } },
      { viewer: desk },
    );
    expect(asMember.data!.checkInVisitor.visit).toMatchObject({
      kind: 'MEMBER',
      passId: null,
      person: null,
      space: { occupancy: 2 },
    });

    const leave = `mutation ($input: CheckOutInput!) { checkOut(input: $input) { visit { checkedOutAt } error { code } } }`;
    const left = await h.execute(
      leave,
      { input: { visitId: arrived.data!.checkInVisitor.visit.id } },
      { viewer: desk },
    );
    expect(left.data!.checkOut.error).toBeNull();
    expect(
      (
        await h.execute(
          leave,
          { input: { memberId: member.publicId, visitId: arrived.data!.checkInVisitor.visit.id } },
          { viewer: desk },
        )
      ).data!.checkOut.error,
    ).toEqual({ code: 'INVALID_INPUT' });

    expect((await person(visitor, personViewer(visitor))).data!._entities[0].visits).toEqual([
      {
        kind: 'NETWORK_VISITOR',
        passId: pass,
        checkedOutAt: expect.any(String),
        person: { id: personId(visitor) },
        space: { name: 'La Serre, atelier' },
      },
    ]);
    const staffEditsSpace = await h.execute(
      `mutation ($input: UpdateSpaceInput!) { updateSpace(input: $input) { error { code } } }`,
      { input: { id: room.publicId, openingHours: 'Mo-Su 00:00-24:00' } },
      { viewer: desk },
    );
    expect(staffEditsSpace.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets a member update their own profile and choose which skills the directory shows', async () => {
    const member = await h.seed.member({
      displayName: 'Julie Martin',
      skills: ['Menuiserie', 'Électronique'],
    });
    const updated = await h.execute(
      UPDATE_MY_PROFILE,
      {
        input: {
          partner: PARTNER,
          displayName: 'Julie M.',
          phone: '+33 6 12 34 56 78',
          isInDirectory: true,
          directorySkills: ['menuiserie'],
        },
      },
      { viewer: viewers.member(member) },
    );
    expect(updated).toEqual({
      data: {
        updateMyMemberProfile: {
          member: {
            displayName: 'Julie M.',
            phone: '+33 6 12 34 56 78',
            skills: ['Menuiserie', 'Électronique'],
            directorySkills: ['Menuiserie'],
            isInDirectory: true,
          },
          error: null,
        },
      },
    });
    const directory = `query ($skills: [String!]) { members(filter: { skills: $skills }) { edges { node { displayName skills } } } }`;
    const found = async (skill: string, viewer: Viewer) =>
      (await h.execute(directory, { skills: [skill] }, { viewer })).data!.members.edges.map(
        (e: any) => e.node,
      );
    expect(await found('menuiserie', viewers.anonymous)).toEqual([
      { displayName: 'Julie M.', skills: ['Menuiserie'] },
    ]);
    expect(await found('electronique', viewers.anonymous)).toEqual([]);
    expect(await found('electronique', viewers.staff(PARTNER))).toEqual([
      { displayName: 'Julie M.', skills: ['Menuiserie', 'Électronique'] },
    ]);
    const byText = `query { members(filter: { text: "electro" }) { totalCount } }`;
    expect((await h.execute(byText)).data!.members.totalCount).toBe(0);

    const refusals = [
      [{ partner: PARTNER, directorySkills: ['Cuisine'] }, viewers.member(member), 'INVALID_INPUT'],
      [{ partner: 'cantine', displayName: 'X' }, viewers.member(member), 'WRONG_PARTNER'],
      [{ partner: PARTNER, displayName: 'X' }, viewers.person(randomUUID()), 'UNKNOWN_MEMBER'],
    ] as const;
    for (const [input, viewer, code] of refusals) {
      const result = await h.execute(UPDATE_MY_PROFILE, { input }, { viewer });
      expect(result.data!.updateMyMemberProfile.error.code).toBe(code);
    }
    const anonymous = await h.execute(UPDATE_MY_PROFILE, {
      input: { partner: PARTNER, displayName: 'X' },
    });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const relink = await h.execute(
      `mutation ($input: UpdateMemberInput!) { updateMember(input: $input) { error { code } } }`,
      { input: { id: member.publicId, personId: personId(randomUUID()) } },
      { viewer: viewers.member(member) },
    );
    expect(relink.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('erases a person’s data here: records pseudonymised, seats freed, visits kept without the link', async () => {
    const member = await h.seed.member({ displayName: 'Lucas Martin', isInDirectory: true });
    const event = await h.seed.event(space.id, { title: 'Formation', capacity: 1 });
    await h.seed.registration(event.id, member.id);
    const waiting = await h.execute(
      REGISTER,
      {
        input: {
          eventId: event.publicId,
          guest: { name: 'Invitée', email: 'invitee@example.org' },
        },
      },
      { viewer: viewers.manager(PARTNER) },
    );
    expect(waiting.data!.registerForEvent.registration.status).toBe('WAITING');
    const other = await h.seed.event(space.id, { title: 'Repas partagé' });
    await h.execute(
      REGISTER,
      { input: { eventId: other.publicId } },
      { viewer: viewers.member(member) },
    );
    const room = await h.seed.space({ name: 'Salle du fond' });
    await h.execute(
      `mutation ($input: CheckInInput!) { checkIn(input: $input) { error { code } } }`,
      { input: { memberId: member.publicId, spaceId: room.publicId } },
      { viewer: viewers.staff(PARTNER) },
    );

    expect(
      await h.execute(ERASE, { partner: 'cantine' }, { viewer: viewers.member(member) }),
    ).toEqual({
      data: {
        eraseMyData: {
          erasedMembers: 0,
          erasedRegistrations: 0,
          unlinkedVisits: 0,
          error: { code: 'WRONG_PARTNER' },
        },
      },
    });
    expect(
      await h.execute(ERASE, { partner: PARTNER }, { viewer: viewers.member(member) }),
    ).toEqual({
      data: {
        eraseMyData: {
          erasedMembers: 1,
          erasedRegistrations: 2,
          unlinkedVisits: 1,
          error: null,
        },
      },
    });
    const afterwards = await h.execute(
      `query ($id: ID!, $event: ID!, $room: ID!) {
        member(id: $id) { displayName email phone isInDirectory person { id } }
        event(id: $event) { registrations { name status } }
        space(id: $room) { occupancy }
      }`,
      { id: member.publicId, event: event.publicId, room: room.publicId },
      { viewer: viewers.manager(PARTNER) },
    );
    expect(afterwards).toEqual({
      data: {
        member: {
          displayName: 'Membre effacé',
          email: `efface-${member.id}@invalid`,
          phone: null,
          isInDirectory: false,
          person: null,
        },
        // The seat freed goes to the guest waiting, held until she confirms it by mail.
        event: { registrations: [{ name: 'Invitée', status: 'PENDING' }] },
        space: { occupancy: 1 },
      },
    });
    expect((await person(member.personId!, viewers.member(member))).data!._entities[0]).toEqual({
      id: personId(member.personId!),
      memberships: [],
      registrations: [],
      visits: [],
    });
    const anonymous = await h.execute(ERASE, { partner: PARTNER });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('pseudonymises a person’s own registrations and unlinks their visits as a visitor', async () => {
    const visitor = randomUUID();
    const event = await h.seed.event(space.id, {
      title: 'Atelier d’hier',
      startsAt: new Date(Date.now() - 86_400_000),
    });
    await h.execute(
      REGISTER,
      { input: { eventId: event.publicId, displayName: 'Hugo' } },
      { viewer: personViewer(visitor), now: new Date(Date.now() - 2 * 86_400_000) },
    );
    await h.execute(
      CHECK_IN_VISITOR,
      { input: { spaceId: space.publicId, personId: personId(visitor) } },
      { viewer: viewers.staff(PARTNER) },
    );
    expect(
      (await h.execute(ERASE, { partner: PARTNER }, { viewer: personViewer(visitor) })).data,
    ).toEqual({
      eraseMyData: { erasedMembers: 0, erasedRegistrations: 1, unlinkedVisits: 1, error: null },
    });
    const registrations = await h.execute(
      `query ($id: ID!) { event(id: $id) { registrations { name status person { id } } } }`,
      { id: event.publicId },
      { viewer: viewers.manager(PARTNER) },
    );
    expect(registrations.data!.event.registrations).toEqual([
      { name: 'Personne effacée', status: 'CONFIRMED', person: null },
    ]);
    expect((await person(visitor, personViewer(visitor))).data!._entities[0].visits).toEqual([]);
  });
});

describe.each(testEngines())('the person link on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ engine, partner: 'cantine', poolSize: 20 });
  });
  afterAll(() => h?.close());

  it('links at most one member of a partner to a person, even when registered at once', async () => {
    const person = randomUUID();
    const register = /* GraphQL */ `
      mutation ($input: RegisterMemberInput!) {
        registerMember(input: $input) {
          member {
            id
          }
          error {
            code
            field
          }
        }
      }
    `;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.execute(
          register,
          {
            input: {
              partner: 'cantine',
              displayName: `Thomas ${i}`,
              email: `thomas${i}@example.org`,
              personId: personId(person),
            },
          },
          { viewer: viewers.manager('cantine') },
        ),
      ),
    );
    const outcomes = results.map((r) => r.data!.registerMember.error?.code ?? 'LINKED');
    expect(outcomes.filter((o) => o === 'LINKED')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'PERSON_TAKEN')).toHaveLength(9);
    expect(results.find((r) => r.data!.registerMember.error)!.data!.registerMember.error).toEqual({
      code: 'PERSON_TAKEN',
      field: 'input.personId',
    });

    const other = await h.seed.member({ displayName: 'Inès Benali' });
    const relink = await h.execute(
      `mutation ($input: UpdateMemberInput!) { updateMember(input: $input) { error { code field } } }`,
      { input: { id: other.publicId, personId: personId(person) } },
      { viewer: viewers.manager('cantine') },
    );
    expect(relink.data!.updateMember.error).toEqual({
      code: 'PERSON_TAKEN',
      field: 'input.personId',
    });
  });

  it('checks a visitor in once, however many desks try at the same moment', async () => {
    const space = await h.seed.space({ name: 'La Cantine' });
    const visitor = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.execute(
          CHECK_IN_VISITOR,
          { input: { spaceId: space.publicId, personId: personId(visitor) } },
          { viewer: viewers.staff('cantine') },
        ),
      ),
    );
    const codes = results.map((r) => r.data!.checkInVisitor.error?.code ?? 'IN');
    expect(codes.filter((c) => c === 'IN')).toHaveLength(1);
    expect(codes.filter((c) => c === 'ALREADY_CHECKED_IN')).toHaveLength(9);
  });
});

describe('a person over HTTP, with the viewer the gateway signs', () => {
  const KEYS = generateViewerKeys();
  let h: Harness;
  let url: string;
  let stop: () => Promise<void>;
  let member: Awaited<ReturnType<Harness['seed']['member']>>;
  beforeAll(async () => {
    h = await createHarness({ partner: PARTNER });
    member = await h.seed.member({ displayName: 'Inès Benali' });
    ({ url, stop } = await serveOnLoopback(
      createServer({
        db: h.db,
        partner: PARTNER,
        viewerPublicKey: KEYS.publicKey,
        production: true,
      }),
    ));
  });
  afterAll(async () => {
    await stop();
    await h.close();
  });

  async function memberships(viewer: Viewer) {
    const request: BoundRequest = {
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { memberships { displayName } } } }`,
      variables: { r: [{ __typename: 'Person', id: personId(member.personId!) }] },
    };
    const header = await signViewer(viewer, KEYS.signingKey, {
      audience: `partner:${PARTNER}`,
      request,
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [VIEWER_HEADER]: header },
      body: JSON.stringify(request),
    });
    return ((await response.json()) as any).data._entities[0].memberships;
  }

  it('tells the person their records here, and the gateway’s own viewer nothing', async () => {
    expect(await memberships(viewers.member(member))).toEqual([{ displayName: 'Inès Benali' }]);
    expect(await memberships(viewers.staff(PARTNER))).toEqual([{ displayName: 'Inès Benali' }]);
    expect(await memberships({ kind: 'gateway' })).toEqual([]);
    expect(await memberships(viewers.person(randomUUID()))).toEqual([]);
  });
});

describe('the seeded people at their partners', () => {
  const ines = SEEDED_PEOPLE.find((p) => p.email === 'ines.benali@example.org')!;
  const lucas = SEEDED_PEOPLE.find((p) => p.email === 'lucas.martin@example.org')!;
  const SEEN = /* GraphQL */ `
    query ($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on Person {
          memberships {
            id
            person {
              id
            }
          }
          registrations(when: UPCOMING) {
            status
          }
          visits {
            kind
            space {
              name
            }
          }
        }
      }
    }
  `;

  it.each([
    ['laserre', ines, [`laserre:member:${ines.members!.laserre}`], 1, 'MEMBER', 'La Serre'],
    ['cantine', ines, [`cantine:member:${ines.members!.cantine}`], 1, 'MEMBER', 'La Cantine'],
    ['locomotive', lucas, [], 0, 'NETWORK_VISITOR', 'La Locomotive'],
  ] as const)(
    'shows %s’s rows about a seeded person to them',
    async (partner, who, memberIds, registrations, kind, spaceName) => {
      const h = await createHarness({ partner });
      try {
        await seedPartner(h.db, partner, new Date());
        const id = seededPersonId(who.email);
        const answer = await h.execute(
          SEEN,
          { r: [{ __typename: 'Person', id }] },
          { viewer: personViewer(who.uuid) },
        );
        const seen = answer.data!._entities[0];
        expect(seen.memberships).toEqual(memberIds.map((m) => ({ id: m, person: { id } })));
        expect(seen.registrations).toHaveLength(registrations);
        expect(seen.visits).toEqual([{ kind, space: { name: spaceName } }]);
      } finally {
        await h.close();
      }
    },
  );
});
