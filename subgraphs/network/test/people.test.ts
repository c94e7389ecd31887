import { randomUUID } from 'node:crypto';
import { testEngines } from '@tiers-lieux/schema/testkit';
import { SEEDED_PEOPLE, seededPersonId } from '@tiers-lieux/schema/seed-people';
import { rowsOf } from '@tiers-lieux/subgraph-shell';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, errorCode, viewers, type GraphQLResult, type Harness } from './harness.js';
import { ledgerMismatches, MEMBERS, NOW, operations, registerSeedPartners } from './fixtures.js';

const ISSUER = 'https://auth.example/realms/tiers-lieux';
const HELENE = seededPersonId('helene.duval@reseau-tiers-lieux.example');
const KARIM = seededPersonId('karim.haddad@lacantine.example');
const HUGO = seededPersonId('hugo.lambert@lacantine.example');
const INES = seededPersonId('ines.benali@example.org');
const THOMAS = seededPersonId('thomas.garcia@example.org');
const uuidOf = (personId: string) => personId.split(':')[2]!;
const as = {
  helene: viewers.coordinator,
  karim: viewers.manager('cantine'),
  marc: viewers.manager('laserre'),
  hugo: viewers.staff('cantine'),
  ines: viewers.member(MEMBERS.inesBenali),
};

const SIGN_IN = /* GraphQL */ `
  mutation ($identity: SignInIdentityInput!) {
    signIn(identity: $identity) {
      personId
      coordinator
      manages
      staffs
    }
  }
`;

const PERSON = /* GraphQL */ `
  query ($id: ID!) {
    person(id: $id) {
      id
      displayName
      email
      identities {
        issuer
        subject
      }
      roles {
        role
        partner {
          slug
        }
        grantedBy {
          displayName
        }
      }
    }
  }
`;

