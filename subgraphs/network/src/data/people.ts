import { foldText } from '@tiers-lieux/schema';
import { and, asc, desc, eq, inArray, isNull, notExists, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import {
  invitations,
  personIdentities,
  persons,
  roleGrants,
  type PersonIdentityRow,
  type PersonRow,
  type Role,
  type RoleGrantRow,
} from '../db/schema.js';

/** The name a closed account shows instead of the person's (French: people read it). */
export const CLOSED_ACCOUNT_NAME = 'Compte fermé';

/** The name of a person created by a sign-in that gave none (French: people read it). */
const UNNAMED = 'Nouvelle personne';

const sameEmail = (email: string) => sql`lower(${persons.email}) = lower(${email})`;
const live = isNull(roleGrants.revokedAt);

export async function getPersonsByIds(db: Db | Tx, ids: readonly string[]): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(persons)
    .where(inArray(persons.id, [...ids]));
}

export async function findOpenPersonByEmail(db: Db, email: string): Promise<PersonRow | null> {
  const [row] = await db
    .select()
    .from(persons)
    .where(and(isNull(persons.closedAt), sameEmail(email)));
  return row ?? null;
}

/**
 * The open account whose uuid ends with these twelve hex digits (a card number's), or null when
 * none does or when several do: a card number names one person or nobody.
 */
export async function findOpenPersonByCardKey(db: Db, key: string): Promise<PersonRow | null> {
  const rows = await db
    .select()
    .from(persons)
    .where(and(isNull(persons.closedAt), sql`right(${persons.id}::text, 12) = ${key}`))
    .limit(2);
  return rows.length === 1 ? rows[0]! : null;
}

/** Each person's live grants, coordinator first, then by role and partner. */
export async function listLiveGrantsByPersonIds(
  db: Db | Tx,
  personIds: readonly string[],
): Promise<RoleGrantRow[]> {
  if (personIds.length === 0) return [];
  return db
    .select()
    .from(roleGrants)
    .where(and(inArray(roleGrants.personId, [...personIds]), live))
    .orderBy(asc(roleGrants.role), asc(roleGrants.partnerSlug), asc(roleGrants.id));
}

export async function listIdentitiesByPersonIds(
  db: Db,
  personIds: readonly string[],
): Promise<PersonIdentityRow[]> {
  if (personIds.length === 0) return [];
  return db
    .select()
    .from(personIdentities)
    .where(inArray(personIdentities.personId, [...personIds]))
    .orderBy(asc(personIdentities.issuer), asc(personIdentities.subject));
}

export async function getGrantById(db: Db, id: string): Promise<RoleGrantRow | null> {
  const [row] = await db.select().from(roleGrants).where(eq(roleGrants.id, id));
  return row ?? null;
}

/** The live grants matching a role and partners (any partner when `partners` is null). */
function grantsWhere(filter: { role?: Role | null; partners: readonly string[] | null }) {
  const conditions: SQL[] = [live];
  if (filter.role) conditions.push(eq(roleGrants.role, filter.role));
  if (filter.partners) conditions.push(inArray(roleGrants.partnerSlug, [...filter.partners]));
  return and(...conditions)!;
}

/**
 * Open accounts, by folded display name then id. With `role` or `partners`, only the people
 * with a live grant that matches; `search` keeps the people whose folded name or email holds
 * every word.
 */
export async function listPeople(
  db: Db,
  filter: { search?: string | null; role?: Role | null; partners: readonly string[] | null },
): Promise<PersonRow[]> {
  const byGrant =
    filter.role || filter.partners
      ? inArray(
          persons.id,
          db.select({ id: roleGrants.personId }).from(roleGrants).where(grantsWhere(filter)),
        )
      : undefined;
  if (filter.partners?.length === 0) return [];
  const rows = await db
    .select()
    .from(persons)
    .where(and(isNull(persons.closedAt), byGrant));
  const words = filter.search ? foldText(filter.search).split(' ').filter(Boolean) : [];
  const sortKey = (p: PersonRow) => foldText(p.displayName);
  return rows
    .filter((p) => {
      const haystack = `${foldText(p.displayName)} ${foldText(p.email ?? '')}`;
      return words.every((word) => haystack.includes(word));
    })
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || a.id.localeCompare(b.id));
}

