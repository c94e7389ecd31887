import {
  formatId,
  readSdl,
  VIEWER_DEPENDENT_ENTITIES,
  VIEWER_DEPENDENT_FIELDS,
  type Viewer,
} from '@tiers-lieux/schema';
import {
  buildSchema,
  getNamedType,
  GraphQLList,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from 'graphql';
import { enqueueMails, outboxMessages } from '@tiers-lieux/subgraph-shell';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookResources } from '../src/data/bookings.js';
import { checkIn, checkOut } from '../src/data/members.js';
import { registerForEvent } from '../src/data/registrations.js';
import { createResource } from '../src/data/resources.js';
import { createSeries } from '../src/data/series.js';
import { createHarness, viewers, type Harness } from './harness.js';

/** The partner contract as written; `_entities` is the federation's, added by the subgraph. */
const schema = buildSchema(readSdl('space'), { assumeValidSDL: true });
const ENTITY_TYPES = ['Space', 'Event', 'Member', 'Partner', 'Person', 'Resource', 'Booking'];
/** Arguments without a default, and those that widen a list to every seeded row. */
const ARGUMENTS: Record<string, string> = {
  'Query.spaces': '(first: 200)',
  'Query.events': '(first: 200, filter: { from: "2000-01-01T00:00:00Z" })',
  'Query.members': '(first: 200)',
  'Space.isOpenAt': '(at: "2026-06-02T10:00:00+02:00")',
  'Space.events': '(first: 100)',
  'Member.visits': '(first: 100)',
  'Person.visits': '(first: 100)',
  'Person.bookings': '(first: 100)',
  'Space.bookings': '(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z")',
  'Resource.freeSlots': '(date: "2026-06-05")',
  'Query.freeResources':
    '(filter: { from: "2026-06-05T06:00:00Z", to: "2026-06-06T00:00:00Z", minutes: 60 }, first: 100)',
  'Query.visitsByWeek': '(from: "2020-01-01", to: "2029-12-31")',
  'Query.occupancyByHour': '(from: "2020-01-01", to: "2029-12-31")',
  'Query.eventAttendance': '(from: "2020-01-01", to: "2029-12-31")',
  'Query.directoryOptIns': '(from: "2020-01-01", to: "2029-12-31")',
};

/** Roots refused (not filtered) to viewers who may not see them. */
const REFUSED_ROOTS = new Set([
  'visitsByWeek',
  'occupancyByHour',
  'eventAttendance',
  'directoryOptIns',
]);
const REFUSALS = ['FORBIDDEN', 'UNAUTHENTICATED'];

/**
 * Every field reachable from `type`, once per path: a type already on the path is not entered
 * again, so every field of the contract is selected without going round in circles.
 */
function selection(type: GraphQLObjectType, path: ReadonlySet<string>): string {
  const fields = Object.values(type.getFields()).flatMap((field) => {
    const named = getNamedType(field.type);
    const selected = `${field.name}${ARGUMENTS[`${type.name}.${field.name}`] ?? ''}`;
    if (isLeafType(named)) return [selected];
    // A field of the type's own type (a booking's bundle): its ids, not the type again.
    if (named === type) return [`${selected} { id }`];
    if (!isObjectType(named) || path.has(named.name)) return [];
    return [`${selected} { ${selection(named, new Set([...path, named.name]))} }`];
  });
  return fields.join(' ');
}

/** One answer, cut into values keyed by the object they belong to (its id) and the fields from it. */
interface Flat {
  values: Map<string, string>;
  /** The coordinates of the fields between the keyed object and each value. */
  chains: Map<string, string[]>;
}

