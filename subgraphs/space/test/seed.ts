import { randomUUID } from 'node:crypto';
import { formatId } from '@tiers-lieux/schema';
import type { Db } from '../src/db/client.js';
import type { EventRow, MemberRow, SpaceRow } from '../src/db/schema.js';
import { createEvent, type EventValues } from '../src/data/events.js';
import { createMember, type MemberValues, type MembershipValues } from '../src/data/members.js';
import { registerForEvent } from '../src/data/registrations.js';
import { createSpace, type OfferValues, type SpaceValues } from '../src/data/spaces.js';

let counter = 0;
const next = () => ++counter;

/** Factories with sensible defaults, writing through the data layer. */
export class Seeder {
  constructor(
    private readonly db: Db,
    private readonly partner: string,
  ) {}

  id(kind: 'space' | 'event' | 'member' | 'registration', uuid: string): string {
    return formatId(this.partner, kind, uuid);
  }

  async space(
    values: Partial<SpaceValues> = {},
    offers: OfferValues[] = [],
  ): Promise<SpaceRow & { publicId: string }> {
    const row = await createSpace(this.db, {
      values: {
        name: `Espace ${next()}`,
        kinds: ['COWORKING'],
        postalCode: '05000',
        commune: 'Gap',
        inseeCode: '05061',
        department: '05',
        lat: 44.5594,
        lon: 6.0786,
        openingHours: 'Mo-Fr 09:00-18:00',
        ...values,
      },
      offers,
    });
    return { ...row, publicId: this.id('space', row.id) };
  }

  async spaces(list: Partial<SpaceValues>[]) {
    const rows = [];
    for (const values of list) rows.push(await this.space(values));
    return rows;
  }

  async event(
    spaceId: string,
    values: Partial<EventValues> = {},
  ): Promise<EventRow & { publicId: string }> {
    const startsAt = values.startsAt ?? new Date(Date.now() + 86_400_000);
    const row = await createEvent(this.db, {
      title: `Atelier ${next()}`,
      kind: 'WORKSHOP',
      ...values,
      spaceId,
      startsAt,
      endsAt: values.endsAt ?? new Date(startsAt.getTime() + 3_600_000),
    });
    return { ...row, publicId: this.id('event', row.id) };
  }

  async member(
    values: Partial<MemberValues> = {},
    membership?: MembershipValues,
  ): Promise<MemberRow & { publicId: string }> {
    const n = next();
    const result = await createMember(this.db, {
      values: {
        displayName: `Membre ${n}`,
        email: `membre${n}@example.org`,
        personId: randomUUID(),
        ...values,
      },
      membership: membership ?? null,
    });
    if (!result.ok) throw new Error(result.reason);
    return { ...result.member, publicId: this.id('member', result.member.id) };
  }

  /** Registers a member; a test with its own clock passes it, so its dated events stay open. */
  async registration(eventId: string, memberId: string, now: Date = new Date()) {
    const outcome = await registerForEvent(this.db, { eventId, memberId, now });
    if (!outcome.ok) throw new Error(outcome.reason);
    return outcome.registration;
  }
}
