/**
 * The people of the seeded network, shared by every seed that needs them: the network
 * subgraph's persons and roles, each partner's member records (`Member.person`), and the
 * accounts of the embedded OpenID provider. Development data only: the password is the same
 * for every account and the README lists it.
 */
export const SEEDED_PASSWORD = 'demo-tiers-lieux';

export interface SeededPerson {
  /** The uuid of `network:person:<uuid>`. */
  uuid: string;
  displayName: string;
  email: string;
  coordinator?: true;
  /** Partners whose manager the person is. */
  manages?: string[];
  /** Partners whose front-desk staff the person is. */
  staffs?: string[];
  /** The person's member records: partner slug → the uuid of `<partner>:member:<uuid>`. */
  members?: Record<string, string>;
}

export const SEEDED_PEOPLE: readonly SeededPerson[] = [
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a01',
    displayName: 'Hélène Duval',
    email: 'helene.duval@reseau-tiers-lieux.example',
    coordinator: true,
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a02',
    displayName: 'Sophie Arnaud',
    email: 'sophie.arnaud@baronnies.example',
    manages: ['baronnies'],
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a03',
    displayName: 'Karim Haddad',
    email: 'karim.haddad@lacantine.example',
    manages: ['cantine'],
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a04',
    displayName: 'Élodie Blanc',
    email: 'elodie.blanc@lalocomotive.example',
    manages: ['locomotive'],
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a05',
    displayName: 'Marc Giraud',
    email: 'marc.giraud@laserre.example',
    manages: ['laserre'],
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a06',
    displayName: 'Nadia Perrin',
    email: 'nadia.perrin@baronnies.example',
    staffs: ['baronnies'],
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a07',
    displayName: 'Hugo Lambert',
    email: 'hugo.lambert@lacantine.example',
    staffs: ['cantine'],
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a08',
    displayName: 'Léa Fabre',
    email: 'lea.fabre@lalocomotive.example',
    staffs: ['locomotive'],
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a09',
    displayName: 'Yanis Robert',
    email: 'yanis.robert@laserre.example',
    staffs: ['laserre'],
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a10',
    displayName: 'Camille Roux',
    email: 'camille.roux@example.org',
    members: { baronnies: '7a9c1e3f-5b7d-4f9b-8d1f-3a5c7e9b1d29' },
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a11',
    displayName: 'Lucas Martin',
    email: 'lucas.martin@example.org',
    members: { baronnies: '8b0d2f4a-6c8e-4a0c-9e2a-4b6d8f0a2e30' },
  },
  {
    // Member of two partners: La Cantine, and La Serre in Toulouse, whose pass co-working
    // La Cantine shares.
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a12',
    displayName: 'Inès Benali',
    email: 'ines.benali@example.org',
    members: {
      cantine: '9c1e3a5b-7d9f-4b1d-8f3a-5c7e9b1d3f41',
      laserre: 'e16d8f0a-2c4e-4a6c-8e8f-0b2d4e6a8c96',
    },
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a13',
    displayName: 'Thomas Garcia',
    email: 'thomas.garcia@example.org',
    members: { cantine: 'ad2f4b6c-8e0a-4c2e-9a4b-6d8f0a2c4e52' },
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a14',
    displayName: 'Thierry Vallée',
    email: 'thierry.vallee@example.org',
    members: { locomotive: 'be3a5c7d-9f1b-4d3f-8b5c-7e9a1b3d5f63' },
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a15',
    displayName: 'Anne-Marie Fontaine',
    email: 'anne-marie.fontaine@example.org',
    members: { laserre: 'cf4b6d8e-0a2c-4e4a-9c6d-8f0b2c4e6a74' },
  },
  {
    uuid: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a16',
    displayName: 'Julien Morel',
    email: 'julien.morel@example.org',
    members: { laserre: 'd05c7e9f-1b3d-4f5b-8d7e-9a1c3d5f7b85' },
  },
];

/** `network:person:<uuid>` of a seeded person, by email. */
export function seededPersonId(email: string): string {
  const person = SEEDED_PEOPLE.find((p) => p.email === email);
  if (!person) throw new Error(`No seeded person has the email ${email}`);
  return `network:person:${person.uuid}`;
}