function flatten(
  answer: unknown,
  rootKey: string,
  rootChain: string[],
  rootType: GraphQLOutputType,
): Flat {
  const flat: Flat = { values: new Map(), chains: new Map() };
  const put = (key: string, chain: string[], value: unknown) => {
    flat.values.set(key, JSON.stringify(value));
    flat.chains.set(key, chain);
  };
  const identity = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(identity)
      : value && typeof value === 'object'
        ? ((value as { id?: unknown }).id ?? 'object')
        : value;
  const walk = (value: unknown, type: GraphQLOutputType, key: string, chain: string[]) => {
    if (isNonNullType(type)) return walk(value, type.ofType, key, chain);
    put(key, chain, identity(value));
    if (value === null || value === undefined) return;
    if (isListType(type)) {
      (value as unknown[]).forEach((item, i) => walk(item, type.ofType, `${key}[${i}]`, chain));
      return;
    }
    if (!isObjectType(type)) return;
    const object = value as Record<string, unknown>;
    // An object with an id is the same object for every viewer: its fields are keyed from it.
    const [base, baseChain] =
      typeof object.id === 'string' ? [`${type.name}:${object.id}`, []] : [key, chain];
    for (const [name, field] of Object.entries(type.getFields())) {
      if (name in object)
        walk(object[name], field.type, `${base}.${name}`, [...baseChain, `${type.name}.${name}`]);
    }
  };
  walk(answer, rootType, rootKey, rootChain);
  return flat;
}

