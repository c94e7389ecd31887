import { createHash } from 'node:crypto';
import { formatPersonId, type Viewer } from '@tiers-lieux/schema';
import { SEEDED_PEOPLE } from '@tiers-lieux/schema/seed-people';
import type { Identity, PeopleDirectory } from '../people.js';

/** A person of a test's table: their id and the roles the test grants them. */
export interface TablePerson {
  personId: string;
  coordinator?: boolean;
  manages?: readonly string[];
  staffs?: readonly string[];
}

/**
 * A people directory for gateways started without a network subgraph: the people and roles
 * come from a table the test gives, keyed by verified email, as the network links a seeded
 * person or an invitation. An identity the table does not know is a new person without roles,
 * with an id of its own. The test may change the table as it goes (a revoked role).
 */
export class TablePeople implements PeopleDirectory {
  private readonly people: Map<string, TablePerson>;
  /** Every identity asked about, in order. */
  readonly asked: Identity[] = [];

  constructor(people: Record<string, TablePerson>) {
    this.people = new Map(Object.entries(people).map(([email, p]) => [email.toLowerCase(), p]));
  }

  /** Adds a person, or replaces one. */
  set(email: string, person: TablePerson): void {
    this.people.set(email.toLowerCase(), person);
  }

  /** The table's entry for an email. */
  get(email: string): TablePerson | undefined {
    return this.people.get(email.toLowerCase());
  }

  async viewerFor(identity: Identity): Promise<Viewer> {
    this.asked.push(identity);
    const known = identity.email && identity.emailVerified ? this.get(identity.email) : undefined;
    const person = known ?? { personId: strangerId(identity) };
    return {
      kind: 'person',
      personId: person.personId,
      coordinator: person.coordinator ?? false,
      manages: [...(person.manages ?? [])],
      staffs: [...(person.staffs ?? [])],
    };
  }
}

/** A stable person id for an identity the table does not know. */
function strangerId(identity: Identity): string {
  const hex = createHash('sha256')
    .update(JSON.stringify([identity.issuer, identity.subject]))
    .digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return formatPersonId(uuid);
}

/** The seeded people (`SEEDED_PEOPLE`) and their roles, as a table. */
export function seededPeople(): TablePeople {
  return new TablePeople(
    Object.fromEntries(
      SEEDED_PEOPLE.map((p) => [
        p.email,
        {
          personId: formatPersonId(p.uuid),
          coordinator: p.coordinator === true,
          manages: p.manages ?? [],
          staffs: p.staffs ?? [],
        },
      ]),
    ),
  );
}