const GRANT = /* GraphQL */ `
  mutation ($input: GrantRoleInput!) {
    grantRole(input: $input) {
      grant {
        id
        role
        partner {
          slug
        }
        person {
          id
        }
        grantedBy {
          id
        }
        grantedAt
        revokedAt
        revokedBy {
          id
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

const REVOKE = /* GraphQL */ `
  mutation ($grantId: ID!) {
    revokeRole(grantId: $grantId) {
      grant {
        id
        role
        revokedAt
        revokedBy {
          id
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

const INVITE = /* GraphQL */ `
  mutation ($input: InvitePersonInput!) {
    invitePerson(input: $input) {
      person {
        id
        displayName
        email
        identities {
          subject
        }
      }
      grant {
        role
        partner {
          slug
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

const CLOSE = /* GraphQL */ `
  mutation {
    closeMyAccount {
      person {
        id
        displayName
        email
        identities {
          subject
        }
        roles {
          role
        }
      }
      error {
        code
        message
      }
    }
  }
`;

interface Identity {
  subject: string;
  email?: string | null;
  emailVerified?: boolean;
  name?: string | null;
  issuer?: string;
}

describe.each(testEngines())('network accounts on %s', (engine) => {
  let h: Harness;
  let op: ReturnType<typeof operations>;
  beforeAll(async () => {
    h = await createHarness({ engine, poolSize: 20 });
    op = operations(h);
    await registerSeedPartners(h);
  });
  afterAll(() => h.close());

  const signIn = (identity: Identity, viewer = viewers.gateway) =>
    h.execute(
      SIGN_IN,
      {
        identity: { issuer: ISSUER, email: null, emailVerified: false, name: null, ...identity },
      },
      { viewer, now: NOW },
    );
  const signedIn = async (identity: Identity) => {
    const result = await signIn(identity);
    if (!result.data?.signIn) throw new Error(JSON.stringify(result));
    return result.data.signIn as {
      personId: string;
      coordinator: boolean;
      manages: string[];
      staffs: string[];
    };
  };
  const rows = async <Row>(query: SQL) => rowsOf<Row>(await h.db.execute(query));
  const personCount = async (name: string) =>
    Number(
      (
        await rows<{ n: number }>(
          sql`select count(*)::int as n from persons where display_name = ${name}`,
        )
      )[0]!.n,
    );
  const grantId = async (person: string, role: string, partner: string | null) => {
    const [row] = await rows<{ id: string }>(
      sql`select id from role_grants where person_id = ${uuidOf(person)} and role = ${role}
          and partner_slug is not distinct from ${partner} and revoked_at is null`,
    );
    return `role-grant:${row!.id}`;
  };

  describe('me and person', () => {
    it('answers null to an anonymous visitor and to the gateway, and the signed-in person with their roles', async () => {
      const ME = '{ me { id displayName email roles { role partner { slug } grantedBy { id } } } }';
      expect(await h.execute(ME)).toEqual({ data: { me: null } });
      expect(await h.execute(ME, {}, { viewer: viewers.gateway })).toEqual({ data: { me: null } });
      expect(await h.execute(ME, {}, { viewer: as.karim })).toEqual({
        data: {
          me: {
            id: KARIM,
            displayName: 'Karim Haddad',
            email: 'karim.haddad@lacantine.example',
            roles: [{ role: 'MANAGER', partner: { slug: 'cantine' }, grantedBy: { id: HELENE } }],
          },
        },
      });
    });

    it("shows a person's email to them, coordinators and the managers of their partner only", async () => {
      const email = async (viewer: typeof as.karim, id = HUGO) => {
        const { person } = (await h.execute(PERSON, { id }, { viewer })).data!;
        return person === null ? 'no person' : person.email;
      };
      expect(await email(viewers.anonymous)).toBe('no person');
      expect(await email(as.hugo)).toBe('hugo.lambert@lacantine.example');
      expect(await email(as.karim)).toBe('hugo.lambert@lacantine.example');
      expect(await email(as.helene)).toBe('hugo.lambert@lacantine.example');
      expect(await email(as.marc)).toBeNull();
      expect(await email(as.ines)).toBeNull();
      // A member without a role is no manager's staff: only they and coordinators see it.
      expect(await email(as.karim, INES)).toBeNull();
      expect(await email(as.ines, INES)).toBe('ines.benali@example.org');
    });

    it('shows roles to the person, coordinators and the managers of their partner; others see none', async () => {
      const roles = async (viewer: typeof as.karim) =>
        (await h.execute(PERSON, { id: HUGO }, { viewer })).data!.person.roles;
      const staff = [
        { role: 'STAFF', partner: { slug: 'cantine' }, grantedBy: { displayName: 'Hélène Duval' } },
      ];
      expect(await roles(as.hugo)).toEqual(staff);
      expect(await roles(as.karim)).toEqual(staff);
      expect(await roles(as.helene)).toEqual(staff);
      expect(await roles(as.marc)).toEqual([]);
    });

    it('refuses an id that is not a person id', async () => {
      expect(
        errorCode(await h.execute(PERSON, { id: 'cantine:member:x' }, { viewer: as.helene })),
      ).toBe('BAD_USER_INPUT');
    });
  });

  describe('personForDesk and cardNumber', () => {
    const FIND = /* GraphQL */ `
      query ($email: String, $cardNumber: String) {
        personForDesk(email: $email, cardNumber: $cardNumber) {
          id
          displayName
        }
      }
    `;
    const find = (variables: { email?: string; cardNumber?: string }, viewer = as.hugo) =>
      h.execute(FIND, variables, { viewer });
    const cardOf = async (id: string, viewer: typeof as.karim) =>
      (await h.execute(`query ($id: ID!) { person(id: $id) { cardNumber } }`, { id }, { viewer }))
        .data!.person?.cardNumber as string | null;

    it("shows a person's card number to them and coordinators only, derived from their id", async () => {
      const card = await cardOf(INES, as.ines);
      expect(card).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
      expect(card!.replace(/-/g, '')).toBe(uuidOf(INES).slice(-12).toUpperCase());
      expect(await cardOf(INES, as.helene)).toBe(card);
      expect(await cardOf(HUGO, as.karim)).toBeNull();
      expect(await cardOf(INES, as.hugo)).toBeNull();
    });

    it('finds one person by the exact email or card number, with their id and name only', async () => {
      const ines = { personForDesk: { id: INES, displayName: 'Inès Benali' } };
      expect((await find({ email: 'Ines.Benali@example.org' })).data).toEqual(ines);
      const card = (await cardOf(INES, as.ines))!;
      expect((await find({ cardNumber: card })).data).toEqual(ines);
      // Case, spaces and dashes do not matter.
      const typed = ` ${card.toLowerCase().replace(/-/g, ' ')} `;
      expect((await find({ cardNumber: typed }, as.marc)).data).toEqual(ines);
      expect((await find({ email: 'ines.benali@example.org' }, as.helene)).data).toEqual(ines);
      // No partial match, no list: a part of the email or another card names nobody.
      expect((await find({ email: 'ines.benali' })).data).toEqual({ personForDesk: null });
      expect((await find({ email: 'benali@example.org' })).data).toEqual({ personForDesk: null });
      expect((await find({ email: '%@example.org' })).data).toEqual({ personForDesk: null });
      expect((await find({ cardNumber: '0000-0000-0000' })).data).toEqual({ personForDesk: null });
    });

    it('names nobody when a card number is shared by two open accounts, or the account is closed', async () => {
      const tail = randomUUID().slice(-12);
      const [first, second] = [
        `00000000-0000-4000-8000-${tail}`,
        `00000000-0000-4000-9000-${tail}`,
      ];
      await h.db.execute(
        sql`insert into persons (id, display_name) values (${first}, 'Carte Une'), (${second}, 'Carte Deux')`,
      );
      const card = tail.toUpperCase();
      expect((await find({ cardNumber: card })).data).toEqual({ personForDesk: null });
      await h.db.execute(sql`update persons set closed_at = now() where id = ${second}`);
      expect((await find({ cardNumber: card })).data).toEqual({
        personForDesk: { id: `network:person:${first}`, displayName: 'Carte Une' },
      });
      await h.db.execute(sql`update persons set closed_at = now() where id = ${first}`);
      expect((await find({ cardNumber: card })).data).toEqual({ personForDesk: null });
    });

    it('is for the people of some front desk and coordinators; one exact value is asked for', async () => {
      const email = { email: 'ines.benali@example.org' };
      expect(errorCode(await find(email, viewers.anonymous))).toBe('UNAUTHENTICATED');
      expect(errorCode(await find(email, as.ines))).toBe('FORBIDDEN');
      expect(errorCode(await find(email, viewers.gateway))).toBe('FORBIDDEN');
      expect((await find(email, as.karim)).data?.personForDesk?.id).toBe(INES);
      expect(errorCode(await find({}))).toBe('BAD_USER_INPUT');
      expect(errorCode(await find({ ...email, cardNumber: '0000-0000-0000' }))).toBe(
        'BAD_USER_INPUT',
      );
      expect(errorCode(await find({ cardNumber: 'DMVX-A3W0-KMQ4' }))).toBe('BAD_USER_INPUT');
    });
  });

  describe('signIn', () => {
    it('is for the gateway only', async () => {
      const identity = { subject: `s-${randomUUID()}` };
      expect(errorCode(await signIn(identity, viewers.anonymous))).toBe('UNAUTHENTICATED');
      expect(errorCode(await signIn(identity, as.helene))).toBe('FORBIDDEN');
      expect(errorCode(await signIn(identity, as.karim))).toBe('FORBIDDEN');
    });

    it('links a first sign-in with a verified seeded email to the seeded person and their roles, then finds it by identity', async () => {
      const identity = {
        subject: `karim-${randomUUID()}`,
        email: 'KARIM.Haddad@lacantine.example',
        emailVerified: true,
      };
      const first = await signedIn(identity);
      expect(first).toEqual({
        personId: KARIM,
        coordinator: false,
        manages: ['cantine'],
        staffs: [],
      });
      expect(await signedIn({ ...identity, email: null, emailVerified: false })).toEqual(first);
      const person = await h.execute(PERSON, { id: KARIM }, { viewer: as.karim });
      expect(person.data!.person.identities).toEqual([
        { issuer: ISSUER, subject: identity.subject },
      ]);
      expect(
        (await h.execute(PERSON, { id: KARIM }, { viewer: as.marc })).data!.person.identities,
      ).toEqual([]);
    });

    it('never links an unverified email to an existing person', async () => {
      const result = await signedIn({
        subject: `impostor-${randomUUID()}`,
        email: 'helene.duval@reseau-tiers-lieux.example',
        emailVerified: false,
        name: 'Pas Hélène',
      });
      expect(result.personId).not.toBe(HELENE);
      expect(result).toMatchObject({ coordinator: false, manages: [], staffs: [] });
      const created = await h.execute(PERSON, { id: result.personId }, { viewer: as.helene });
      expect(created.data!.person).toMatchObject({
        displayName: 'Pas Hélène',
        email: null,
        roles: [],
      });
    });

    it('links one identity per issuer: a second subject of the same issuer makes a new person without the email', async () => {
      const email = 'lea.fabre@lalocomotive.example';
      const lea = seededPersonId(email);
      expect(
        (await signedIn({ subject: `lea-${randomUUID()}`, email, emailVerified: true })).personId,
      ).toBe(lea);
      const other = await signedIn({
        subject: `lea-again-${randomUUID()}`,
        email,
        emailVerified: true,
        name: 'Léa bis',
      });
      expect(other.personId).not.toBe(lea);
      const created = await h.execute(PERSON, { id: other.personId }, { viewer: as.helene });
      expect(created.data!.person).toMatchObject({ displayName: 'Léa bis', email: null });
      // Another provider vouching for the same email takes the same person.
      expect(
        (
          await signedIn({
            issuer: 'https://other.example',
            subject: 'lea',
            email,
            emailVerified: true,
          })
        ).personId,
      ).toBe(lea);
    });

    it('makes one person of concurrent first sign-ins of one identity', async () => {
      const name = `Nouvelle ${randomUUID()}`;
      const identity = {
        subject: `new-${randomUUID()}`,
        email: `${randomUUID()}@example.org`,
        emailVerified: true,
        name,
      };
      const answers = await Promise.all(Array.from({ length: 20 }, () => signedIn(identity)));
      expect(new Set(answers.map((a) => a.personId)).size).toBe(1);
      expect(await personCount(name)).toBe(1);
      const person = await h.execute(PERSON, { id: answers[0]!.personId }, { viewer: as.helene });
      expect(person.data!.person).toMatchObject({ email: identity.email, roles: [] });
    });

    it('makes one link of concurrent first sign-ins that claim one seeded email', async () => {
      const email = 'yanis.robert@laserre.example';
      const identity = { subject: `yanis-${randomUUID()}`, email, emailVerified: true };
      const answers = await Promise.all(Array.from({ length: 20 }, () => signedIn(identity)));
      expect(answers.map((a) => a.personId)).toEqual(answers.map(() => seededPersonId(email)));
      expect(answers[0]!.staffs).toEqual(['laserre']);
      expect(await personCount('Yanis Robert')).toBe(1);
    });

    it('refuses an identity without issuer or subject', async () => {
      expect(errorCode(await signIn({ subject: '  ' }))).toBe('BAD_USER_INPUT');
    });
  });

  describe('grantRole and revokeRole', () => {
    it('lets a coordinator grant any role by email, once, and keeps who granted it', async () => {
      const input = { email: 'Ines.Benali@example.org', role: 'MANAGER', partner: 'locomotive' };
      const granted = await h.execute(GRANT, { input }, { viewer: as.helene, now: NOW });
      expect(granted.data!.grantRole).toEqual({
        grant: {
          id: expect.stringMatching(/^role-grant:/),
          role: 'MANAGER',
          partner: { slug: 'locomotive' },
          person: { id: INES },
          grantedBy: { id: HELENE },
          grantedAt: '2026-11-26T15:00:00+01:00',
          revokedAt: null,
          revokedBy: null,
        },
        error: null,
      });
      expect(await h.execute(GRANT, { input }, { viewer: as.helene })).toEqual({
        data: {
          grantRole: {
            grant: null,
            error: {
              code: 'ALREADY_GRANTED',
              message: 'The person already holds MANAGER at locomotive',
              field: 'input.role',
            },
          },
        },
      });
      const revoked = await h.execute(
        REVOKE,
        { grantId: granted.data!.grantRole.grant.id },
        { viewer: as.helene, now: NOW },
      );
      expect(revoked.data!.revokeRole).toEqual({
        grant: {
          id: granted.data!.grantRole.grant.id,
          role: 'MANAGER',
          revokedAt: '2026-11-26T15:00:00+01:00',
          revokedBy: { id: HELENE },
        },
        error: null,
      });
    });

    it("lets a partner's managers grant and revoke STAFF of their own partner only", async () => {
      const staff = { personId: THOMAS, role: 'STAFF', partner: 'cantine' };
      const granted = await h.execute(GRANT, { input: staff }, { viewer: as.karim });
      expect(granted.data!.grantRole.error).toBeNull();
      const before = await h.snapshot();
      for (const [viewer, input, code] of [
        [as.karim, { ...staff, role: 'MANAGER' }, 'FORBIDDEN'],
        [as.karim, { ...staff, role: 'COORDINATOR', partner: null }, 'FORBIDDEN'],
        [as.karim, { ...staff, partner: 'laserre' }, 'FORBIDDEN'],
        [as.marc, staff, 'FORBIDDEN'],
        [as.hugo, staff, 'FORBIDDEN'],
        [as.ines, staff, 'FORBIDDEN'],
        [viewers.gateway, staff, 'FORBIDDEN'],
        [viewers.anonymous, staff, 'UNAUTHENTICATED'],
      ] as const) {
        expect(errorCode(await h.execute(GRANT, { input }, { viewer }))).toBe(code);
      }
      const staffGrantId = granted.data!.grantRole.grant.id;
      expect(
        errorCode(await h.execute(REVOKE, { grantId: staffGrantId }, { viewer: as.marc })),
      ).toBe('FORBIDDEN');
      expect(
        errorCode(await h.execute(REVOKE, { grantId: staffGrantId }, { viewer: as.hugo })),
      ).toBe('FORBIDDEN');
      const karimsGrant = await grantId(KARIM, 'MANAGER', 'cantine');
      expect(
        errorCode(await h.execute(REVOKE, { grantId: karimsGrant }, { viewer: as.karim })),
      ).toBe('FORBIDDEN');
      expect(await h.snapshot()).toEqual(before);
      expect(
        (await h.execute(REVOKE, { grantId: staffGrantId }, { viewer: as.karim })).data!.revokeRole
          .error,
      ).toBeNull();
      expect(
        (await h.execute(REVOKE, { grantId: staffGrantId }, { viewer: as.karim })).data!.revokeRole,
      ).toEqual({
        grant: null,
        error: {
          code: 'ALREADY_REVOKED',
          message: 'This grant is already revoked',
          field: 'grantId',
        },
      });
    });

    it('answers malformed and unknown inputs with typed errors that change nothing', async () => {
      const before = await h.snapshot();
      const grant = async (input: Record<string, unknown>) =>
        (await h.execute(GRANT, { input }, { viewer: as.helene })).data!.grantRole.error;
      expect(
        await grant({
          personId: THOMAS,
          email: 'thomas.garcia@example.org',
          role: 'STAFF',
          partner: 'cantine',
        }),
      ).toMatchObject({ code: 'INVALID_INPUT', field: 'input.personId' });
      expect(
        await grant({ personId: THOMAS, role: 'COORDINATOR', partner: 'cantine' }),
      ).toMatchObject({ code: 'INVALID_INPUT', field: 'input.partner' });
      expect(await grant({ personId: THOMAS, role: 'MANAGER' })).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'input.partner',
      });
      expect(await grant({ personId: 'cantine:member:1', role: 'COORDINATOR' })).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'input.personId',
      });
      expect(await grant({ personId: THOMAS, role: 'STAFF', partner: 'ruche' })).toMatchObject({
        code: 'UNKNOWN_PARTNER',
        field: 'input.partner',
      });
      expect(await grant({ email: 'nobody@example.org', role: 'COORDINATOR' })).toMatchObject({
        code: 'UNKNOWN_PERSON',
        field: 'input.email',
      });
      expect(
        await grant({ personId: `network:person:${randomUUID()}`, role: 'COORDINATOR' }),
      ).toMatchObject({ code: 'UNKNOWN_PERSON', field: 'input.personId' });
      const revoke = async (grantId: string) =>
        (await h.execute(REVOKE, { grantId }, { viewer: as.helene })).data!.revokeRole.error;
      expect(await revoke('grant-1')).toMatchObject({ code: 'INVALID_INPUT', field: 'grantId' });
      expect(await revoke(`role-grant:${randomUUID()}`)).toMatchObject({
        code: 'UNKNOWN_GRANT',
        field: 'grantId',
      });
      expect(await h.snapshot()).toEqual(before);
    });

    it("never revokes the network's last coordinator grant, even when two coordinators revoke each other at once", async () => {
      const helenesGrant = await grantId(HELENE, 'COORDINATOR', null);
      expect(
        (await h.execute(REVOKE, { grantId: helenesGrant }, { viewer: as.helene })).data!.revokeRole
          .error,
      ).toEqual({
        code: 'LAST_COORDINATOR',
        message: 'The network would be left without a coordinator',
        field: null,
      });
      const sophie = seededPersonId('sophie.arnaud@baronnies.example');
      await h.execute(
        GRANT,
        { input: { personId: sophie, role: 'COORDINATOR' } },
        { viewer: as.helene },
      );
      const sophiesGrant = await grantId(sophie, 'COORDINATOR', null);
      const asSophie = viewers.person(uuidOf(sophie), {
        coordinator: true,
        manages: ['baronnies'],
      });
      const [byHelene, bySophie] = await Promise.all([
        h.execute(REVOKE, { grantId: sophiesGrant }, { viewer: as.helene }),
        h.execute(REVOKE, { grantId: helenesGrant }, { viewer: asSophie }),
      ]);
      const codes = [byHelene, bySophie].map((r) => r.data!.revokeRole.error?.code ?? 'revoked');
      expect(codes.sort()).toEqual(['LAST_COORDINATOR', 'revoked']);
      const live = await rows(
        sql`select 1 from role_grants where role = 'COORDINATOR' and revoked_at is null`,
      );
      expect(live).toHaveLength(1);
      const helenesLive = await rows(
        sql`select 1 from role_grants where id = ${helenesGrant.slice('role-grant:'.length)} and revoked_at is null`,
      );
      if (helenesLive.length === 0) {
        // Sophie won: give the network its seeded coordinator back for the next tests.
        await h.execute(
          GRANT,
          { input: { personId: HELENE, role: 'COORDINATOR' } },
          { viewer: asSophie },
        );
        await h.execute(REVOKE, { grantId: sophiesGrant }, { viewer: as.helene });
      }
    });
  });

  describe('invitePerson', () => {
    it('creates the person with the email and the role; the first verified sign-in takes them', async () => {
      const email = `invite-${randomUUID()}@example.org`;
      const input = { email, displayName: 'Amélie Nouvelle', role: 'STAFF', partner: 'cantine' };
      const invited = await h.execute(INVITE, { input }, { viewer: as.karim, now: NOW });
      expect(invited.data!.invitePerson).toEqual({
        person: {
          id: expect.stringMatching(/^network:person:/),
          displayName: 'Amélie Nouvelle',
          email,
          identities: [],
        },
        grant: { role: 'STAFF', partner: { slug: 'cantine' } },
        error: null,
      });
      expect(
        (
          await h.execute(
            INVITE,
            { input: { ...input, email: email.toUpperCase() } },
            { viewer: as.helene },
          )
        ).data!.invitePerson,
      ).toEqual({
        person: null,
        grant: null,
        error: {
          code: 'EMAIL_TAKEN',
          message: 'An open account already has this email',
          field: 'input.email',
        },
      });
      const personId = invited.data!.invitePerson.person.id;
      expect(
        await signedIn({ subject: `amelie-${randomUUID()}`, email, emailVerified: true }),
      ).toEqual({
        personId,
        coordinator: false,
        manages: [],
        staffs: ['cantine'],
      });
      const [invitation] = await rows<{ accepted_by: string; invited_by: string }>(
        sql`select accepted_by, invited_by from invitations where email = ${email}`,
      );
      expect(invitation).toEqual({ accepted_by: uuidOf(personId), invited_by: uuidOf(KARIM) });
    });

    it('follows the rules of grantRole, and invites without a role for coordinators only', async () => {
      const input = (extra: Record<string, unknown>) => ({
        email: `${randomUUID()}@example.org`,
        displayName: 'Quelqu’un',
        ...extra,
      });
      const before = await h.snapshot();
      expect(errorCode(await h.execute(INVITE, { input: input({}) }, { viewer: as.karim }))).toBe(
        'FORBIDDEN',
      );
      expect(
        errorCode(
          await h.execute(
            INVITE,
            { input: input({ role: 'MANAGER', partner: 'cantine' }) },
            { viewer: as.karim },
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(
        errorCode(
          await h.execute(
            INVITE,
            { input: input({ role: 'STAFF', partner: 'cantine' }) },
            { viewer: as.hugo },
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(
        errorCode(await h.execute(INVITE, { input: input({}) }, { viewer: viewers.anonymous })),
      ).toBe('UNAUTHENTICATED');
      expect(
        (
          await h.execute(
            INVITE,
            { input: input({ email: 'not an email' }) },
            { viewer: as.helene },
          )
        ).data!.invitePerson.error,
      ).toMatchObject({ code: 'INVALID_INPUT', field: 'input.email' });
      expect(
        (await h.execute(INVITE, { input: input({ partner: 'cantine' }) }, { viewer: as.helene }))
          .data!.invitePerson.error,
      ).toMatchObject({ code: 'INVALID_INPUT', field: 'input.partner' });
      expect(await h.snapshot()).toEqual(before);
      const plain = await h.execute(INVITE, { input: input({}) }, { viewer: as.helene });
      expect(plain.data!.invitePerson).toMatchObject({ grant: null, error: null });
    });
  });

  describe('people and roleGrants', () => {
    const PEOPLE = /* GraphQL */ `
      query ($search: String, $role: Role, $partner: String, $first: Int, $after: String) {
        people(search: $search, role: $role, partner: $partner, first: $first, after: $after) {
          totalCount
          edges {
            cursor
            node {
              displayName
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    `;
    const names = (result: GraphQLResult) =>
      result.data!.people.edges.map((e: { node: { displayName: string } }) => e.node.displayName);

    it('lists people for coordinators, by name, with search, role and partner filters and pages', async () => {
      const all = await h.execute(PEOPLE, { first: 100 }, { viewer: as.helene });
      expect(all.data!.people.totalCount).toBeGreaterThanOrEqual(SEEDED_PEOPLE.length);
      expect(
        names(await h.execute(PEOPLE, { search: 'ines benali' }, { viewer: as.helene })),
      ).toEqual(['Inès Benali']);
      expect(
        names(await h.execute(PEOPLE, { search: 'lacantine.example' }, { viewer: as.helene })),
      ).toEqual(['Hugo Lambert', 'Karim Haddad']);
      expect(
        names(
          await h.execute(PEOPLE, { role: 'STAFF', partner: 'baronnies' }, { viewer: as.helene }),
        ),
      ).toEqual(['Nadia Perrin']);
      const first = await h.execute(PEOPLE, { role: 'MANAGER', first: 2 }, { viewer: as.helene });
      const next = await h.execute(
        PEOPLE,
        { role: 'MANAGER', first: 2, after: first.data!.people.pageInfo.endCursor },
        { viewer: as.helene },
      );
      expect([...names(first), ...names(next)]).toEqual([
        'Élodie Blanc',
        'Karim Haddad',
        'Marc Giraud',
        'Sophie Arnaud',
      ]);
    });

    it("shows a partner's managers the people with a role at their partner, and refuses the rest", async () => {
      expect(names(await h.execute(PEOPLE, { search: 'a' }, { viewer: as.karim }))).toEqual(
        expect.arrayContaining(['Hugo Lambert', 'Karim Haddad']),
      );
      expect(
        names(
          await h.execute(PEOPLE, { partner: 'cantine', search: 'karim' }, { viewer: as.karim }),
        ),
      ).toEqual(['Karim Haddad']);
      expect(names(await h.execute(PEOPLE, { search: 'ines' }, { viewer: as.karim }))).toEqual([]);
      expect(errorCode(await h.execute(PEOPLE, { partner: 'laserre' }, { viewer: as.karim }))).toBe(
        'FORBIDDEN',
      );
      expect(errorCode(await h.execute(PEOPLE, {}, { viewer: as.hugo }))).toBe('FORBIDDEN');
      expect(errorCode(await h.execute(PEOPLE, {}, { viewer: as.ines }))).toBe('FORBIDDEN');
      expect(errorCode(await h.execute(PEOPLE, {}))).toBe('UNAUTHENTICATED');
    });

    it('tells who granted what and when, revoked grants on demand', async () => {
      const GRANTS = /* GraphQL */ `
        query ($partner: String, $includeRevoked: Boolean) {
          roleGrants(partner: $partner, includeRevoked: $includeRevoked, first: 100) {
            edges {
              node {
                role
                person {
                  displayName
                }
                grantedBy {
                  displayName
                }
                revokedAt
              }
            }
          }
        }
      `;
      const live = await h.execute(GRANTS, { partner: 'baronnies' }, { viewer: as.helene });
      expect(live.data!.roleGrants.edges.map((e: { node: unknown }) => e.node)).toEqual(
        expect.arrayContaining([
          {
            role: 'MANAGER',
            person: { displayName: 'Sophie Arnaud' },
            grantedBy: { displayName: 'Hélène Duval' },
            revokedAt: null,
          },
          {
            role: 'STAFF',
            person: { displayName: 'Nadia Perrin' },
            grantedBy: { displayName: 'Hélène Duval' },
            revokedAt: null,
          },
        ]),
      );
      const history = await h.execute(
        GRANTS,
        { partner: 'cantine', includeRevoked: true },
        { viewer: as.karim },
      );
      const revoked = history.data!.roleGrants.edges.filter(
        (e: { node: { revokedAt: string | null } }) => e.node.revokedAt,
      );
      expect(revoked.length).toBeGreaterThan(0);
      expect(errorCode(await h.execute(GRANTS, { partner: 'laserre' }, { viewer: as.karim }))).toBe(
        'FORBIDDEN',
      );
      expect(errorCode(await h.execute(GRANTS, {}, { viewer: as.hugo }))).toBe('FORBIDDEN');
    });
  });

  describe('passes held by a person', () => {
    const HELD = /* GraphQL */ `
      query ($id: ID!) {
        person(id: $id) {
          passes {
            code
            holderPerson {
              id
            }
            redemptions {
              minutes
            }
          }
        }
      }
    `;

    it('lists the passes a person holds with their visits, for those who see the holder', async () => {
      const product = await op.product();
      const pass = await op.issue(product, MEMBERS.inesBenali);
      expect((await op.redeem({ code: pass.code, minutes: 90 })).data!.redeemPass.error).toBeNull();
      const expected = {
        passes: [{ code: pass.code, holderPerson: { id: INES }, redemptions: [{ minutes: 90 }] }],
      };
      expect((await h.execute(HELD, { id: INES }, { viewer: as.ines })).data!.person).toEqual(
        expected,
      );
      expect((await h.execute(HELD, { id: INES }, { viewer: as.helene })).data!.person).toEqual(
        expected,
      );
      expect((await h.execute(HELD, { id: INES }, { viewer: as.karim })).data!.person).toEqual(
        expected,
      );
      expect((await h.execute(HELD, { id: INES }, { viewer: as.marc })).data!.person).toEqual({
        passes: [],
      });
      expect((await h.execute(HELD, { id: INES }, { viewer: as.hugo })).data!.person).toEqual({
        passes: [],
      });
    });

    it('issues to a person by id, and refuses a malformed or unknown one', async () => {
      const product = await op.product();
      const ISSUE = `mutation ($input: IssuePassInput!) { issuePass(input: $input) { pass { holderPerson { id } } error { code field } } }`;
      const issue = async (holderPersonId: string) =>
        (
          await h.execute(
            ISSUE,
            { input: { productId: product, holderPersonId } },
            { viewer: as.helene },
          )
        ).data!.issuePass;
      expect(await issue(THOMAS)).toEqual({ pass: { holderPerson: { id: THOMAS } }, error: null });
      expect(await issue('thomas')).toEqual({
        pass: null,
        error: { code: 'INVALID_INPUT', field: 'input.holderPersonId' },
      });
      expect(await issue(`network:person:${randomUUID()}`)).toEqual({
        pass: null,
        error: { code: 'UNKNOWN_PERSON', field: 'input.holderPersonId' },
      });
    });
  });

  describe('updateMyProfile and closeMyAccount', () => {
    it('changes the signed-in person’s name, for signed-in people only', async () => {
      const UPDATE = `mutation ($name: String!) { updateMyProfile(displayName: $name) { person { id displayName } error { code field } } }`;
      const thomas = viewers.person(uuidOf(THOMAS));
      expect(
        (await h.execute(UPDATE, { name: '  Thomas G.  ' }, { viewer: thomas })).data!
          .updateMyProfile,
      ).toEqual({
        person: { id: THOMAS, displayName: 'Thomas G.' },
        error: null,
      });
      expect(
        (await h.execute(UPDATE, { name: ' ' }, { viewer: thomas })).data!.updateMyProfile,
      ).toEqual({
        person: null,
        error: { code: 'INVALID_INPUT', field: 'displayName' },
      });
      expect(errorCode(await h.execute(UPDATE, { name: 'x' }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await h.execute(UPDATE, { name: 'x' }, { viewer: viewers.gateway }))).toBe(
        'FORBIDDEN',
      );
    });

    it('erases what is personal, ends the roles, keeps the ledger exact, and a later sign-in makes a new person', async () => {
      const email = `closing-${randomUUID()}@example.org`;
      const invited = await h.execute(
        INVITE,
        { input: { email, displayName: 'Bientôt Partie', role: 'STAFF', partner: 'laserre' } },
        { viewer: as.helene, now: new Date(NOW.getTime() - 24 * 3_600_000) },
      );
      const personId = invited.data!.invitePerson.person.id as string;
      const identity = { subject: `closing-${randomUUID()}`, email, emailVerified: true };
      expect((await signedIn(identity)).personId).toBe(personId);
      const product = await op.product();
      const ISSUE = `mutation ($input: IssuePassInput!) { issuePass(input: $input) { pass { code } error { code } } }`;
      const { code } = (
        await h.execute(
          ISSUE,
          { input: { productId: product, holderPersonId: personId } },
          { viewer: as.helene, now: new Date(NOW.getTime() - 24 * 3_600_000) },
        )
      ).data!.issuePass.pass;
      expect((await op.redeem({ code })).data!.redeemPass.error).toBeNull();
      const viewer = viewers.person(uuidOf(personId), { staffs: ['laserre'] });
      expect((await h.execute(CLOSE, {}, { viewer, now: NOW })).data!.closeMyAccount).toEqual({
        person: {
          id: personId,
          displayName: 'Compte fermé',
          email: null,
          identities: [],
          roles: [],
        },
        error: null,
      });
      expect(await h.execute('{ me { id } }', {}, { viewer })).toEqual({ data: { me: null } });
      const [grant] = await rows<{ revoked_by: string }>(
        sql`select revoked_by from role_grants where person_id = ${uuidOf(personId)}`,
      );
      expect(grant).toEqual({ revoked_by: uuidOf(personId) });
      expect(await op.entriesLeft(code)).toBe(9);
      expect(await ledgerMismatches(h)).toEqual([]);
      const again = await signedIn(identity);
      expect(again.personId).not.toBe(personId);
      expect(again).toMatchObject({ staffs: [] });
      expect((await h.execute(CLOSE, {}, { viewer })).data!.closeMyAccount.error).toMatchObject({
        code: 'UNKNOWN_PERSON',
      });
    });

    it("refuses to close the network's last coordinator's account", async () => {
      expect((await h.execute(CLOSE, {}, { viewer: as.helene })).data!.closeMyAccount).toEqual({
        person: null,
        error: {
          code: 'LAST_COORDINATOR',
          message: 'The network would be left without a coordinator',
        },
      });
    });
  });
});
