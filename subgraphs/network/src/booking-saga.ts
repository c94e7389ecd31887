import { SERVICE_HEADER, signServiceCall } from '@tiers-lieux/schema';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from './db/client.js';
import { partners, passBookings, passes, type PassBookingRow } from './db/schema.js';
import { redeemPass, voidRedemption } from './data/passes.js';

/**
 * The booking paid with a pass (docs/architecture.md, "The booking saga"). It touches two
 * services, the host partner (the booking) and the network (the redemption), so it is a saga
 * coordinated here, its state in `pass_bookings`:
 *
 *   STARTED ─hold at the host─► HELD ─redeem here─► REDEEMED ─confirm at the host─► CONFIRMED
 *      │ refused: FAILED          │ refused: RELEASING ─release─► FAILED
 *      │                          │ (recovery) RELEASING     │ hold gone: void here ─► FAILED
 *   CONFIRMED ─cancel─► CANCELLING ─cancel at the host, void here if free─► CANCELLED
 *
 * Every step carries the saga's key: the host holds, confirms and releases by it (again: the
 * same answer), the ledger redeems by it (again: the same redemption). The redemption and its
 * void commit in the same transaction as the state they lead to. Whatever dies in between (the
 * host, this process, the network between them), `recover` finds the rows whose lease is over
 * and drives them on: a STARTED or HELD row is released (nothing was spent, and the person was
 * not told it succeeded), a REDEEMED one confirmed (or voided if its hold is gone), RELEASING
 * and CANCELLING finished. Every change of state is conditional on the state it leaves, so a
 * request that outlived its lease and the recovery that took it over never both move one row.
 */
export type CrashPoint = 'after-hold' | 'after-redeem' | 'after-confirm';

export interface SagaOptions {
  db: Db;
  /** The network's private service key (PEM, ES256); partners verify it. */
  signingKey: string | undefined;
  /** How long a partner has to answer one step. */
  timeoutMs?: number;
  /** How long the request that runs a saga owns it before recovery may take it over. */
  leaseMs?: number;
  /** The HTTP client (tests put faults in it). */
  fetch?: typeof fetch;
  /** Called at each crash point; production's crashes the process there when `SAGA_CRASH_AT` names it. */
  crash?: (point: CrashPoint) => void;
  now?: () => Date;
}

export interface PassBookingRequest {
  key: string;
  personId: string;
  passId: string;
  hostSlug: string;
  resourceIds: string[];
  startsAt: Date;
  endsAt: Date;
  name: string;
}

export type StepAnswer =
  | {
      ok: true;
      bookingId: string | null;
      spaceId: string | null;
      isFreeCancellation: boolean | null;
    }
  | { ok: false; refused: string }
  | { ok: false; refused: null; unreachable: string };

const TERMINAL = ['CONFIRMED', 'FAILED', 'CANCELLED'] as const;
const UNFINISHED = ['STARTED', 'HELD', 'REDEEMED', 'RELEASING', 'CANCELLING'] as const;

const STEP_QUERY = (name: string, input: string) => /* GraphQL */ `
  mutation ($input: ${input}!) {
    ${name}(input: $input) {
      booking { id resource { space { id } } }
      isFreeCancellation
      error { code }
    }
  }
`;

/** The row left the state this step read it in: another runner owns it now. */
class MovedOn extends Error {}

