import { REGISTER_FOR_EVENT, testEngines } from '@tiers-lieux/schema/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpace } from '../src/data/spaces.js';
import { createHarness, viewers, type Harness } from './harness.js';

const manager = viewers.manager('cantine');

describe.each(testEngines())('promises of the partner subgraph on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ engine, partner: 'cantine', poolSize: 20 });
  });
  afterAll(() => h?.close());

  it('confirms exactly 10 of 100 simultaneous registrations for 10 seats, the rest waiting in arrival order', async () => {
    const space = await h.seed.space({ name: 'La Cantine' });
    const event = await h.seed.event(space.id, {
      title: 'Formation outils collaboratifs',
      capacity: 10,
    });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        h.execute(
          REGISTER_FOR_EVENT,
          {
            input: {
              eventId: event.publicId,
              guest: { name: `Invité ${i}`, email: `invite${i}@example.org` },
            },
          },
          { viewer: manager },
        ),
      ),
    );
    const statuses = results.map((r) => r.data!.registerForEvent.registration.status);
    const confirmed = statuses.filter((s) => s === 'CONFIRMED').length;
    const waiting = statuses.filter((s) => s === 'WAITING').length;
    console.log(
      `[${engine}] 100 simultaneous registrations for 10 seats: ${confirmed} confirmed, ${waiting} waiting`,
    );
    expect({ confirmed, waiting }).toEqual({ confirmed: 10, waiting: 90 });

    const listing = await h.execute(
      `query ($id: ID!) { event(id: $id) { seatsLeft waitingListLength registrations { id status waitingPosition } } }`,
      { id: event.publicId },
      { viewer: manager },
    );
    const { registrations, seatsLeft, waitingListLength } = listing.data!.event;
    expect({ seatsLeft, waitingListLength }).toEqual({ seatsLeft: 0, waitingListLength: 90 });
    const arrivals = new Map(
      (await h.db.query.registrations.findMany()).map((r) => [
        `cantine:registration:${r.id}`,
        r.arrival,
      ]),
    );
    const confirmedArrivals = registrations
      .filter((r: { status: string }) => r.status === 'CONFIRMED')
      .map((r: { id: string }) => arrivals.get(r.id)!);
    const waitingList = registrations.filter((r: { status: string }) => r.status === 'WAITING');
    // Every confirmed registration arrived before every waiting one, and the waiting list is in arrival order.
    expect(Math.max(...confirmedArrivals)).toBeLessThan(
      Math.min(...waitingList.map((r: { id: string }) => arrivals.get(r.id)!)),
    );
    expect(waitingList.map((r: { waitingPosition: number }) => r.waitingPosition)).toEqual(
      Array.from({ length: 90 }, (_, i) => i + 1),
    );
    const byArrival = [...waitingList].sort(
      (a: { id: string }, b: { id: string }) => arrivals.get(a.id)! - arrivals.get(b.id)!,
    );
    expect(byArrival).toEqual(waitingList);

    const cancel = /* GraphQL */ `
      mutation ($id: ID!) {
        cancelRegistration(input: { id: $id }) {
          promoted {
            id
            status
          }
          error {
            code
          }
        }
      }
    `;
    const firstConfirmed = registrations.find((r: { status: string }) => r.status === 'CONFIRMED');
    const cancelled = await h.execute(cancel, { id: firstConfirmed.id }, { viewer: manager });
    expect(cancelled.data!.cancelRegistration).toEqual({
      promoted: { id: waitingList[0].id, status: 'PENDING' },
      error: null,
    });
  });

  it('never confirms more than the seats when cancellations and registrations race', async () => {
    const space = await h.seed.space({ name: 'Salle de réunion' });
    const event = await h.seed.event(space.id, { capacity: 5 });
    const members = await Promise.all(Array.from({ length: 10 }, () => h.seed.member()));
    const firstFive = [];
    for (const m of members.slice(0, 5))
      firstFive.push((await h.seed.registration(event.id, m.id))!);
    const register = `mutation ($e: ID!, $m: ID!) { registerForEvent(input: { eventId: $e, memberId: $m }) { error { code } } }`;
    const cancel = `mutation ($id: ID!) { cancelRegistration(input: { id: $id }) { error { code } } }`;
    await Promise.all([
      ...members
        .slice(5)
        .map((m) => h.execute(register, { e: event.publicId, m: m.publicId }, { viewer: manager })),
      ...firstFive
        .slice(0, 3)
        .map((r) => h.execute(cancel, { id: `cantine:registration:${r.id}` }, { viewer: manager })),
    ]);
    const after = await h.execute(
      `query ($id: ID!) { event(id: $id) { seatsLeft waitingListLength } }`,
      { id: event.publicId },
    );
    console.log(
      `[${engine}] 5 registrations and 3 cancellations racing on 5 seats: ${JSON.stringify(after.data!.event)}`,
    );
    expect(after.data!.event).toEqual({ seatsLeft: 0, waitingListLength: 2 });
  });

  it('changes nothing when an input is rejected', async () => {
    const space = await h.seed.space({ name: 'Tiers-lieu' });
    await h.seed.member({ email: 'taken@example.org' });
    const before = await h.snapshot();
    const attempts = [
      [
        `mutation ($id: ID!) { updateSpace(input: { id: $id, name: "OK", openingHours: "Mo 25:00-26:00" }) { error { code } } }`,
        { id: space.publicId },
      ],
      [
        `mutation ($id: ID!) { updateSpace(input: { id: $id, offers: [{ kind: DAY, label: "Jour", priceCents: 1000 }, { kind: WEEK, label: "Semaine", priceCents: -1 }] }) { error { code } } }`,
        { id: space.publicId },
      ],
      [
        `mutation { registerMember(input: { partner: "cantine", displayName: "Doublon", email: "TAKEN@example.org" }) { error { code } } }`,
        {},
      ],
      [
        `mutation ($s: ID!) { registerMember(input: { partner: "cantine", displayName: "X", email: "x@example.org", membership: { spaceId: $s, plan: "Mois", since: "2026-02-01", until: "2026-01-01" } }) { error { code } } }`,
        { s: space.publicId },
      ],
    ] as const;
    for (const [mutation, variables] of attempts) {
      const result = await h.execute(mutation, variables, { viewer: manager });
      const payload = Object.values(result.data ?? {})[0] as
        { error: { code: string } | null } | undefined;
      expect(payload?.error?.code, mutation).toMatch(/INVALID_INPUT|EMAIL_TAKEN/);
    }
    expect(await h.snapshot()).toEqual(before);
  });

  it('commits a space and its offers whole or not at all', async () => {
    const before = await h.snapshot();
    const invalidCard = {
      kind: 'MULTI_ENTRY_CARD' as const,
      label: 'Carte',
      priceCents: 5000,
      entries: null,
      entryMinutes: null,
    };
    // The space row is written first; the offer then violates a CHECK constraint of the database.
    await expect(
      createSpace(h.db, {
        values: {
          name: 'Atomique',
          kinds: ['COWORKING'],
          postalCode: '31000',
          commune: 'Toulouse',
          inseeCode: '31555',
          department: '31',
          lat: 43.6,
          lon: 1.44,
        },
        offers: [invalidCard],
      }),
    ).rejects.toThrow();
    expect(await h.snapshot()).toEqual(before);
  });

  it('reads N spaces with their events, offers and members in the same number of statements for N = 5 and N = 200', async () => {
    const fresh = await createHarness({ engine, partner: 'cantine' });
    try {
      const counts: Record<number, number> = {};
      const query = /* GraphQL */ `
        query ($first: Int!) {
          spaces(first: $first, filter: { text: "bench" }) {
            totalCount
            edges {
              node {
                name
                openNow
                occupancy
                offers {
                  label
                }
                events {
                  title
                  seatsLeft
                  waitingListLength
                }
                members {
                  displayName
                  email
                }
              }
            }
          }
        }
      `;
      let seeded = 0;
      for (const n of [5, 200]) {
        for (; seeded < n; seeded++) {
          const space = await fresh.seed.space(
            { name: `Bench ${String(seeded).padStart(3, '0')}` },
            [
              {
                kind: 'DAY',
                label: 'Journée',
                priceCents: 1500,
                entries: null,
                entryMinutes: null,
              },
            ],
          );
          await fresh.seed.event(space.id, { capacity: 10 });
          await fresh.seed.event(space.id);
          await fresh.seed.member(
            {},
            { spaceId: space.id, plan: 'Mois', since: '2026-01-01', until: null },
          );
        }
        fresh.resetStatements();
        const result = await fresh.execute(query, { first: n }, { viewer: viewers.coordinator });
        expect(result.errors).toBeUndefined();
        expect(result.data!.spaces.edges).toHaveLength(n);
        counts[n] = fresh.statements();
      }
      console.log(
        `[${engine}] SQL statements for a directory page with events, offers and members: N=5 → ${counts[5]}, N=200 → ${counts[200]}`,
      );
      expect(counts[200]).toBe(counts[5]);
    } finally {
      await fresh.close();
    }
  });
});
