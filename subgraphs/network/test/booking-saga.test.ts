import { randomUUID } from 'node:crypto';
import { testEngines } from '@tiers-lieux/schema/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingSaga, type CrashPoint } from '../src/booking-saga.js';
import { statementLines } from '../src/data/settlement.js';
import { passBookings } from '../src/db/schema.js';
import { createHarness, viewers, type Harness } from './harness.js';
import {
  HOST,
  SERVICE_KEYS,
  sagaInvariants,
  seedSagaNetwork,
  startHost,
  type HostPartner,
} from './saga-world.js';

const BOOK = /* GraphQL */ `
  mutation ($input: BookWithPassInput!) {
    bookWithPass(input: $input) {
      passBooking {
        id
        state
        failure
        booking {
          id
        }
        redemption {
          id
          entries
          voided
        }
      }
      error {
        code
        message
      }
    }
  }
`;
const CANCEL = /* GraphQL */ `
  mutation ($id: ID!) {
    cancelPassBooking(id: $id) {
      passBooking {
        id
        state
        redemption {
          voided
        }
      }
      error {
        code
      }
    }
  }
`;

type Fault = 'none' | 'down' | 'lost';
class Killed extends Error {}

/** A fetch that fails on demand: `down` before the request leaves, `lost` after the host answered. */
function faultyFetch(faultFor: (step: string) => Fault): typeof fetch {
  return async (url, init) => {
    const step = /(holdBooking|confirmBooking|releaseBooking|cancelSagaBooking)/.exec(
      String(init?.body),
    )?.[1];
    const fault = step ? faultFor(step) : 'none';
    if (fault === 'down') throw new TypeError('fetch failed: connection refused');
    const answer = await fetch(url, init);
    if (fault === 'lost') {
      await answer.text();
      throw new DOMException('The operation timed out', 'TimeoutError');
    }
    return answer;
  };
}

const person = viewers.person('0f0e0d0c-0b0a-4988-8776-655443322110');
const DAY = 86_400_000;
/** A slot `day` days ahead at `hour` o'clock UTC, `hours` long. */
function slot(day: number, hour: number, hours = 2) {
  const start = new Date(Date.UTC(2000, 0, 1));
  const today = new Date();
  start.setUTCFullYear(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  start.setTime(start.getTime() + day * DAY + hour * 3_600_000);
  return {
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + hours * 3_600_000).toISOString(),
  };
}