/** Grants, live or all, at these partners (every grant when null), most recent first. */
export async function listRoleGrants(
  db: Db,
  filter: { partners: readonly string[] | null; includeRevoked: boolean },
): Promise<RoleGrantRow[]> {
  if (filter.partners?.length === 0) return [];
  return db
    .select()
    .from(roleGrants)
    .where(
      and(
        filter.partners ? inArray(roleGrants.partnerSlug, [...filter.partners]) : undefined,
        filter.includeRevoked ? undefined : live,
      ),
    )
    .orderBy(desc(roleGrants.grantedAt), asc(roleGrants.id));
}

export interface GrantParams {
  personId: string;
  role: Role;
  partnerSlug: string | null;
  grantedBy: string | null;
  now: Date;
}

/** Grants a role; the partial unique index says whether the person already holds it. */
export async function grantRole(
  db: Db | Tx,
  params: GrantParams,
): Promise<{ ok: true; grant: RoleGrantRow } | { ok: false; reason: 'ALREADY_GRANTED' }> {
  const [grant] = await db
    .insert(roleGrants)
    .values({
      personId: params.personId,
      role: params.role,
      partnerSlug: params.partnerSlug,
      grantedBy: params.grantedBy,
      grantedAt: params.now,
    })
    .onConflictDoNothing()
    .returning();
  return grant ? { ok: true, grant } : { ok: false, reason: 'ALREADY_GRANTED' };
}

/**
 * Locks the network's live coordinator grants, in id order so that concurrent revocations and
 * closures cannot deadlock, and answers how many there are. A transaction that then ends one of
 * them knows no concurrent one ended another meanwhile: the network keeps a coordinator.
 */
async function lockCoordinatorGrants(tx: Tx): Promise<RoleGrantRow[]> {
  return tx
    .select()
    .from(roleGrants)
    .where(and(eq(roleGrants.role, 'COORDINATOR'), live))
    .orderBy(asc(roleGrants.id))
    .for('update');
}

export type RevokeOutcome =
  | { ok: true; grant: RoleGrantRow }
  | { ok: false; reason: 'UNKNOWN_GRANT' | 'ALREADY_REVOKED' | 'LAST_COORDINATOR' };

/** Revokes a live grant, unless it is the network's last coordinator grant. */
export async function revokeRole(
  db: Db,
  params: { grantId: string; revokedBy: string | null; now: Date },
): Promise<RevokeOutcome> {
  return db.transaction(async (tx): Promise<RevokeOutcome> => {
    const [seen] = await tx.select().from(roleGrants).where(eq(roleGrants.id, params.grantId));
    if (!seen) return { ok: false, reason: 'UNKNOWN_GRANT' };
    if (seen.role === 'COORDINATOR') {
      const coordinators = await lockCoordinatorGrants(tx);
      if (coordinators.some((g) => g.id === seen.id) && coordinators.length <= 1)
        return { ok: false, reason: 'LAST_COORDINATOR' };
    }
    const [grant] = await tx
      .update(roleGrants)
      .set({ revokedAt: params.now, revokedBy: params.revokedBy })
      .where(and(eq(roleGrants.id, params.grantId), live))
      .returning();
    return grant ? { ok: true, grant } : { ok: false, reason: 'ALREADY_REVOKED' };
  });
}

export type InviteOutcome =
  | { ok: true; person: PersonRow; grant: RoleGrantRow | null }
  | { ok: false; reason: 'EMAIL_TAKEN' };

