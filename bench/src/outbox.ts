import { startOurGateway } from './gateways.js';
import type { LoadResult } from './load.js';
import { startNetwork } from './network.js';
import type { Operation } from './operations.js';
import type { BenchContext } from './sections/context.js';
import { post } from './statements.js';
import {
  createOutboxDispatcher,
  formatId,
  rowsOf,
  smtpTransport,
  startMailCatcher,
  type OutboxDispatcher,
  type SpaceDb,
} from './workspace.js';

/** A kind of registration, and the SQL statements it cost the partner's database. */
export interface RegistrationStatements {
  /** `guest`: a guest registering themselves (the link to confirm is mailed); `member`: a
   * member registered by a coordinator on a free seat (confirmation mailed); `waiting`: the
   * same on a full event (the waiting list, no mail). */
  registration: 'guest' | 'member' | 'waiting';
  mail: boolean;
  /**
   * Requests counted, and the fewest and most statements one cost (a guest's event without a
   * capacity skips the count of free seats).
   */
  requests: number;
  statements: { min: number; max: number };
}

export interface OutboxReport {
  registrations: RegistrationStatements[];
  /** A backlog of mails delivered by a dispatcher started on it. */
  backlog: {
    mails: number;
    seconds: number;
    /** Statements the dispatcher sent per mail delivered (claims and marks). */
    statementsPerMail: number;
  };
  /** Guest registrations through the gateway under load, the dispatcher running. */
  load: {
    registrations: LoadResult;
    /** Mails that arrived at the SMTP server during the measured run, per second. */
    mailsPerSecond: number;
    /** Mails created by the measured run, all delivered. */
    mails: number;
    /** From each mail's row `created_at` to its arrival at the SMTP server, in ms. */
    lagP50: number;
    lagP99: number;
    lagMax: number;
    /** From the end of the run until the outbox held nothing pending, in ms. */
    drainMs: number;
  };
}

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterForEventInput!) {
    registerForEvent(input: $input) {
      answerSentByMail
      registration {
        status
      }
      error {
        code
      }
    }
  }
`;

interface RegisterAnswer {
  registerForEvent: {
    answerSentByMail: boolean | null;
    registration: { status: string } | null;
    error: { code: string } | null;
  };
}

/** Registrations of each kind whose statements are counted. */
const COUNTED = 10;
/** Events the guests register for, in turn (each registration locks its event's row). */
const GUEST_EVENTS = 32;
const DRAIN_TIMEOUT_MS = 120_000;
const PARTNER_TIMEOUT_MS = 30_000;
const FROM = 'Réseau des tiers-lieux <ne-pas-repondre@tiers-lieux.example>';

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > DRAIN_TIMEOUT_MS)
      throw new Error(`outbox: ${what} within ${DRAIN_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function pending(db: SpaceDb): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute("select count(*)::int as n from outbox_messages where status = 'PENDING'"),
  );
  return Number(row?.n ?? 0);
}

