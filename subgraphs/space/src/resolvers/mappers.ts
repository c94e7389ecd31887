import type { EventRow, MemberRow, ResourceRow, SpaceListRow } from '../db/schema.js';
import type { Connection } from '../paging.js';

export type SpaceConnectionModel = Connection<SpaceListRow>;
export type EventConnectionModel = Connection<EventRow>;
export type MemberConnectionModel = Connection<MemberRow>;

/** A partner as this subgraph knows it: by its slug, and only when it is this subgraph's own. */
export interface PartnerModel {
  slug: string;
}

/** A person of the network, as this partner knows them: by their id, and the uuid it holds. */
export interface PersonModel {
  /** `network:person:<uuid>`. */
  id: string;
  uuid: string;
}

/** A resource, with what `freeResources` computed for it (distance, first free start). */
export type ResourceModel = ResourceRow & { distanceKm?: number | null; firstFreeAt?: Date | null };
export type ResourceConnectionModel = Connection<ResourceModel>;

export interface TimeSlotModel {
  startsAt: Date;
  endsAt: Date;
}