/** Creates the invited person (no identity), the grant if a role is named, and the invitation. */
export async function invitePerson(
  db: Db,
  params: {
    email: string;
    displayName: string;
    role: Role | null;
    partnerSlug: string | null;
    invitedBy: string;
    now: Date;
  },
): Promise<InviteOutcome> {
  return db.transaction(async (tx): Promise<InviteOutcome> => {
    const [person] = await tx
      .insert(persons)
      .values({ displayName: params.displayName, email: params.email, createdAt: params.now })
      .onConflictDoNothing()
      .returning();
    if (!person) return { ok: false, reason: 'EMAIL_TAKEN' };
    const granted = params.role
      ? await grantRole(tx, {
          personId: person.id,
          role: params.role,
          partnerSlug: params.partnerSlug,
          grantedBy: params.invitedBy,
          now: params.now,
        })
      : null;
    await tx.insert(invitations).values({
      email: params.email,
      role: params.role,
      partnerSlug: params.partnerSlug,
      invitedBy: params.invitedBy,
      createdAt: params.now,
    });
    return { ok: true, person, grant: granted?.ok ? granted.grant : null };
  });
}

export async function updateDisplayName(
  db: Db,
  params: { personId: string; displayName: string },
): Promise<PersonRow | null> {
  const [row] = await db
    .update(persons)
    .set({ displayName: params.displayName })
    .where(and(eq(persons.id, params.personId), isNull(persons.closedAt)))
    .returning();
  return row ?? null;
}

export interface CoordinatorOutcome {
  person: PersonRow;
  /** Whether the person was made now (else an open account had that email). */
  personCreated: boolean;
  /** Whether the coordinator grant was made now (else the person held it already). */
  granted: boolean;
}

/**
 * The network's first coordinator, by hand (`grant-coordinator`): the open person with that
 * email, made when there is none, holds a live coordinator grant. Running it again changes
 * nothing. Her first sign-in vouched for that email takes this person.
 */
export async function ensureCoordinator(
  db: Db,
  params: { email: string; displayName: string; now: Date },
): Promise<CoordinatorOutcome> {
  return db.transaction(async (tx) => {
    const [made] = await tx
      .insert(persons)
      .values({ displayName: params.displayName, email: params.email, createdAt: params.now })
      .onConflictDoNothing()
      .returning();
    const [person] = made
      ? [made]
      : await tx
          .select()
          .from(persons)
          .where(and(isNull(persons.closedAt), sameEmail(params.email)));
    if (!person) throw new Error('no open person with that email, and none could be made');
    const granted = await grantRole(tx, {
      personId: person.id,
      role: 'COORDINATOR',
      partnerSlug: null,
      grantedBy: null,
      now: params.now,
    });
    return { person, personCreated: Boolean(made), granted: granted.ok };
  });
}

export type CloseOutcome =
  { ok: true; person: PersonRow } | { ok: false; reason: 'UNKNOWN_PERSON' | 'LAST_COORDINATOR' };

/**
 * Closes an account: a pseudonym for the name, no email, no identity, every live grant ended
 * by the person. The row stays, so the grants the person made and the passes they held (and
 * the ledger) still name it.
 */
export async function closeAccount(
  db: Db,
  params: { personId: string; now: Date },
): Promise<CloseOutcome> {
  return db.transaction(async (tx): Promise<CloseOutcome> => {
    const grants = await listLiveGrantsByPersonIds(tx, [params.personId]);
    if (grants.some((g) => g.role === 'COORDINATOR')) {
      const coordinators = await lockCoordinatorGrants(tx);
      if (coordinators.every((g) => g.personId === params.personId))
        return { ok: false, reason: 'LAST_COORDINATOR' };
    }
    const [person] = await tx
      .update(persons)
      .set({ displayName: CLOSED_ACCOUNT_NAME, email: null, closedAt: params.now })
      .where(and(eq(persons.id, params.personId), isNull(persons.closedAt)))
      .returning();
    if (!person) return { ok: false, reason: 'UNKNOWN_PERSON' };
    await tx.delete(personIdentities).where(eq(personIdentities.personId, params.personId));
    await tx
      .update(roleGrants)
      .set({ revokedAt: params.now, revokedBy: params.personId })
      .where(and(eq(roleGrants.personId, params.personId), live));
    return { ok: true, person };
  });
}

