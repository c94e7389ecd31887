import type { EventRow, MemberRow, SpaceListRow } from '../db/schema.js';
import type { Connection } from '../paging.js';

export type SpaceConnectionModel = Connection<SpaceListRow>;
export type EventConnectionModel = Connection<EventRow>;
export type MemberConnectionModel = Connection<MemberRow>;
