import { sql } from 'drizzle-orm';
import { rowsOf } from '../db.js';
import type { OutboxCounters } from '../metrics.js';
import type { OutboxDb } from './enqueue.js';
import type { MailContent } from './table.js';
import type { MailTransport } from './transport.js';

/**
 * A point where a test kills the process (SIGKILL, no cleanup), the `after`-th time it is
 * reached: `after-claim` is between the commit of a change and the send of its mail,
 * `after-send` between the send and the mark.
 */
export interface CrashPoint {
  point: 'after-claim' | 'after-send';
  after: number;
}

/** `after-send:3` → the third send; for `OUTBOX_CRASH_POINT`. */
export function parseCrashPoint(value: string): CrashPoint | null {
  const match = /^(after-claim|after-send):(\d+)$/.exec(value);
  if (!match) return null;
  return { point: match[1] as CrashPoint['point'], after: Number(match[2]) };
}

export interface DispatcherOptions {
  db: OutboxDb;
  /** Null when no mail server is configured: mails wait in the outbox, chores still run. */
  transport: MailTransport | null;
  /** The `From` of every mail. */
  from: string;
  /** Mails claimed at a time. */
  batchSize?: number;
  /** How often the outbox is looked at when nothing wakes the dispatcher. */
  intervalMs?: number;
  /** How long a claim lasts: longer than a send can take, or a slow send is sent twice. */
  leaseMs?: number;
  /** Delay before the n-th retry: `baseMs · 2^(n-1)`, at most `maxMs`. */
  backoff?: { baseMs: number; maxMs: number };
  /** A mail still undelivered this long after its first attempt goes to the dead letters. */
  giveUpAfterMs?: number;
  /** Work run at each interval besides sending (releasing expired holds, reminders). */
  chores?: (() => Promise<unknown>) | undefined;
  crash?: CrashPoint | null | undefined;
  /** Never given personal data: ids, counts and error codes only. */
  log?: (message: string) => void;
  /** Counts the mails sent, the failed attempts and the mails given up on (`outboxMetricsOf`). */
  metrics?: OutboxCounters | null | undefined;
}

export interface OutboxDispatcher {
  /** Sends what is due now, once; resolves with the number sent and failed. */
  runOnce(): Promise<{ sent: number; failed: number }>;
  /** Starts the loop: each interval, and at once after `wake()`. */
  start(): void;
  /** Asks the loop to look at the outbox now (after a commit that wrote to it). */
  wake(): void;
  /** Ends the loop after the batch in flight. */
  stop(): Promise<void>;
}

interface ClaimedRow {
  id: string;
  message_id: string;
  recipient: string;
  content: MailContent | string;
  attempts: number;
}

export const DISPATCHER_DEFAULTS = {
  batchSize: 20,
  intervalMs: 5_000,
  leaseMs: 120_000,
  backoff: { baseMs: 5_000, maxMs: 600_000 },
  giveUpAfterMs: 24 * 3_600_000,
};

/**
 * Delivers the outbox. Several replicas may run one over the same database: a mail is
 * claimed under `FOR UPDATE SKIP LOCKED` and leased for `leaseMs`, so each is sent by one
 * dispatcher at a time; a dispatcher that dies mid-send leaves a lease that runs out, and the
 * mail is sent again with the same `Message-ID`. A recipient's mails leave in creation order:
 * a mail is not claimed while an older one to the same address is still pending.
 */
