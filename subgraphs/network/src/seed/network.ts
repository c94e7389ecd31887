import { SEEDED_PEOPLE, type SeededPerson } from '@tiers-lieux/schema/seed-people';
import type { PartnerValues } from '../data/partners.js';
import type { ProductValues } from '../data/products.js';

/**
 * The seeded network, from the French articles that described the network (summed up in
 * `docs/architecture.md`). Partner kinds other than the
 * Baronnies park, product terms other than the Serres card (10 entries of 3 hours for 50 EUR)
 * and every pass and redemption are assumptions for the demo.
 */

/** Copied from `subgraphs/space/src/seed/partners.ts` (packages do not import each other). */
export const SEED_SPACE_IDS = {
  serresLaSerre: 'baronnies:space:6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31',
  buisLesTuves: 'baronnies:space:a3e5c7d9-1b2f-4a6c-8e0d-2f4b6d8a0c52',
  toulouseLaCantine: 'cantine:space:c8b6a4e2-0d1f-4e3a-b5c7-9e1d3f5a7b63',
  gapLaLocomotive: 'locomotive:space:e1c3a5b7-9d0f-4b2e-a4c6-8f0e2d4b6a74',
  toulouseLaSerre: 'laserre:space:2b4d6f80-a1c3-4e5f-b7d9-0c2e4a6b8d85',
} as const;

/** Copied from `subgraphs/space/src/seed/partners.ts`. */
export const SEED_MEMBER_IDS = {
  camilleRoux: 'baronnies:member:7a9c1e3f-5b7d-4f9b-8d1f-3a5c7e9b1d29',
  lucasMartin: 'baronnies:member:8b0d2f4a-6c8e-4a0c-9e2a-4b6d8f0a2e30',
  inesBenali: 'cantine:member:9c1e3a5b-7d9f-4b1d-8f3a-5c7e9b1d3f41',
  thierryVallee: 'locomotive:member:be3a5c7d-9f1b-4d3f-8b5c-7e9a1b3d5f63',
  julienMorel: 'laserre:member:d05c7e9f-1b3d-4f5b-8d7e-9a1c3d5f7b85',
} as const;

/** The partners in the order of the embedded network's ports, 4101 to 4104. */
export const SEED_PARTNERS: PartnerValues[] = [
  {
    slug: 'baronnies',
    name: 'Parc naturel régional des Baronnies provençales',
    kind: 'REGIONAL_NATURAL_PARK',
    territory: 'Baronnies provençales (Drôme, Hautes-Alpes)',
    subgraphUrl: 'http://127.0.0.1:4101/',
  },
  {
    slug: 'cantine',
    name: 'La Cantine',
    kind: 'ASSOCIATION',
    territory: 'Toulouse',
    subgraphUrl: 'http://127.0.0.1:4102/',
  },
  {
    slug: 'locomotive',
    name: 'La Locomotive',
    kind: 'ASSOCIATION',
    territory: 'Gap (Hautes-Alpes)',
    subgraphUrl: 'http://127.0.0.1:4103/',
  },
  {
    slug: 'laserre',
    name: 'La Serre',
    kind: 'COOPERATIVE',
    territory: 'Toulouse',
    subgraphUrl: 'http://127.0.0.1:4104/',
  },
];

export interface SeedProduct {
  id: string;
  values: ProductValues;
  spaceIds: string[];
}

export const SEED_PRODUCT_IDS = {
  toulousePass: 'a307f1c5-b6e9-4cdf-b49b-b8e372a9edce',
  serresCard: 'e30c257e-1afc-4d75-9cae-4e727154df86',
  ruralPass: 'be8b75cc-036f-4b27-a87e-9e879ba8d092',
} as const;

export const SEED_PRODUCTS: SeedProduct[] = [
  {
    id: SEED_PRODUCT_IDS.toulousePass,
    values: {
      name: 'Pass co-working Toulouse',
      sellerSlug: 'laserre',
      entries: 10,
      entryMinutes: 240,
      priceCents: 12000,
      validityDays: 180,
    },
    spaceIds: [SEED_SPACE_IDS.toulouseLaSerre, SEED_SPACE_IDS.toulouseLaCantine],
  },
  {
    id: SEED_PRODUCT_IDS.serresCard,
    values: {
      name: "Carte d'abonnement 10 entrées La Serre (Serres)",
      sellerSlug: 'baronnies',
      entries: 10,
      entryMinutes: 180,
      priceCents: 5000,
      validityDays: 365,
    },
    spaceIds: [SEED_SPACE_IDS.serresLaSerre],
  },
  {
    // 6 entries for 50 EUR: an entry is worth 833.33 cents, so the rounding rule shows.
    id: SEED_PRODUCT_IDS.ruralPass,
    values: {
      name: 'Pass rural Baronnies – Gapençais',
      sellerSlug: 'baronnies',
      entries: 6,
      entryMinutes: 480,
      priceCents: 5000,
      validityDays: 365,
    },
    spaceIds: [
      SEED_SPACE_IDS.serresLaSerre,
      SEED_SPACE_IDS.buisLesTuves,
      SEED_SPACE_IDS.gapLaLocomotive,
    ],
  },
];