describe('the fields whose value depends on the viewer (VIEWER_DEPENDENT_FIELDS)', () => {
  let h: Harness;
  const now = new Date('2026-06-02T08:00:00Z');
  const ids: Record<'space' | 'event' | 'member' | 'person' | 'resource' | 'booking', string[]> = {
    space: [],
    event: [],
    member: [],
    person: [],
    resource: [],
    booking: [],
  };
  let asViewers: [string, Viewer][];

  beforeAll(async () => {
    h = await createHarness({ partner: 'cantine' });
    const offer = {
      kind: 'DAY' as const,
      label: 'Journée',
      priceCents: 1500,
      entries: null,
      entryMinutes: null,
    };
    const cantine = await h.seed.space({ name: 'La Cantine', description: 'Coworking' }, [offer]);
    const annexe = await h.seed.space({ name: 'Annexe', openingHours: null });
    const inThreeDays = new Date(now.getTime() + 3 * 86_400_000);
    const talk = await h.seed.event(cantine.id, { capacity: 1, startsAt: inThreeDays });
    const workshop = await h.seed.event(annexe.id, { startsAt: inThreeDays });
    await createSeries(h.db, {
      spaceId: annexe.id,
      rule: 'FREQ=WEEKLY;COUNT=2',
      starts: [inThreeDays, new Date(inThreeDays.getTime() + 7 * 86_400_000)],
      durationMinutes: 60,
      event: { spaceId: annexe.id, title: 'Réunion', kind: 'INFORMATION_MEETING' },
    });
    const membership = (spaceId: string) => ({
      spaceId,
      plan: 'Mois',
      since: '2026-01-01',
      until: null,
    });
    const listed = await h.seed.member(
      { displayName: 'Inès', phone: '+33 6 00 00 00 01', skills: ['Design'], isInDirectory: true },
      membership(cantine.id),
    );
    const unlisted = await h.seed.member(
      { displayName: 'Thomas', phone: '+33 6 00 00 00 02', skills: ['Mobile'] },
      membership(annexe.id),
    );
    for (const member of [listed, unlisted]) {
      await registerForEvent(h.db, { eventId: talk.id, memberId: member.id, now });
      await registerForEvent(h.db, { eventId: workshop.id, memberId: member.id, now });
      await checkIn(h.db, {
        memberId: member.id,
        spaceId: cantine.id,
        at: new Date(now.getTime() - 7_200_000),
      });
    }
    await checkOut(h.db, { memberId: listed.id, at: new Date(now.getTime() - 3_600_000) });
    await registerForEvent(h.db, {
      eventId: workshop.id,
      guest: { name: 'Invitée', email: 'invitee@example.org' },
      now,
    });
    // A mail the outbox gave up on, for the dead letters its managers see.
    await enqueueMails(
      h.db,
      [
        {
          kind: 'reminder',
          to: 'invitee@example.org',
          content: { subject: 'Rappel', text: 'x', html: 'x' },
        },
      ],
      { domain: 'tiers-lieux.test' },
    );
    await h.db.update(outboxMessages).set({ status: 'DEAD', attempts: 3, lastError: 'SMTP 550' });
    // A room of the space and a booking of it by a member: theirs and the front desk's to see.
    const room = await createResource(h.db, {
      spaceId: cantine.id,
      kind: 'MEETING_ROOM',
      name: 'Salle de réunion',
      capacity: 6,
      pricePerHourCents: 1500,
    });
    const booked = await bookResources(h.db, {
      resources: [room],
      startsAt: new Date('2026-06-05T08:00:00Z'),
      endsAt: new Date('2026-06-05T10:00:00Z'),
      status: 'CONFIRMED',
      payment: 'AT_DESK',
      memberId: listed.id,
      personId: listed.personId,
      bookedForName: 'Inès',
      passId: null,
      sagaKey: null,
      priceCents: () => 3000,
    });
    if (!booked.ok) throw new Error('the seeded booking was refused');
    ids.resource = [formatId('cantine', 'resource', room.id)];
    ids.booking = booked.bundle.map((booking) => formatId('cantine', 'booking', booking.id));
    ids.space = [cantine.publicId, annexe.publicId];
    ids.event = [talk.publicId, workshop.publicId];
    ids.member = [listed.publicId, unlisted.publicId];
    ids.person = [listed.personId!, unlisted.personId!].map((uuid) => `network:person:${uuid}`);
    asViewers = [
      ['coordinator', viewers.coordinator],
      ['manager of cantine', viewers.manager('cantine')],
      ['manager of laserre', viewers.manager('laserre')],
      ['staff of cantine', viewers.staff('cantine')],
      ['member in the directory', viewers.member(listed)],
      ['member not in the directory', viewers.member(unlisted)],
    ];
  });
  afterAll(() => h.close());

  /** Every root of the contract, each with a selection of every field under it. */
  function roots() {
    const query = schema.getQueryType()!;
    const list: {
      key: string;
      chain: string[];
      type: GraphQLOutputType;
      document: string;
      variables?: Record<string, unknown>;
    }[] = [];
    for (const name of [
      'spaces',
      'events',
      'members',
      'visitsByWeek',
      'occupancyByHour',
      'eventAttendance',
      'directoryOptIns',
      'freeResources',
    ]) {
      const field = query.getFields()[name]!;
      const type = getNamedType(field.type) as GraphQLObjectType;
      list.push({
        key: name,
        chain: [`Query.${name}`],
        type: field.type,
        document: `{ ${name}${ARGUMENTS[`Query.${name}`]} { ${selection(type, new Set([type.name]))} } }`,
      });
    }
    for (const name of ['space', 'event', 'member', 'resource', 'booking'] as const) {
      const field = query.getFields()[name]!;
      const type = getNamedType(field.type) as GraphQLObjectType;
      ids[name].forEach((id, i) =>
        list.push({
          key: `${name}${i}`,
          chain: [`Query.${name}`],
          type: field.type,
          document: `query ($id: ID!) { ${name}(id: $id) { ${selection(type, new Set([type.name]))} } }`,
          variables: { id },
        }),
      );
    }
    for (const typeName of ENTITY_TYPES) {
      const type = schema.getType(typeName) as GraphQLObjectType;
      const representations =
        typeName === 'Partner'
          ? [{ __typename: 'Partner', slug: 'cantine' }]
          : ids[typeName.toLowerCase() as 'space'].map((id) => ({ __typename: typeName, id }));
      list.push({
        key: `_entities:${typeName}`,
        chain: [typeName],
        type: new GraphQLList(type),
        document: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${typeName} { ${selection(type, new Set([typeName]))} } } }`,
        variables: { r: representations },
      });
    }
    return list;
  }

  const answered = new Map<Viewer, Promise<Flat>>();
  /** Every root asked as a viewer, once per viewer. */
  function answers(viewer: Viewer): Promise<Flat> {
    let flat = answered.get(viewer);
    if (!flat) answered.set(viewer, (flat = ask(viewer)));
    return flat;
  }

  async function ask(viewer: Viewer) {
    const flat: Flat = { values: new Map(), chains: new Map() };
    for (const root of roots()) {
      const answer = await h.execute(root.document, root.variables, { viewer, now });
      // The partner's figures are refused to whoever may not see them: a null the list explains.
      const refused =
        REFUSED_ROOTS.has(root.key) &&
        (answer.errors ?? []).length > 0 &&
        answer.errors!.every((e) => REFUSALS.includes(String(e.extensions?.code)));
      if (!refused) expect(answer.errors).toBeUndefined();
      const field = refused ? null : Object.values(answer.data!)[0];
      const part = flatten(field, root.key, root.chain, root.type);
      for (const [key, value] of part.values) flat.values.set(key, value);
      for (const [key, chain] of part.chains) flat.chains.set(key, chain);
    }
    return flat;
  }

  /** The values a viewer sees otherwise than an anonymous visitor that the list does not explain. */
  async function unexplained(listed: ReadonlySet<string>): Promise<string[]> {
    const anonymous = await answers(viewers.anonymous);
    const found = new Set<string>();
    for (const [name, viewer] of asViewers) {
      const seen = await answers(viewer);
      for (const [key, value] of seen.values) {
        const other = anonymous.values.get(key);
        if (other === undefined || other === value) continue;
        const chain = seen.chains.get(key)!;
        if (!chain.some((coordinate) => listed.has(coordinate)))
          found.add(`${chain.join(' > ')} (${name})`);
      }
    }
    return [...found].sort();
  }

  it('selects every field a query can reach', async () => {
    const selected = new Set<string>();
    // The coordinator sees the most; a person's choice of messages only that person sees.
    for (const [name, viewer] of asViewers) {
      if (name !== 'coordinator' && name !== 'member in the directory') continue;
      for (const chain of (await answers(viewer)).chains.values())
        chain.forEach((coordinate) => selected.add(coordinate));
    }
    const reachable: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('_') || type.name === 'Mutation') continue;
      // What only mutations answer: a mutation carries the viewer whatever it selects.
      if (type.name.endsWith('Payload') || type.name.endsWith('Error')) continue;
      for (const name of Object.keys(type.getFields())) {
        if (type.name === 'Query' && name.startsWith('_')) continue;
        // A series' occurrences are events, each selected from the calendar already.
        if (type.name === 'EventSeries' && name === 'occurrences') continue;
        reachable.push(`${type.name}.${name}`);
      }
    }
    expect(reachable.filter((coordinate) => !selected.has(coordinate))).toEqual([]);
  });

  it('answers every field outside the list alike to every viewer', async () => {
    const listed = new Set([...VIEWER_DEPENDENT_FIELDS, ...VIEWER_DEPENDENT_ENTITIES]);
    expect(await unexplained(listed)).toEqual([]);
  });

  it('would catch any field missing from the list', async () => {
    const all = [...VIEWER_DEPENDENT_FIELDS, ...VIEWER_DEPENDENT_ENTITIES];
    // A member outside the directory resolves to null for whoever may not see their skills, so
    // no query shows Member.skills differing on its own; it stays listed as its resolver's rule.
    for (const coordinate of all.filter((c) => c !== 'Member.skills')) {
      const listed = new Set(all.filter((c) => c !== coordinate));
      expect(await unexplained(listed), coordinate).not.toEqual([]);
    }
  });
});