/** Runs `task(0)` … `task(count - 1)`, `concurrency` at a time. */
async function inPool(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/**
 * The transactional outbox of a partner under registrations through our gateway: a real SMTP
 * server in this process receives what the partner's dispatcher sends over nodemailer. Counts
 * the statements a registration costs the partner's database with and without its mail, then
 * times a dispatcher on a backlog of `burst` mails, then loads the gateway with guest
 * registrations while the dispatcher runs and measures the lag from each mail's row to its
 * arrival at the SMTP server.
 */
export async function measureOutbox(context: BenchContext, burst: number): Promise<OutboxReport> {
  const { options } = context;
  const catcher = await startMailCatcher({ keep: 1_000_000 });
  context.onClose(catcher.close);
  const outbox = {
    dispatcher: null as OutboxDispatcher | null,
    wake() {
      this.dispatcher?.wake();
    },
  };
  const network = await startNetwork(context.databases, {
    size: { partners: 1, spaces: 8, events: 400, members: 300, passes: 0 },
    seed: options.seed,
    now: context.now,
    viewerPublicKey: context.viewerKeys.publicKey,
    withNetwork: true,
    partnerOutbox: () => outbox,
  });
  context.onClose(network.close);
  const partner = network.partners[0]!;
  // Registrations queue for the partner's database under load: they wait rather than fail.
  const gateway = await startOurGateway('ours-outbox', {
    ...context.gatewayConfig(network, await context.supergraph('outbox', network)),
    partnerTimeoutMs: PARTNER_TIMEOUT_MS,
  });
  context.onClose(() => gateway.child.stop());
  const newDispatcher = () =>
    createOutboxDispatcher({ db: partner.db, transport: smtpTransport(catcher.url), from: FROM });

  const events = rowsOf<{ id: string; capacity: number | null }>(
    await partner.db.execute(
      "select id, capacity from events where status = 'SCHEDULED' and starts_at > now() + interval '1 day' order by starts_at, id",
    ),
  );
  const eventId = (uuid: string) => formatId(partner.slug, 'event', uuid);
  const full = events
    .filter((e) => e.capacity !== null && e.capacity + COUNTED < partner.memberIds.length)
    .sort((a, b) => a.capacity! - b.capacity!)[0];
  const guestEvents = events.filter((e) => e !== full).slice(0, GUEST_EVENTS);
  if (!full || guestEvents.length === 0) throw new Error('outbox: no upcoming event to register');

  let guests = 0;
  const guestBody = () => {
    const n = guests++;
    return JSON.stringify({
      query: REGISTER,
      variables: {
        input: {
          eventId: eventId(guestEvents[n % guestEvents.length]!.id),
          guest: { name: `Invité ${n}`, email: `invite-${context.runTag}-${n}@bench.example` },
        },
      },
    });
  };
  const register = (body: string, headers: Record<string, string> = {}) =>
    post<RegisterAnswer>(gateway.url, body, null, headers).then((d) => d.registerForEvent);

  // 1. Statements per registration, the dispatcher stopped: only the requests touch the database.
  const counted = new Map<RegistrationStatements['registration'], number[]>([
    ['guest', []],
    ['member', []],
    ['waiting', []],
  ]);
  const counting = async (ask: () => Promise<RegistrationStatements['registration'] | null>) => {
    partner.counter.statements = 0;
    const kind = await ask();
    if (kind) counted.get(kind)!.push(partner.counter.statements);
  };
  for (let i = 0; i < COUNTED; i++) {
    await counting(async () => {
      const answer = await register(guestBody());
      if (answer.answerSentByMail !== true || answer.error)
        throw new Error(`outbox: a guest registration failed: ${JSON.stringify(answer)}`);
      return 'guest';
    });
  }
  for (const memberId of partner.memberIds) {
    if (counted.get('waiting')!.length >= COUNTED) break;
    await counting(async () => {
      const body = JSON.stringify({
        query: REGISTER,
        variables: { input: { eventId: eventId(full.id), memberId } },
      });
      const answer = await register(body, context.coordinator);
      if (answer.error?.code === 'ALREADY_REGISTERED') return null;
      const status = answer.registration?.status;
      if (status === 'CONFIRMED') return 'member';
      if (status === 'WAITING') return 'waiting';
      throw new Error(`outbox: a member registration failed: ${JSON.stringify(answer)}`);
    });
  }
  const registrations: RegistrationStatements[] = (['guest', 'member', 'waiting'] as const).map(
    (registration) => {
      const counts = counted.get(registration)!;
      if (counts.length === 0) context.fail(`outbox: no ${registration} registration counted`);
      return {
        registration,
        mail: registration !== 'waiting',
        requests: counts.length,
        statements: { min: Math.min(...counts), max: Math.max(...counts) },
      };
    },
  );

  // 2. A backlog: `burst` more guests registered, then a dispatcher started on every mail owed.
  await inPool(burst, options.load.connections, async () => {
    const answer = await register(guestBody());
    if (answer.answerSentByMail !== true) throw new Error('outbox: a guest registration failed');
  });
  const backlogMails = await pending(partner.db);
  partner.counter.statements = 0;
  outbox.dispatcher = newDispatcher();
  const started = performance.now();
  outbox.dispatcher.start();
  await until(() => catcher.mails.length >= backlogMails, 'the backlog was not delivered');
  const backlogSeconds = (performance.now() - started) / 1000;
  await outbox.dispatcher.stop();
  const statementsPerMail = partner.counter.statements / backlogMails;
  if ((await pending(partner.db)) !== 0)
    context.fail('outbox: mails left pending after the backlog');

  // 3. Guest registrations under load through the gateway, a dispatcher running.
  outbox.dispatcher = newDispatcher();
  outbox.dispatcher.start();
  let measuredFrom = new Date();
  const operation: Operation = {
    name: 'guestRegistration',
    title: 'Guest registration for an event (a mail each)',
    body: guestBody,
    verify: (body) => {
      try {
        const answer = JSON.parse(body) as { data?: RegisterAnswer; errors?: unknown };
        return !answer.errors && answer.data?.registerForEvent.answerSentByMail === true;
      } catch {
        return false;
      }
    },
  };
  const load = await context.run(
    `outbox · ${operation.title}`,
    gateway.url,
    operation,
    options.load,
    {},
    () => void (measuredFrom = new Date()),
  );
  const measuredTo = new Date();
  await until(async () => (await pending(partner.db)) === 0, 'the outbox did not drain');
  const drainMs = Date.now() - measuredTo.getTime();
  await outbox.dispatcher.stop();
  outbox.dispatcher = null;

  const rows = rowsOf<{ message_id: string; created_at: string | Date }>(
    await partner.db.execute(
      `select message_id, created_at from outbox_messages where created_at >= '${measuredFrom.toISOString()}'::timestamptz and created_at < '${measuredTo.toISOString()}'::timestamptz`,
    ),
  );
  const arrivals = new Map(catcher.mails.map((m) => [m.messageId, m.receivedAt.getTime()]));
  const lags: number[] = [];
  for (const row of rows) {
    const arrived = arrivals.get(row.message_id);
    if (arrived === undefined) context.fail(`outbox: ${row.message_id} never arrived`);
    else lags.push(arrived - new Date(row.created_at).getTime());
  }
  lags.sort((a, b) => a - b);
  const inRun = catcher.mails.filter(
    (m) => m.receivedAt >= measuredFrom && m.receivedAt < measuredTo,
  ).length;
  return {
    registrations,
    backlog: { mails: backlogMails, seconds: backlogSeconds, statementsPerMail },
    load: {
      registrations: load,
      mailsPerSecond: inRun / ((measuredTo.getTime() - measuredFrom.getTime()) / 1000),
      mails: rows.length,
      lagP50: percentile(lags, 0.5),
      lagP99: percentile(lags, 0.99),
      lagMax: lags.at(-1) ?? Number.NaN,
      drainMs,
    },
  };
}
