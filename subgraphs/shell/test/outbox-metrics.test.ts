import { testEngines } from '@tiers-lieux/schema/testkit';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createMetricsRegistry,
  enqueueMails,
  mailDispatcher,
  OUTBOX_BACKLOG_STATEMENT,
  outboxMessages,
  outboxMetricsOf,
  rowsOf,
  serveMetrics,
  startMailCatcher,
  subgraphMetricsOf,
  type MailCatcher,
  type Registry,
} from '../src/index.js';
import { openTestDatabase, type TestDatabase } from '../src/testing.js';
import { outboxDatabase } from './fixture/outbox/database.js';
import { owedMail } from './fixture/outbox/mail.js';

/** The value of the sample `name{labels}` in Prometheus' text; undefined when absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe.each(testEngines())('the outbox metrics on %s', (engine) => {
  let database: TestDatabase<Record<string, unknown>>;
  let catcher: MailCatcher;
  let registry: Registry;
  let served: Awaited<ReturnType<typeof serveMetrics>>;
  const scrape = async () => {
    const response = await fetch(served.url);
    expect(response.status).toBe(200);
    return response.text();
  };
  // As `runService` makes it: its registry given to `mailDispatcher`.
  const dispatcher = () =>
    mailDispatcher(
      database.db,
      { smtpUrl: catcher.url, from: 'Réseau <reseau@tiers-lieux.test>', intervalMs: 1_000 },
      { metrics: registry, backoff: { baseMs: 60_000, maxMs: 60_000 } },
    );
  const enqueue = (...to: string[]) =>
    enqueueMails(
      database.db,
      to.map((t) => owedMail(t, `pour ${t}`)),
      { domain: 'reseau.test' },
    );

  beforeAll(async () => {
    database = await openTestDatabase(outboxDatabase, { engine });
    catcher = await startMailCatcher();
  });
  afterAll(async () => {
    await served?.close();
    await catcher.close();
    await database.close();
  });
  beforeEach(async () => {
    await served?.close();
    await database.db.delete(outboxMessages);
    await catcher.resume();
    catcher.mails.length = 0;
    registry = createMetricsRegistry();
    served = await serveMetrics(registry, { host: '127.0.0.1', port: 0 });
  });

  it('counts the pending mails at each scrape, then the sent ones', async () => {
    const d = dispatcher();
    await enqueue('a@example.test', 'b@example.test', 'c@example.test');
    let text = await scrape();
    expect(sample(text, 'subgraph_outbox_messages', '{status="pending"}')).toBe(3);
    expect(sample(text, 'subgraph_outbox_messages', '{status="dead"}')).toBe(0);
    expect(sample(text, 'subgraph_outbox_sent_total')).toBe(0);
    expect(sample(text, 'subgraph_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);

    // A mail waiting for an hour is the lag.
    await database.db
      .update(outboxMessages)
      .set({ deliveringSince: new Date(Date.now() - 3_600_000) })
      .where(eq(outboxMessages.recipient, 'b@example.test'));
    text = await scrape();
    expect(sample(text, 'subgraph_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(3_600);
    expect(sample(text, 'subgraph_outbox_oldest_pending_seconds')).toBeLessThan(3_700);

    expect(await d.runOnce()).toEqual({ sent: 3, failed: 0 });
    await d.stop();
    expect(catcher.mails).toHaveLength(3);
    text = await scrape();
    expect(sample(text, 'subgraph_outbox_messages', '{status="pending"}')).toBe(0);
    expect(sample(text, 'subgraph_outbox_sent_total')).toBe(3);
    expect(sample(text, 'subgraph_outbox_failed_attempts_total')).toBe(0);
    expect(sample(text, 'subgraph_outbox_oldest_pending_seconds')).toBe(0);
  });

  it('counts failed attempts while the SMTP server is down, and the mails given up on', async () => {
    const d = dispatcher();
    await enqueue('a@example.test', 'b@example.test');
    await catcher.pause();
    expect(await d.runOnce()).toEqual({ sent: 0, failed: 2 });
    let text = await scrape();
    expect(sample(text, 'subgraph_outbox_failed_attempts_total')).toBe(2);
    expect(sample(text, 'subgraph_outbox_messages', '{status="pending"}')).toBe(2);
    // Both wait out their backoff: none is due, so no lag.
    expect(sample(text, 'subgraph_outbox_oldest_pending_seconds')).toBe(0);

    // Due again, one of them past the give-up delay (a day by default).
    await database.db.update(outboxMessages).set({ dueAt: new Date(0) });
    await database.db
      .update(outboxMessages)
      .set({ deliveringSince: new Date(Date.now() - 25 * 3_600_000) })
      .where(eq(outboxMessages.recipient, 'a@example.test'));
    text = await scrape();
    expect(sample(text, 'subgraph_outbox_oldest_pending_seconds')).toBeGreaterThan(24 * 3_600);
    expect(await d.runOnce()).toEqual({ sent: 0, failed: 2 });
    await d.stop();
    text = await scrape();
    expect(sample(text, 'subgraph_outbox_failed_attempts_total')).toBe(4);
    expect(sample(text, 'subgraph_outbox_dead_total')).toBe(1);
    expect(sample(text, 'subgraph_outbox_messages', '{status="pending"}')).toBe(1);
    expect(sample(text, 'subgraph_outbox_messages', '{status="dead"}')).toBe(1);
    expect(sample(text, 'subgraph_outbox_sent_total')).toBe(0);
  });

  it('reads the backlog through the partial indexes, never the sent mails', async () => {
    const plan = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return rowsOf<{ 'QUERY PLAN': string }>(
        await tx.execute(sql`explain ${OUTBOX_BACKLOG_STATEMENT}`),
      ).map((row) => row['QUERY PLAN']);
    });
    const scans = plan.filter((line) => / Scan /.test(line));
    expect(scans).toHaveLength(3);
    for (const scan of scans) {
      expect(scan).toMatch(
        /Index (Only )?Scan using outbox_messages_(due|pending_by_recipient|dead) /,
      );
    }
    expect(scans.filter((scan) => /outbox_messages_dead /.test(scan))).toHaveLength(1);
  });

  it('serves the other metrics when the outbox cannot be read', async () => {
    const broken = await openTestDatabase(outboxDatabase, { engine });
    await broken.close();
    const other = createMetricsRegistry();
    subgraphMetricsOf(other).poolSize.set(4);
    outboxMetricsOf(other, broken.db);
    const text = await other.metrics();
    expect(sample(text, 'subgraph_db_pool_size')).toBe(4);
    expect(sample(text, 'subgraph_outbox_messages', '{status="pending"}')).toBeUndefined();
    expect(sample(text, 'subgraph_outbox_oldest_pending_seconds')).toBeNaN();
    expect(sample(text, 'subgraph_outbox_sent_total')).toBe(0);
  });
});