/** An identity a provider vouched for, as the gateway hands it over. */
export interface SignInIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

/** The open person an identity signs in as, forgetting a link left to a closed account. */
async function personOfIdentity(tx: Tx, identity: SignInIdentity): Promise<PersonRow | null> {
  const [row] = await tx
    .select({ person: persons })
    .from(personIdentities)
    .innerJoin(persons, eq(persons.id, personIdentities.personId))
    .where(
      and(
        eq(personIdentities.issuer, identity.issuer),
        eq(personIdentities.subject, identity.subject),
      ),
    );
  if (!row) return null;
  if (row.person.closedAt === null) return row.person;
  await tx
    .delete(personIdentities)
    .where(
      and(
        eq(personIdentities.issuer, identity.issuer),
        eq(personIdentities.subject, identity.subject),
      ),
    );
  return null;
}

/** Links the identity to the person; false when a concurrent sign-in linked it (or the person) first. */
async function link(tx: Tx, identity: SignInIdentity, personId: string, now: Date) {
  const [linked] = await tx
    .insert(personIdentities)
    .values({ issuer: identity.issuer, subject: identity.subject, personId, linkedAt: now })
    .onConflictDoNothing()
    .returning();
  return linked !== undefined;
}

function nameFor(identity: SignInIdentity, verifiedEmail: string | null): string {
  const name = identity.name?.trim() || verifiedEmail?.split('@')[0] || UNNAMED;
  return name.slice(0, 200);
}

/**
 * The person an identity signs in as (see `Mutation.signIn`). Concurrent first sign-ins of one
 * identity race on the identity's primary key: the loser's insert waits for the winner's
 * commit, finds the key taken (ON CONFLICT DO NOTHING), drops the person it made and reads the
 * winner's. A verified email taken by an open account races on the email's unique index alike.
 */
export async function signIn(
  db: Db,
  identity: SignInIdentity,
  now: Date,
): Promise<{ person: PersonRow; grants: RoleGrantRow[] }> {
  const person = await db.transaction(async (tx): Promise<PersonRow> => {
    const known = await personOfIdentity(tx, identity);
    if (known) return known;
    const email = identity.emailVerified ? identity.email : null;
    if (email) {
      const [invited] = await tx
        .select()
        .from(persons)
        .where(
          and(
            isNull(persons.closedAt),
            sameEmail(email),
            notExists(
              tx
                .select({ issuer: personIdentities.issuer })
                .from(personIdentities)
                .where(
                  and(
                    eq(personIdentities.personId, persons.id),
                    eq(personIdentities.issuer, identity.issuer),
                  ),
                ),
            ),
          ),
        );
      if (invited) {
        if (await link(tx, identity, invited.id, now)) {
          await tx
            .update(invitations)
            .set({ acceptedAt: now, acceptedBy: invited.id })
            .where(
              and(
                sql`lower(${invitations.email}) = lower(${email})`,
                isNull(invitations.acceptedAt),
              ),
            );
          return invited;
        }
        const winner = await personOfIdentity(tx, identity);
        if (winner) return winner;
      }
    }
    const values = { displayName: nameFor(identity, email), createdAt: now };
    const [withEmail] = email
      ? await tx
          .insert(persons)
          .values({ ...values, email })
          .onConflictDoNothing()
          .returning()
      : [];
    const created = withEmail ?? (await tx.insert(persons).values(values).returning())[0]!;
    if (await link(tx, identity, created.id, now)) return created;
    await tx.delete(persons).where(eq(persons.id, created.id));
    const winner = await personOfIdentity(tx, identity);
    if (!winner) throw new Error('a concurrent sign-in linked the identity and left no person');
    return winner;
  });
  return { person, grants: await listLiveGrantsByPersonIds(db, [person.id]) };
}