export function createOutboxDispatcher(options: DispatcherOptions): OutboxDispatcher {
  const { db, transport } = options;
  const batchSize = options.batchSize ?? DISPATCHER_DEFAULTS.batchSize;
  const intervalMs = options.intervalMs ?? DISPATCHER_DEFAULTS.intervalMs;
  const leaseMs = options.leaseMs ?? DISPATCHER_DEFAULTS.leaseMs;
  const backoff = options.backoff ?? DISPATCHER_DEFAULTS.backoff;
  const giveUpAfterMs = options.giveUpAfterMs ?? DISPATCHER_DEFAULTS.giveUpAfterMs;
  const log = options.log ?? (() => {});
  const metrics = options.metrics ?? null;
  const reached = { 'after-claim': 0, 'after-send': 0 };

  const crashIfAt = (point: CrashPoint['point']) => {
    if (options.crash?.point === point && ++reached[point] === options.crash.after) {
      process.kill(process.pid, 'SIGKILL');
    }
  };

  async function claim(): Promise<ClaimedRow[]> {
    return rowsOf<ClaimedRow>(
      await db.execute(sql`
        update outbox_messages
        set claimed_until = now() + ${leaseMs} * interval '1 millisecond',
            attempts = attempts + 1
        where id in (
          select o.id from outbox_messages o
          where o.status = 'PENDING' and o.due_at <= now()
            and (o.claimed_until is null or o.claimed_until < now())
            and not exists (
              select 1 from outbox_messages older
              where older.recipient = o.recipient and older.status = 'PENDING' and older.seq < o.seq
            )
          order by o.seq
          limit ${batchSize}
          for update skip locked
        )
        returning id, message_id, recipient, content, attempts`),
    );
  }

  async function deliver(row: ClaimedRow): Promise<boolean> {
    const content: MailContent =
      typeof row.content === 'string' ? JSON.parse(row.content) : row.content;
    try {
      await transport!.send({
        ...content,
        messageId: row.message_id,
        from: options.from,
        to: row.recipient,
      });
    } catch (error) {
      const delayMs = Math.min(backoff.baseMs * 2 ** (row.attempts - 1), backoff.maxMs);
      const reason = smtpReason(error);
      const [marked] = rowsOf<{ status: string }>(
        await db.execute(sql`
          update outbox_messages
          set claimed_until = null,
              last_error = ${reason},
              due_at = now() + ${delayMs} * interval '1 millisecond',
              status = case
                when delivering_since < now() - ${giveUpAfterMs} * interval '1 millisecond'
                then 'DEAD' else 'PENDING' end
          where id = ${row.id}
          returning status`),
      );
      log(`outbox: ${row.message_id} not sent (attempt ${row.attempts}, ${reason})`);
      metrics?.failedAttempts.inc();
      if (marked?.status === 'DEAD') {
        log(`outbox: ${row.message_id} moved to the dead letters`);
        metrics?.dead.inc();
      }
      return false;
    }
    metrics?.sent.inc();
    crashIfAt('after-send');
    await db.execute(sql`
      update outbox_messages set status = 'SENT', sent_at = now(), claimed_until = null
      where id = ${row.id} and status = 'PENDING'`);
    return true;
  }

  async function runOnce() {
    if (!transport) return { sent: 0, failed: 0, claimed: 0 };
    const rows = await claim();
    if (rows.length > 0) crashIfAt('after-claim');
    // A batch holds one mail per recipient at most (the oldest): sending in parallel keeps
    // each recipient's order.
    const results = await Promise.all(rows.map(deliver));
    const sent = results.filter(Boolean).length;
    return { sent, failed: results.length - sent, claimed: rows.length };
  }

  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  let lastChores = 0;

  const pause = () =>
    new Promise<void>((resolve) => {
      if (woken) return resolve();
      const timer = setTimeout(finish, intervalMs);
      function finish() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = finish;
    });

  async function run() {
    while (running) {
      try {
        if (options.chores && Date.now() - lastChores >= intervalMs) {
          lastChores = Date.now();
          await options.chores();
        }
        woken = false;
        const { claimed } = await runOnce();
        if (claimed === batchSize) continue;
      } catch (error) {
        log(`outbox: dispatcher round failed: ${error instanceof Error ? error.message : error}`);
      }
      if (running) await pause();
    }
  }

  return {
    runOnce: async () => {
      const { sent, failed } = await runOnce();
      return { sent, failed };
    },
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
      loop = null;
      transport?.close();
    },
  };
}

/** The SMTP reply code or the network error's code: never the server's text, which may quote the address. */
function smtpReason(error: unknown): string {
  const e = error as { responseCode?: number; code?: string } | null;
  if (e?.responseCode) return `SMTP ${e.responseCode}`;
  return e?.code ?? 'ERROR';
}