export interface SeedPass {
  id: string;
  code: string;
  productId: string;
  holderId: string | null;
  issuedDaysAgo: number;
  /** Visits, each recorded when it ends; `voided` ones are voided the next day. */
  visits: { spaceId: string; daysAgo: number; at: number; minutes: number; voided?: string }[];
}

const S = SEED_SPACE_IDS;

export const SEED_PASSES: SeedPass[] = [
  {
    id: '03c95e3e-6b84-4ac9-b2c6-1114503a9fc2',
    code: 'XM5B659ND5F7',
    productId: SEED_PRODUCT_IDS.serresCard,
    holderId: SEED_MEMBER_IDS.camilleRoux,
    issuedDaysAgo: 40,
    visits: [
      { spaceId: S.serresLaSerre, daysAgo: 35, at: 9, minutes: 180 },
      { spaceId: S.serresLaSerre, daysAgo: 28, at: 9, minutes: 240 },
      { spaceId: S.serresLaSerre, daysAgo: 21, at: 14, minutes: 180 },
      { spaceId: S.serresLaSerre, daysAgo: 14, at: 9, minutes: 120 },
      { spaceId: S.serresLaSerre, daysAgo: 7, at: 14, minutes: 180 },
    ],
  },
  {
    id: '87b67754-794e-4e8f-82e9-9a6b637ddfae',
    code: 'W7XDX0PEMPRJ',
    productId: SEED_PRODUCT_IDS.ruralPass,
    holderId: SEED_MEMBER_IDS.lucasMartin,
    issuedDaysAgo: 30,
    visits: [
      { spaceId: S.buisLesTuves, daysAgo: 26, at: 9, minutes: 420 },
      { spaceId: S.gapLaLocomotive, daysAgo: 19, at: 9, minutes: 480 },
      { spaceId: S.gapLaLocomotive, daysAgo: 12, at: 9, minutes: 300 },
      { spaceId: S.serresLaSerre, daysAgo: 5, at: 9, minutes: 360 },
    ],
  },
  {
    id: '6343f370-bb03-4024-a326-d30175d721cf',
    code: 'BNA9QDD6JA37',
    productId: SEED_PRODUCT_IDS.ruralPass,
    holderId: SEED_MEMBER_IDS.thierryVallee,
    issuedDaysAgo: 20,
    visits: [
      { spaceId: S.gapLaLocomotive, daysAgo: 18, at: 9, minutes: 480 },
      { spaceId: S.buisLesTuves, daysAgo: 11, at: 9, minutes: 480 },
      { spaceId: S.gapLaLocomotive, daysAgo: 4, at: 9, minutes: 240 },
    ],
  },
  {
    id: 'd7ef0e3e-fcbe-4373-9325-253d54b01ef9',
    code: 'DMVXA3W0KMQ4',
    productId: SEED_PRODUCT_IDS.toulousePass,
    holderId: SEED_MEMBER_IDS.inesBenali,
    issuedDaysAgo: 25,
    visits: [
      { spaceId: S.toulouseLaCantine, daysAgo: 24, at: 9, minutes: 240 },
      { spaceId: S.toulouseLaSerre, daysAgo: 17, at: 14, minutes: 240 },
      {
        spaceId: S.toulouseLaCantine,
        daysAgo: 16,
        at: 9,
        minutes: 480,
        voided: 'Badge scanné deux fois',
      },
      { spaceId: S.toulouseLaCantine, daysAgo: 10, at: 9, minutes: 480 },
      { spaceId: S.toulouseLaSerre, daysAgo: 3, at: 14, minutes: 200 },
    ],
  },
  {
    id: 'd6ee2a20-a395-42c0-acae-0a6695cb84a5',
    code: 'NX1MKF8MNQZ7',
    productId: SEED_PRODUCT_IDS.toulousePass,
    holderId: SEED_MEMBER_IDS.julienMorel,
    issuedDaysAgo: 10,
    visits: [{ spaceId: S.toulouseLaCantine, daysAgo: 6, at: 14, minutes: 240 }],
  },
  {
    // A card sold at the counter to someone who is not a member of any partner.
    id: '8cdcb4d9-287c-43a6-82b1-fcf63f56e120',
    code: 'W7C9MKC5NZNH',
    productId: SEED_PRODUCT_IDS.serresCard,
    holderId: null,
    issuedDaysAgo: 2,
    visits: [],
  },
];

/** The seeded coordinator, who grants every seeded role. */
export const SEED_COORDINATOR: SeededPerson = SEEDED_PEOPLE.find((p) => p.coordinator)!;

/** The uuid of the seeded person who is this member (`<partner>:member:<uuid>`), if any. */
export function seededPersonOfMember(memberId: string): string | null {
  const person = SEEDED_PEOPLE.find((p) =>
    Object.entries(p.members ?? {}).some(
      ([partner, uuid]) => `${partner}:member:${uuid}` === memberId,
    ),
  );
  return person?.uuid ?? null;
}

/** The uuid of the seeded manager of a partner, who records the seeded visits at its spaces. */
export function seededManagerOf(partner: string): string {
  return SEEDED_PEOPLE.find((p) => p.manages?.includes(partner))!.uuid;
}
