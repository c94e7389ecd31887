import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, viewers, type Harness } from './harness.js';

const CALENDAR = /* GraphQL */ `
  query Calendar($filter: EventFilter, $first: Int, $after: String) {
    events(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          title
          startsAt
          status
          space {
            name
          }
        }
      }
    }
  }
`;

const now = new Date('2026-11-23T08:00:00Z');
const at = (iso: string) => new Date(iso);

describe('Query.events, the partner calendar', () => {
  let h: Harness;
  let gap: Awaited<ReturnType<Harness['seed']['space']>>;
  let buis: Awaited<ReturnType<Harness['seed']['space']>>;
  beforeAll(async () => {
    h = await createHarness({ partner: 'locomotive' });
    gap = await h.seed.space({ name: 'La Locomotive' });
    buis = await h.seed.space({
      name: 'Les Tuves',
      department: '26',
      inseeCode: '26063',
      commune: 'Buis-les-Baronnies',
      postalCode: '26170',
    });
    await h.seed.event(gap.id, { title: 'Passé', startsAt: at('2026-11-20T11:00:00Z') });
    await h.seed.event(gap.id, {
      title: 'Repas partagé',
      kind: 'SHARED_MEAL',
      startsAt: at('2026-11-24T11:15:00Z'),
    });
    await h.seed.event(buis.id, {
      title: 'Réunion d’information',
      kind: 'INFORMATION_MEETING',
      startsAt: at('2026-11-24T11:15:00Z'),
    });
    await h.seed.event(gap.id, {
      title: 'Formation outils collaboratifs',
      kind: 'TRAINING',
      startsAt: at('2026-11-26T13:00:00Z'),
    });
    await h.seed.event(buis.id, {
      title: 'Intervention d’un membre expert',
      kind: 'TALK',
      startsAt: at('2026-12-03T17:00:00Z'),
    });
    await h.seed.event(gap.id, {
      title: 'Annulé',
      status: 'CANCELLED',
      startsAt: at('2026-11-25T17:00:00Z'),
    });
  });
  afterAll(() => h.close());

  const titles = (r: Awaited<ReturnType<Harness['execute']>>) =>
    r.data!.events.edges.map((e: { node: { title: string } }) => e.node.title);

  it('lists upcoming events in start order, ties by id, with Paris offsets', async () => {
    const result = await h.execute(CALENDAR, {}, { now });
    expect(result.data!.events.totalCount).toBe(5);
    expect(titles(result).slice(2)).toEqual([
      'Annulé',
      'Formation outils collaboratifs',
      'Intervention d’un membre expert',
    ]);
    expect(new Set(titles(result).slice(0, 2))).toEqual(
      new Set(['Repas partagé', 'Réunion d’information']),
    );
    expect(result.data!.events.edges[2].node.startsAt).toBe('2026-11-25T18:00:00+01:00');
  });

  it('filters the coming week by kind, department, status and text', async () => {
    const week = { from: '2026-11-23T00:00:00+01:00', to: '2026-11-30T00:00:00+01:00' };
    expect(
      titles(await h.execute(CALENDAR, { filter: { ...week, statuses: ['SCHEDULED'] } }, { now })),
    ).toHaveLength(3);
    expect(
      titles(await h.execute(CALENDAR, { filter: { ...week, kinds: ['TRAINING'] } }, { now })),
    ).toEqual(['Formation outils collaboratifs']);
    expect(titles(await h.execute(CALENDAR, { filter: { departments: ['26'] } }, { now }))).toEqual(
      ['Réunion d’information', 'Intervention d’un membre expert'],
    );
    expect(titles(await h.execute(CALENDAR, { filter: { text: 'REUNION' } }, { now }))).toEqual([
      'Réunion d’information',
    ]);
    expect(
      titles(await h.execute(CALENDAR, { filter: { spaceIds: [buis.publicId] } }, { now })),
    ).toHaveLength(2);
  });

  it('pages with stable cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result = await h.execute(CALENDAR, { first: 2, after }, { now });
      seen.push(...titles(result));
      if (!result.data!.events.pageInfo.hasNextPage) break;
      after = result.data!.events.pageInfo.endCursor;
    }
    expect(seen).toEqual(titles(await h.execute(CALENDAR, { first: 100 }, { now })));
    expect(seen).toHaveLength(5);
  });

  it('gives seats left and the waiting list length, and registrations only to managers', async () => {
    const event = await h.seed.event(gap.id, {
      title: 'Petit atelier',
      capacity: 2,
      startsAt: at('2026-11-27T09:00:00Z'),
    });
    const members = [await h.seed.member(), await h.seed.member(), await h.seed.member()];
    for (const m of members) await h.seed.registration(event.id, m.id, now);
    const query = /* GraphQL */ `
      query ($id: ID!) {
        event(id: $id) {
          capacity
          seatsLeft
          waitingListLength
          registrations {
            name
            status
            waitingPosition
          }
        }
      }
    `;
    const asManager = await h.execute(
      query,
      { id: event.publicId },
      { viewer: viewers.manager('locomotive'), now },
    );
    expect(asManager).toEqual({
      data: {
        event: {
          capacity: 2,
          seatsLeft: 0,
          waitingListLength: 1,
          registrations: [
            { name: members[0]!.displayName, status: 'CONFIRMED', waitingPosition: null },
            { name: members[1]!.displayName, status: 'CONFIRMED', waitingPosition: null },
            { name: members[2]!.displayName, status: 'WAITING', waitingPosition: 1 },
          ],
        },
      },
    });
    const asAnonymous = await h.execute(query, { id: event.publicId }, { now });
    expect(asAnonymous.data!.event.registrations).toEqual([]);
    const asThirdMember = await h.execute(
      query,
      { id: event.publicId },
      { viewer: viewers.member(members[2]!), now },
    );
    expect(asThirdMember.data!.event.registrations).toEqual([
      { name: members[2]!.displayName, status: 'WAITING', waitingPosition: 1 },
    ]);
  });

  it('lists a space’s upcoming events', async () => {
    const result = await h.execute(
      `query ($id: ID!) { space(id: $id) { events(first: 2) { title } } }`,
      { id: buis.publicId },
      { now },
    );
    expect(result).toEqual({
      data: {
        space: {
          events: [
            { title: 'Réunion d’information' },
            { title: 'Intervention d’un membre expert' },
          ],
        },
      },
    });
  });
});
