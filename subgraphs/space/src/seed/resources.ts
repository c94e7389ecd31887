import type { NewResourceRow } from '../db/schema.js';
import { SEED_SPACE_IDS } from './partners.js';

/**
 * The bookable resources of the seeded spaces, as their pages describe them ("téléphone,
 * internet, salle de réunion, matériel de visio-conférence, imprimante pro"; "à la demi-journée,
 * à la journée, à la semaine"). Ids are fixed so that links and tests name them.
 */
export const SEED_RESOURCE_IDS = {
  locomotiveRoom: '5b0c1e2d-3f4a-4b5c-8d6e-7f8091a2b3c4',
  locomotiveVisio: '6c1d2f3e-4a5b-4c6d-9e7f-8091a2b3c4d5',
  cantineDesk1: '7d2e3a4f-5b6c-4d7e-8f80-91a2b3c4d5e6',
  cantineDesk2: '8e3f4b5a-6c7d-4e8f-9091-a2b3c4d5e6f7',
  laserreDesk: '9f4a5c6b-7d8e-4f90-a1a2-b3c4d5e6f708',
  tuvesDesk1: 'a05b6d7c-8e9f-4a01-b2b3-c4d5e6f70819',
  tuvesDesk2: 'b16c7e8d-9fa0-4b12-83c4-d5e6f708192a',
} as const;

type SeedResource = Omit<NewResourceRow, 'createdAt'> & { id: string };

const desk = (id: string, spaceId: string, name: string): SeedResource => ({
  id,
  spaceId,
  kind: 'FLEXIBLE_DESK',
  name,
  description: 'Poste de travail avec internet et téléphone.',
  capacity: 1,
  pricePerHalfDayCents: 1000,
  pricePerDayCents: 1800,
  minMinutes: 240,
  maxMinutes: 7 * 24 * 60,
  freeCancellationHours: 24,
});

export const SEED_RESOURCES: Record<string, SeedResource[]> = {
  locomotive: [
    {
      id: SEED_RESOURCE_IDS.locomotiveRoom,
      spaceId: SEED_SPACE_IDS.gapLaLocomotive,
      kind: 'MEETING_ROOM',
      name: 'Salle de réunion',
      description: 'Salle de réunion pour 8 personnes, écran et tableau blanc.',
      capacity: 8,
      pricePerHourCents: 1500,
      pricePerHalfDayCents: 5000,
      pricePerDayCents: 9000,
      minMinutes: 60,
      maxMinutes: 600,
      freeCancellationHours: 24,
    },
    {
      id: SEED_RESOURCE_IDS.locomotiveVisio,
      spaceId: SEED_SPACE_IDS.gapLaLocomotive,
      kind: 'VISIO_KIT',
      name: 'Matériel de visio-conférence',
      description: 'Caméra grand angle, micro de table et haut-parleur.',
      capacity: 1,
      pricePerHalfDayCents: 1500,
      minMinutes: 60,
      maxMinutes: 600,
      freeCancellationHours: 24,
    },
  ],
  cantine: [
    desk(SEED_RESOURCE_IDS.cantineDesk1, SEED_SPACE_IDS.toulouseLaCantine, 'Bureau nomade 1'),
    desk(SEED_RESOURCE_IDS.cantineDesk2, SEED_SPACE_IDS.toulouseLaCantine, 'Bureau nomade 2'),
  ],
  laserre: [desk(SEED_RESOURCE_IDS.laserreDesk, SEED_SPACE_IDS.toulouseLaSerre, 'Bureau nomade')],
  baronnies: [
    desk(SEED_RESOURCE_IDS.tuvesDesk1, SEED_SPACE_IDS.buisLesTuves, 'Bureau partagé 1'),
    desk(SEED_RESOURCE_IDS.tuvesDesk2, SEED_SPACE_IDS.buisLesTuves, 'Bureau partagé 2'),
  ],
};