export function createBookingSaga(options: SagaOptions) {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const doFetch = options.fetch ?? fetch;
  const leaseMs = options.leaseMs ?? 30_000;
  const crash = options.crash ?? (() => {});

  async function callPartner(
    slug: string,
    step: 'holdBooking' | 'confirmBooking' | 'releaseBooking' | 'cancelSagaBooking',
    input: Record<string, unknown>,
  ): Promise<StepAnswer> {
    const [partner] = await db.select().from(partners).where(eq(partners.slug, slug));
    if (!partner || partner.status !== 'ACTIVE' || !options.signingKey)
      return { ok: false, refused: null, unreachable: 'no partner or no service key' };
    const query = STEP_QUERY(step, step === 'holdBooking' ? 'HoldBookingInput' : 'SagaKeyInput');
    const body = { query, variables: { input } };
    try {
      const credential = await signServiceCall(options.signingKey, {
        audience: `partner:${slug}`,
        request: body,
      });
      const response = await doFetch(partner.subgraphUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SERVICE_HEADER]: credential },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      const json = (await response.json()) as {
        data?: Record<
          string,
          {
            booking: { id: string; resource: { space: { id: string } } | null } | null;
            isFreeCancellation: boolean | null;
            error: { code: string } | null;
          } | null
        >;
      };
      const payload = json.data?.[step];
      if (!payload) return { ok: false, refused: null, unreachable: `HTTP ${response.status}` };
      if (payload.error) return { ok: false, refused: payload.error.code };
      return {
        ok: true,
        bookingId: payload.booking?.id ?? null,
        spaceId: payload.booking?.resource?.space.id ?? null,
        isFreeCancellation: payload.isFreeCancellation,
      };
    } catch (error) {
      return {
        ok: false,
        refused: null,
        unreachable: error instanceof Error ? error.name : 'error',
      };
    }
  }

  /**
   * Moves the row on from the state it was read in; throws `MovedOn` when someone else (a
   * recovery, after this request's lease ran out) moved it first, rolling back the transaction.
   */
  async function setState(
    row: PassBookingRow,
    changes: Partial<
      Pick<PassBookingRow, 'state' | 'bookingId' | 'spaceId' | 'redemptionId' | 'errorCode'>
    >,
    tx: Pick<Db, 'update'> = db,
  ): Promise<PassBookingRow> {
    const [updated] = await tx
      .update(passBookings)
      .set({ ...changes, updatedAt: now() })
      .where(and(eq(passBookings.id, row.id), eq(passBookings.state, row.state)))
      .returning();
    if (!updated) throw new MovedOn();
    return updated;
  }

  const minutesOf = (row: PassBookingRow) =>
    Math.round((row.endsAt.getTime() - row.startsAt.getTime()) / 60_000);

  /** One step from the row's state; returns the row as it is after it, or null when it must wait. */
  async function step(
    row: PassBookingRow,
    request: PassBookingRequest | null,
  ): Promise<PassBookingRow | null> {
    switch (row.state) {
      case 'STARTED': {
        if (!request) {
          // Recovery: the user was told it failed; whatever the host may hold goes.
          const released = await callPartner(row.hostSlug, 'releaseBooking', { key: row.key });
          if (!released.ok && released.refused === null) return null;
          return setState(row, { state: 'FAILED', errorCode: row.errorCode ?? 'INTERRUPTED' });
        }
        const held = await callPartner(row.hostSlug, 'holdBooking', {
          key: row.key,
          resourceId: row.resourceIds[0],
          alsoBook: row.resourceIds.slice(1),
          startsAt: row.startsAt.toISOString(),
          endsAt: row.endsAt.toISOString(),
          personId: `network:person:${row.personId}`,
          name: request.name,
          passId: `pass:${row.passId}`,
        });
        if (held.ok) {
          const next = await setState(row, {
            state: 'HELD',
            bookingId: held.bookingId,
            spaceId: held.spaceId,
          });
          crash('after-hold');
          return next;
        }
        if (held.refused !== null)
          return setState(row, { state: 'FAILED', errorCode: held.refused });
        // Unreachable or timed out: the hold may exist. Release it now if the host answers.
        const released = await callPartner(row.hostSlug, 'releaseBooking', { key: row.key });
        const failed = await setState(row, { errorCode: 'PARTNER_UNAVAILABLE' });
        return released.ok ? setState(failed, { state: 'FAILED' }) : null;
      }
      case 'HELD': {
        // Recovery: nothing is spent yet and the person was not told it succeeded: undo.
        if (!request) return setState(row, { state: 'RELEASING', errorCode: 'INTERRUPTED' });
        const [pass] = await db.select().from(passes).where(eq(passes.id, row.passId));
        const next = await db.transaction(async (tx) => {
          const outcome = await redeemPass(tx, {
            code: pass!.code,
            spaceId: row.spaceId ?? '',
            startedAt: row.startsAt,
            minutes: minutesOf(row),
            idempotencyKey: row.key,
            now: now(),
            recordedBy: `network:person:${row.personId}`,
          });
          return outcome.ok
            ? setState(row, { state: 'REDEEMED', redemptionId: outcome.redemption.id }, tx)
            : setState(row, { state: 'RELEASING', errorCode: outcome.reason }, tx);
        });
        if (next.state === 'REDEEMED') crash('after-redeem');
        return next;
      }
      case 'REDEEMED': {
        const confirmed = await callPartner(row.hostSlug, 'confirmBooking', { key: row.key });
        if (confirmed.ok) {
          crash('after-confirm');
          return setState(row, {
            state: 'CONFIRMED',
            bookingId: confirmed.bookingId ?? row.bookingId,
          });
        }
        if (confirmed.refused === null) return null;
        return db.transaction(async (tx) => {
          await voidRedemption(tx, {
            redemptionId: row.redemptionId!,
            reason: 'booking hold released before confirmation',
            now: now(),
            recordedBy: 'network:booking-saga',
          });
          return setState(row, { state: 'FAILED', errorCode: confirmed.refused }, tx);
        });
      }
      case 'RELEASING': {
        const released = await callPartner(row.hostSlug, 'releaseBooking', { key: row.key });
        if (!released.ok && released.refused === null) return null;
        return setState(row, { state: 'FAILED' });
      }
      case 'CANCELLING': {
        const cancelled = await callPartner(row.hostSlug, 'cancelSagaBooking', { key: row.key });
        if (!cancelled.ok && cancelled.refused === null) return null;
        const free = cancelled.ok && cancelled.isFreeCancellation === true;
        return db.transaction(async (tx) => {
          if (free && row.redemptionId)
            await voidRedemption(tx, {
              redemptionId: row.redemptionId,
              reason: 'booking cancelled in the free period',
              now: now(),
              recordedBy: 'network:booking-saga',
            });
          return setState(row, { state: 'CANCELLED' }, tx);
        });
      }
      default:
        return row;
    }
  }

  /** Drives a row as far as it goes now; the row as it stands after. */
  async function drive(
    row: PassBookingRow,
    request: PassBookingRequest | null,
  ): Promise<PassBookingRow> {
    let current = row;
    while (!(TERMINAL as readonly string[]).includes(current.state)) {
      let next: PassBookingRow | null;
      try {
        next = await step(current, request);
      } catch (error) {
        if (!(error instanceof MovedOn)) throw error;
        return (await find(current.id))!;
      }
      // Waiting on a partner: the row as it stands, with what this step noted on it.
      if (!next) return (await find(current.id)) ?? current;
      current = next;
    }
    return current;
  }

  async function find(id: string): Promise<PassBookingRow | null> {
    const [row] = await db.select().from(passBookings).where(eq(passBookings.id, id));
    return row ?? null;
  }

  /** Takes a row over when its lease is over; null when someone else holds it. */
  async function claim(row: PassBookingRow): Promise<PassBookingRow | null> {
    const [claimed] = await db
      .update(passBookings)
      .set({ leaseUntil: new Date(now().getTime() + leaseMs) })
      .where(
        and(
          eq(passBookings.id, row.id),
          eq(passBookings.state, row.state),
          lt(passBookings.leaseUntil, now()),
        ),
      )
      .returning();
    return claimed ?? null;
  }

  return {
    /**
     * Books with a pass: the saga from start to end in this request. A key seen before answers
     * the row it made (driven on if its lease is over).
     */
    async book(request: PassBookingRequest): Promise<PassBookingRow> {
      const [created] = await db
        .insert(passBookings)
        .values({
          key: request.key,
          personId: request.personId,
          passId: request.passId,
          hostSlug: request.hostSlug,
          resourceIds: request.resourceIds,
          startsAt: request.startsAt,
          endsAt: request.endsAt,
          leaseUntil: new Date(now().getTime() + leaseMs),
        })
        .onConflictDoNothing({ target: passBookings.key })
        .returning();
      if (created) return drive(created, request);
      const [existing] = await db
        .select()
        .from(passBookings)
        .where(eq(passBookings.key, request.key));
      if (existing!.state !== 'STARTED') return existing!;
      const claimed = await claim(existing!);
      return claimed ? drive(claimed, request) : existing!;
    },

    /** Cancels a confirmed pass-paid booking; entries come back when in the free period. */
    async cancel(row: PassBookingRow): Promise<PassBookingRow> {
      if (row.state !== 'CONFIRMED') return row;
      const [claimed] = await db
        .update(passBookings)
        .set({
          state: 'CANCELLING',
          leaseUntil: new Date(now().getTime() + leaseMs),
          updatedAt: now(),
        })
        .where(and(eq(passBookings.id, row.id), eq(passBookings.state, 'CONFIRMED')))
        .returning();
      return claimed ? drive(claimed, null) : row;
    },

    /**
     * Finishes or compensates every saga whose lease is over. Several replicas may run it at
     * once: each takes its rows with `SKIP LOCKED` and extends their lease.
     */
    async recover(limit = 100): Promise<PassBookingRow[]> {
      const claimed = await db.transaction(async (tx) => {
        const due = await tx
          .select({ id: passBookings.id })
          .from(passBookings)
          .where(
            and(inArray(passBookings.state, [...UNFINISHED]), lt(passBookings.leaseUntil, now())),
          )
          .limit(limit)
          .for('update', { skipLocked: true });
        if (due.length === 0) return [];
        return tx
          .update(passBookings)
          .set({
            leaseUntil: sql`${new Date(now().getTime() + leaseMs).toISOString()}::timestamptz`,
          })
          .where(
            inArray(
              passBookings.id,
              due.map((d) => d.id),
            ),
          )
          .returning();
      });
      const finished: PassBookingRow[] = [];
      for (const row of claimed) finished.push(await drive(row, null));
      return finished;
    },
  };
}

export type BookingSaga = ReturnType<typeof createBookingSaga>;

/** The saga's `crash` for `SAGA_CRASH_AT`: the process dies there at once, as by SIGKILL. */
export function crashAt(point: CrashPoint | null): (reached: CrashPoint) => void {
  return (reached) => {
    if (reached === point) process.kill(process.pid, 'SIGKILL');
  };
}
