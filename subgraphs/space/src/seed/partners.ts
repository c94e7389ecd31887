import type { EventValues } from '../data/events.js';
import type { MemberValues } from '../data/members.js';
import type { OfferValues, SpaceValues } from '../data/spaces.js';

/**
 * The seeded network, from the French articles that described the network (summed up in
 * `docs/architecture.md`). Where an article gives no fact
 * (street, coordinates, hours of a place other than La Serre in Serres, prices other than
 * the Serres card), the value is an assumption: coordinates are the commune's centre and say
 * so with `approximate`. Ids are fixed so that the network subgraph can refer to these
 * spaces; they are random uuids, never derived from names (two places are called La Serre).
 */
export interface SeedSpace {
  id: string;
  values: SpaceValues;
  offers: OfferValues[];
}

export interface SeedEvent {
  id: string;
  spaceId: string;
  /** When it happens, relative to the seeding day, in Paris wall-clock time. */
  when: { inDays: number; weekday?: number; at: string; minutes: number };
  values: Omit<EventValues, 'spaceId' | 'startsAt' | 'endsAt'>;
}

export interface SeedMember {
  id: string;
  values: MemberValues;
  membership?: { spaceId: string; plan: string; sinceDaysAgo: number };
}

/** A person of the network (`SEEDED_PEOPLE`, by email) who came as a visitor, not a member. */
export interface SeedVisitor {
  email: string;
  spaceId: string;
  daysAgo: number;
}

export interface SeedPartner {
  spaces: SeedSpace[];
  events: SeedEvent[];
  members: SeedMember[];
  visitors?: SeedVisitor[];
}

export const SEED_SPACE_IDS = {
  serresLaSerre: '6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31',
  buisLesTuves: 'a3e5c7d9-1b2f-4a6c-8e0d-2f4b6d8a0c52',
  toulouseLaCantine: 'c8b6a4e2-0d1f-4e3a-b5c7-9e1d3f5a7b63',
  gapLaLocomotive: 'e1c3a5b7-9d0f-4b2e-a4c6-8f0e2d4b6a74',
  toulouseLaSerre: '2b4d6f80-a1c3-4e5f-b7d9-0c2e4a6b8d85',
  tournefeuilleProject: '5d7f9b1c-3e5a-4c7e-9a1b-3d5f7b9c1e96',
} as const;

const serresCard: OfferValues = {
  kind: 'MULTI_ENTRY_CARD',
  label: 'Carte d’abonnement 10 entrées (1 entrée = 3 heures)',
  priceCents: 5000,
  entries: 10,
  entryMinutes: 180,
};

function offer(kind: OfferValues['kind'], label: string, priceCents: number): OfferValues {
  return { kind, label, priceCents, entries: null, entryMinutes: null };
}

/** Offers the article on coworking describes (half-day, day, week, month); prices assumed. */
const urbanOffers = (halfDay: number, day: number, week: number, month: number): OfferValues[] => [
  offer('HALF_DAY', 'Demi-journée', halfDay),
  offer('DAY', 'Journée', day),
  offer('WEEK', 'Semaine', week),
  offer('MONTH', 'Mois', month),
];