describe.each(testEngines())('the booking saga under faults on %s', (engine) => {
  let host: HostPartner;
  let h: Harness;
  let code: string;
  let fault: (step: string) => Fault = () => 'none';
  let crashAt: CrashPoint | null = null;
  const clock = { offset: 0 };

  beforeAll(async () => {
    host = await startHost();
    h = await createHarness({
      engine,
      poolSize: 10,
      saga: (db) =>
        createBookingSaga({
          db,
          signingKey: SERVICE_KEYS.signingKey,
          fetch: faultyFetch((step) => fault(step)),
          leaseMs: 1_000,
          timeoutMs: 10_000,
          now: () => new Date(Date.now() + clock.offset),
          crash: (point) => {
            if (point === crashAt) throw new Killed(point);
          },
        }),
    });
    code = (await seedSagaNetwork(h.db, host)).code;
  });
  afterAll(async () => {
    await h?.close();
    await host?.close();
  });

  const saga = () =>
    createBookingSaga({
      db: h.db,
      signingKey: SERVICE_KEYS.signingKey,
      fetch: faultyFetch((step) => fault(step)),
      now: () => new Date(Date.now() + clock.offset),
    });
  /** Recovery once every lease is over, as the periodic recovery would run it. */
  async function recoverAll() {
    clock.offset += 60_000;
    for (let round = 0; round < 5; round++) await saga().recover();
  }
  const book = (input: Record<string, unknown>) =>
    h.execute(
      BOOK,
      {
        input: {
          resourceId: host.room,
          passCode: code,
          idempotencyKey: randomUUID(),
          ...input,
        },
      },
      { viewer: person },
    );

  it('books and confirms, spending one entry per started hour, and answers a retry with the same booking', async () => {
    const key = randomUUID();
    const first = await book({ ...slot(3, 8), alsoBook: [host.kit], idempotencyKey: key });
    const payload = first.data!.bookWithPass;
    expect(payload.error).toBeNull();
    expect(payload.passBooking).toMatchObject({ state: 'CONFIRMED', redemption: { entries: 2 } });
    expect(payload.passBooking.booking.id).toMatch(new RegExp(`^${HOST}:booking:`));
    const again = await book({ ...slot(3, 8), alsoBook: [host.kit], idempotencyKey: key });
    expect(again.data!.bookWithPass.passBooking.id).toBe(payload.passBooking.id);
    expect((await sagaInvariants(h.db, host.db)).problems).toEqual([]);
  });

  it('spends nothing when the host partner is down, and nothing when it refuses the slot', async () => {
    fault = () => 'down';
    const down = await book(slot(4, 8));
    fault = () => 'none';
    expect(down.data!.bookWithPass.error.code).toBe('PARTNER_UNAVAILABLE');
    expect(down.data!.bookWithPass.passBooking).toMatchObject({
      state: 'FAILED',
      redemption: null,
    });
    await book(slot(4, 10));
    const taken = await book(slot(4, 11));
    expect(taken.data!.bookWithPass.error.code).toBe('BOOKING_REFUSED');
    expect(taken.data!.bookWithPass.passBooking.failure).toBe('SLOT_TAKEN');
    expect((await sagaInvariants(h.db, host.db)).problems).toEqual([]);
  });

  it('finishes a booking whose confirmation timed out after the redemption committed', async () => {
    fault = (step) => (step === 'confirmBooking' ? 'lost' : 'none');
    const pending = await book(slot(5, 8));
    fault = () => 'none';
    expect(pending.data!.bookWithPass.passBooking.state).toBe('PENDING');
    expect(pending.data!.bookWithPass.passBooking.redemption).not.toBeNull();
    await recoverAll();
    const [row] = await h.db.select().from(passBookings);
    expect(row).toBeDefined();
    const after = await sagaInvariants(h.db, host.db);
    expect(after.problems).toEqual([]);
    expect(after.held).toBe(0);
  });

  it('releases a hold whose answer was lost, and spends nothing', async () => {
    fault = (step) => (step === 'holdBooking' ? 'lost' : 'none');
    const lost = await book(slot(6, 8));
    fault = () => 'none';
    expect(lost.data!.bookWithPass.passBooking.state).toBe('FAILED');
    // The slot is free again.
    expect((await book(slot(6, 8))).data!.bookWithPass.passBooking.state).toBe('CONFIRMED');
    expect((await sagaInvariants(h.db, host.db)).problems).toEqual([]);
  });

  it('gives the entries back when cancelled in the free period (a compensating entry), not after it; settlement counts what is kept', async () => {
    const since = new Date(Date.now() + clock.offset);
    const early = (await book(slot(10, 8))).data!.bookWithPass.passBooking;
    const late = (await book(slot(0, 23, 1))).data!.bookWithPass.passBooking;
    expect([early.state, late.state]).toEqual(['CONFIRMED', 'CONFIRMED']);
    const cancelled = (await h.execute(CANCEL, { id: early.id }, { viewer: person })).data!
      .cancelPassBooking.passBooking;
    expect(cancelled).toMatchObject({ state: 'CANCELLED', redemption: { voided: true } });
    const kept = (await h.execute(CANCEL, { id: late.id }, { viewer: person })).data!
      .cancelPassBooking.passBooking;
    expect(kept).toMatchObject({ state: 'CANCELLED', redemption: { voided: false } });
    const stranger = await h.execute(
      CANCEL,
      { id: late.id },
      { viewer: viewers.person(randomUUID()) },
    );
    expect(stranger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const lines = await statementLines(h.db, {
      start: since,
      end: new Date(Date.now() + clock.offset + DAY),
    });
    const line = lines.find((l) => l.hostSlug === HOST && l.sellerSlug === 'cantine')!;
    // Two redemptions (2 entries, then 1), one void giving 2 back: 1 entry is settled.
    expect(line).toMatchObject({ redemptions: 2, voids: 1 });
    expect(line.entries).toBe(1);
    expect((await sagaInvariants(h.db, host.db)).problems).toEqual([]);
  });

  it('keeps every invariant over many runs with random faults and deaths at every step', async () => {
    let seed = 17;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const faults: Fault[] = ['none', 'none', 'none', 'down', 'lost'];
    const points: (CrashPoint | null)[] = [
      null,
      null,
      'after-hold',
      'after-redeem',
      'after-confirm',
    ];
    const runs = 60;
    for (let run = 0; run < runs; run++) {
      fault = () => faults[Math.floor(random() * faults.length)]!;
      crashAt = points[Math.floor(random() * points.length)]!;
      // Overlapping slots on purpose: some bookings are refused for a taken slot.
      const day = 20 + Math.floor(run / 6);
      const hour = 6 + Math.floor(random() * 10);
      await book(slot(day, hour, 1 + Math.floor(random() * 3))).catch(() => {});
      crashAt = null;
    }
    fault = () => 'none';
    await recoverAll();
    const unfinished = await h.db.select().from(passBookings);
    expect(
      unfinished.filter((r) => !['CONFIRMED', 'FAILED', 'CANCELLED'].includes(r.state)),
    ).toEqual([]);
    const outcome = await sagaInvariants(h.db, host.db);
    console.log(
      `[${engine}] ${runs} runs: ${outcome.confirmed} confirmed, ${outcome.liveRedemptions} live redemptions`,
    );
    expect(outcome.problems).toEqual([]);
    expect(outcome.held).toBe(0);
    expect(outcome.confirmed).toBeGreaterThan(5);
  }, 300_000);
});