export const SEED: Record<string, SeedPartner> = {
  baronnies: {
    spaces: [
      {
        id: SEED_SPACE_IDS.serresLaSerre,
        values: {
          name: 'La Serre',
          status: 'OPEN',
          kinds: ['COWORKING', 'TIERS_LIEU'],
          description:
            'Premier espace de coworking de Serres, au sein de la Maison de Services Au Public (MSAP) de la communauté de communes du Serrois. Projet expérimental accompagné par la BGE Acces Conseil et le Parc naturel régional des Baronnies provençales : des espaces équipés, connectés et conviviaux pour coworkeurs et télétravailleurs.',
          street: null,
          postalCode: '05700',
          commune: 'Serres',
          inseeCode: '05166',
          department: '05',
          // approximate: centre of the commune of Serres; the MSAP's exact position is not in the articles.
          lat: 44.4286,
          lon: 5.7161,
          accessNotes: 'Dans la Maison de Services Au Public (MSAP) du Serrois',
          openingHours: 'Mo,Tu 09:00-17:00; Th 14:00-17:00',
          amenities: ['WIFI', 'MEETING_ROOM', 'PRINTER'],
          services: ['ADMIN_SUPPORT', 'DIGITAL_INCLUSION'],
          audiences: ['TELEWORKER', 'FREELANCER', 'BUSINESS_CREATOR', 'JOB_SEEKER'],
          desks: 6,
          surfaceM2: null,
          contactEmail: null,
          contactPhone: null,
          website: null,
          openedOn: '2016-07-01',
        },
        offers: [serresCard],
      },
      {
        id: SEED_SPACE_IDS.buisLesTuves,
        values: {
          name: 'Les Tuves',
          status: 'OPEN',
          kinds: ['COWORKING', 'TIERS_LIEU'],
          description:
            'Espace de coworking de Buis-les-Baronnies, dans la Drôme, pionnier des tiers-lieux du réseau Innover en Baronnies provençales.',
          street: null,
          postalCode: '26170',
          commune: 'Buis-les-Baronnies',
          inseeCode: '26063',
          department: '26',
          // approximate: centre of the commune of Buis-les-Baronnies.
          lat: 44.2756,
          lon: 5.2711,
          accessNotes: null,
          // assumed: the articles give no hours for Les Tuves.
          openingHours: 'Mo-Fr 09:00-18:00',
          amenities: ['WIFI', 'FIBRE', 'KITCHEN', 'LOUNGE'],
          services: ['TRAINING'],
          audiences: ['TELEWORKER', 'FREELANCER', 'NOMADIC_WORKER', 'SMALL_COMPANY'],
          desks: 8,
          surfaceM2: null,
          contactEmail: null,
          contactPhone: null,
          website: null,
          openedOn: null,
        },
        offers: [offer('HALF_DAY', 'Demi-journée', 600), offer('DAY', 'Journée', 1000)],
      },
    ],
    events: [
      {
        id: '0c1e3a5b-7d9f-4b1d-8f3a-5c7e9b1d3f07',
        spaceId: SEED_SPACE_IDS.serresLaSerre,
        when: { inDays: 0, weekday: 4, at: '14:30', minutes: 60 },
        values: {
          title: 'Réunion d’information : coworker à la MSAP',
          description:
            'Découvrir La Serre, la carte 10 entrées et les services de la MSAP. Ouvert aux télétravailleurs et aux indépendants du Serrois.',
          kind: 'INFORMATION_MEETING',
          capacity: 12,
          priceCents: null,
        },
      },
      {
        id: '1d2f4b6c-8e0a-4c2e-9a4b-6d8f0a2c4e18',
        spaceId: SEED_SPACE_IDS.buisLesTuves,
        when: { inDays: 7, weekday: 2, at: '12:30', minutes: 90 },
        values: {
          title: 'Intervention d’un coworkeur : répondre à plusieurs à un appel d’offres',
          description:
            'Un membre expert partage sa méthode pour fédérer les compétences des coworkeurs et répondre ensemble à un appel d’offres.',
          kind: 'TALK',
          capacity: 15,
          priceCents: null,
        },
      },
    ],
    members: [
      {
        id: '7a9c1e3f-5b7d-4f9b-8d1f-3a5c7e9b1d29',
        values: {
          displayName: 'Camille Roux',
          email: 'camille.roux@example.org',
          phone: '+33 6 12 34 56 78',
          profile: 'TELEWORKER',
          skills: ['Comptabilité', 'Gestion de projet'],
          isInDirectory: true,
        },
        membership: {
          spaceId: SEED_SPACE_IDS.serresLaSerre,
          plan: 'Carte 10 entrées',
          sinceDaysAgo: 40,
        },
      },
      {
        id: '8b0d2f4a-6c8e-4a0c-9e2a-4b6d8f0a2e30',
        values: {
          displayName: 'Lucas Martin',
          email: 'lucas.martin@example.org',
          phone: null,
          profile: 'FREELANCER',
          skills: ['Développement web', 'Cartographie'],
          isInDirectory: false,
        },
        membership: { spaceId: SEED_SPACE_IDS.buisLesTuves, plan: 'Mois', sinceDaysAgo: 90 },
      },
    ],
  },

  cantine: {
    spaces: [
      {
        id: SEED_SPACE_IDS.toulouseLaCantine,
        values: {
          name: 'La Cantine',
          status: 'OPEN',
          kinds: ['COWORKING'],
          description:
            'Espace de coworking toulousain tourné vers l’économie numérique, au succès grandissant. Partenaire de La Serre : le « pass co-working » donne accès aux deux espaces.',
          street: null,
          postalCode: '31000',
          commune: 'Toulouse',
          inseeCode: '31555',
          department: '31',
          // approximate: centre of Toulouse; the articles give no address for La Cantine.
          lat: 43.6045,
          lon: 1.444,
          accessNotes: null,
          // assumed: the articles give no hours for La Cantine.
          openingHours: 'Mo-Fr 09:00-19:00',
          amenities: [
            'WIFI',
            'FIBRE',
            'MEETING_ROOM',
            'CONFERENCE_ROOM',
            'VIDEOCONFERENCE',
            'PRINTER',
            'KITCHEN',
          ],
          services: ['TRAINING', 'IT_HELP'],
          audiences: ['FREELANCER', 'SMALL_COMPANY', 'NOMADIC_WORKER', 'STUDENT'],
          desks: 40,
          surfaceM2: null,
          contactEmail: null,
          contactPhone: null,
          website: null,
          openedOn: null,
        },
        offers: urbanOffers(1000, 1800, 7000, 20000),
      },
    ],
    events: [
      {
        id: '2e3a5c7d-9f1b-4d3f-8b5c-7e9a1b3d5f29',
        spaceId: SEED_SPACE_IDS.toulouseLaCantine,
        when: { inDays: 0, weekday: 3, at: '12:00', minutes: 60 },
        values: {
          title: 'Une heure de formation : les outils collaboratifs',
          description:
            'Partager des documents, animer une visio, tenir un tableau de tâches à plusieurs.',
          kind: 'TRAINING',
          capacity: 10,
          priceCents: null,
        },
      },
      {
        id: '3f4b6d8e-0a2c-4e4a-9c6d-8f0b2c4e6a30',
        spaceId: SEED_SPACE_IDS.toulouseLaCantine,
        when: { inDays: 7, weekday: 5, at: '12:30', minutes: 90 },
        values: {
          title: 'Repas partagé des coworkeurs',
          description:
            'Chacun apporte un plat : le meilleur moment pour rencontrer ses voisins de bureau.',
          kind: 'SHARED_MEAL',
          capacity: null,
          priceCents: null,
        },
      },
    ],
    members: [
      {
        id: '9c1e3a5b-7d9f-4b1d-8f3a-5c7e9b1d3f41',
        values: {
          displayName: 'Inès Benali',
          email: 'ines.benali@example.org',
          phone: '+33 6 98 76 54 32',
          profile: 'FREELANCER',
          skills: ['Design UX', 'Ingénierie de projet'],
          isInDirectory: true,
        },
        membership: { spaceId: SEED_SPACE_IDS.toulouseLaCantine, plan: 'Mois', sinceDaysAgo: 120 },
      },
      {
        id: 'ad2f4b6c-8e0a-4c2e-9a4b-6d8f0a2c4e52',
        values: {
          displayName: 'Thomas Garcia',
          email: 'thomas.garcia@example.org',
          phone: '+33 6 45 67 89 01',
          profile: 'SMALL_COMPANY',
          skills: ['Développement mobile'],
          isInDirectory: false,
        },
        membership: { spaceId: SEED_SPACE_IDS.toulouseLaCantine, plan: 'Semaine', sinceDaysAgo: 3 },
      },
    ],
  },

  locomotive: {
    spaces: [
      {
        id: SEED_SPACE_IDS.gapLaLocomotive,
        values: {
          name: 'La Locomotive',
          status: 'OPEN',
          kinds: ['COWORKING', 'TIERS_LIEU'],
          description:
            'Espace de coworking de Gap, devenu moteur de coopérations entre professionnels souvent issus de secteurs différents.',
          street: null,
          postalCode: '05000',
          commune: 'Gap',
          inseeCode: '05061',
          department: '05',
          // approximate: centre of Gap.
          lat: 44.5594,
          lon: 6.0786,
          accessNotes: null,
          // assumed: the articles give no hours for La Locomotive.
          openingHours: 'Mo-Fr 08:30-18:30',
          amenities: ['WIFI', 'FIBRE', 'MEETING_ROOM', 'KITCHEN', 'LOUNGE', 'BIKE_PARKING'],
          services: ['TRAINING', 'MAIL_DOMICILIATION'],
          audiences: ['TELEWORKER', 'FREELANCER', 'SMALL_COMPANY', 'NOMADIC_WORKER'],
          desks: 15,
          surfaceM2: null,
          contactEmail: null,
          contactPhone: null,
          website: null,
          openedOn: null,
        },
        offers: urbanOffers(800, 1500, 5500, 16000),
      },
    ],
    events: [
      {
        id: '4a5c7e9f-1b3d-4f5b-8d7e-9a1c3d5f7b41',
        spaceId: SEED_SPACE_IDS.gapLaLocomotive,
        when: { inDays: 0, weekday: 2, at: '12:15', minutes: 75 },
        values: {
          title: 'Repas partagé',
          description: 'Le déjeuner des coworkeurs de La Locomotive, ouvert aux curieux.',
          kind: 'SHARED_MEAL',
          capacity: 20,
          priceCents: null,
        },
      },
    ],
    members: [
      {
        id: 'be3a5c7d-9f1b-4d3f-8b5c-7e9a1b3d5f63',
        values: {
          displayName: 'Thierry Vallée',
          email: 'thierry.vallee@example.org',
          phone: null,
          profile: 'FREELANCER',
          skills: ['Animation de communauté', 'Coworking'],
          isInDirectory: true,
        },
        membership: { spaceId: SEED_SPACE_IDS.gapLaLocomotive, plan: 'Mois', sinceDaysAgo: 700 },
      },
    ],
    visitors: [
      // A member of the Baronnies passing through Gap.
      { email: 'lucas.martin@example.org', spaceId: SEED_SPACE_IDS.gapLaLocomotive, daysAgo: 2 },
    ],
  },

  laserre: {
    spaces: [
      {
        id: SEED_SPACE_IDS.toulouseLaSerre,
        values: {
          name: 'La Serre',
          status: 'OPEN',
          kinds: ['COWORKING', 'TIERS_LIEU'],
          description:
            'Espace de travail partagé au bénéfice de l’entrepreneuriat social, de l’économie créative et responsable : bureaux, salles de conférence et de réunion, espace détente. Deux espaces de 400 m² en projet, l’un pour l’économie créative (artisans, designers, architectes), l’autre pour les entreprises de l’ESS associées à la gouvernance.',
          street: null,
          postalCode: '31300',
          commune: 'Toulouse',
          inseeCode: '31555',
          department: '31',
          // approximate: near the Patte d'Oie métro station; the exact address is not in the articles.
          lat: 43.5963,
          lon: 1.4204,
          accessNotes: 'À quelques mètres du métro Patte d’Oie (ligne A)',
          // assumed: the articles give no hours for La Serre in Toulouse.
          openingHours: 'Mo-Fr 09:00-18:00',
          amenities: ['WIFI', 'MEETING_ROOM', 'CONFERENCE_ROOM', 'LOUNGE', 'KITCHEN'],
          services: ['BUSINESS_SUPPORT', 'TRAINING'],
          audiences: ['FREELANCER', 'SMALL_COMPANY', 'BUSINESS_CREATOR', 'VOLUNTEER'],
          desks: 20,
          surfaceM2: null,
          contactEmail: null,
          contactPhone: null,
          website: null,
          openedOn: null,
        },
        offers: urbanOffers(900, 1500, 6000, 18000),
      },
      {
        id: SEED_SPACE_IDS.tournefeuilleProject,
        values: {
          name: 'Espace de coworking de Tournefeuille',
          status: 'ABANDONED',
          kinds: ['COWORKING'],
          description:
            'Projet porté par la Ville de Tournefeuille avec la Fabrique à Initiatives (2014-2016) : un espace de travail partagé pour télétravailleurs et créateurs d’activité. Faute de locaux accessibles, la dynamique s’est essoufflée et l’espace n’a jamais ouvert.',
          street: null,
          postalCode: '31170',
          commune: 'Tournefeuille',
          inseeCode: '31557',
          department: '31',
          // approximate: centre of Tournefeuille; the space never had premises.
          lat: 43.5853,
          lon: 1.345,
          accessNotes: null,
          openingHours: null,
          amenities: [],
          services: [],
          audiences: ['TELEWORKER', 'BUSINESS_CREATOR'],
          desks: null,
          surfaceM2: null,
          contactEmail: null,
          contactPhone: null,
          website: null,
          openedOn: null,
        },
        offers: [],
      },
    ],
    events: [
      {
        id: '5b6d8f0a-2c4e-4a6c-9e8f-0b2d4e6a8c52',
        spaceId: SEED_SPACE_IDS.toulouseLaSerre,
        when: { inDays: 0, weekday: 2, at: '18:30', minutes: 60 },
        values: {
          title: 'Réunion d’information hebdomadaire',
          description:
            'Présentation de La Serre, du pass co-working avec La Cantine et des projets de l’ESS accueillis.',
          kind: 'INFORMATION_MEETING',
          capacity: 10,
          priceCents: null,
        },
      },
      {
        id: '6c7e9a1b-3d5f-4b7d-8f9a-1c3e5f7b9d63',
        spaceId: SEED_SPACE_IDS.toulouseLaSerre,
        when: { inDays: 7, weekday: 2, at: '18:30', minutes: 60 },
        values: {
          title: 'Réunion d’information hebdomadaire',
          description:
            'Présentation de La Serre, du pass co-working avec La Cantine et des projets de l’ESS accueillis.',
          kind: 'INFORMATION_MEETING',
          capacity: 10,
          priceCents: null,
        },
      },
      {
        id: '7d8f0a2c-4e6a-4c8e-9a0b-2d4f6a8c0e74',
        spaceId: SEED_SPACE_IDS.toulouseLaSerre,
        when: { inDays: 10, at: '19:00', minutes: 120 },
        values: {
          title: 'Soirée de lancement de l’espace économie créative',
          description:
            'Artisans, designers et architectes : présentation du futur espace de 400 m² et de ses outils de co-création.',
          kind: 'LAUNCH_EVENING',
          capacity: 60,
          priceCents: null,
        },
      },
    ],
    members: [
      {
        id: 'cf4b6d8e-0a2c-4e4a-9c6d-8f0b2c4e6a74',
        values: {
          displayName: 'Anne-Marie Fontaine',
          email: 'anne-marie.fontaine@example.org',
          phone: null,
          profile: 'SMALL_COMPANY',
          skills: ['Économie sociale et solidaire', 'Gouvernance coopérative'],
          isInDirectory: true,
        },
        membership: { spaceId: SEED_SPACE_IDS.toulouseLaSerre, plan: 'Mois', sinceDaysAgo: 60 },
      },
      {
        id: 'd05c7e9f-1b3d-4f5b-8d7e-9a1c3d5f7b85',
        values: {
          displayName: 'Julien Morel',
          email: 'julien.morel@example.org',
          phone: '+33 7 11 22 33 44',
          profile: 'JOB_SEEKER',
          skills: ['Menuiserie', 'Design'],
          isInDirectory: false,
        },
        membership: { spaceId: SEED_SPACE_IDS.toulouseLaSerre, plan: 'Journée', sinceDaysAgo: 10 },
      },
      {
        // Also a member of La Cantine: the pass co-working brought her here.
        id: 'e16d8f0a-2c4e-4a6c-8e8f-0b2d4e6a8c96',
        values: {
          displayName: 'Inès Benali',
          email: 'ines.benali@example.org',
          phone: '+33 6 98 76 54 32',
          profile: 'FREELANCER',
          skills: ['Design UX'],
          isInDirectory: false,
        },
        membership: {
          spaceId: SEED_SPACE_IDS.toulouseLaSerre,
          plan: 'Pass co-working',
          sinceDaysAgo: 30,
        },
      },
    ],
  },
};
