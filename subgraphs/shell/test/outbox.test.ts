import { testEngines } from '@tiers-lieux/schema/testkit';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createOutboxDispatcher,
  enqueueMails,
  listDeadLetters,
  outboxMessages,
  retryDeadLetter,
  signLinkToken,
  smtpTransport,
  startMailCatcher,
  verifyLinkToken,
  type DispatcherOptions,
  type MailCatcher,
  type MailTransport,
} from '../src/index.js';
import { openTestDatabase, type TestDatabase } from '../src/testing.js';
import { outboxDatabase } from './fixture/outbox/database.js';
import { owedMail } from './fixture/outbox/mail.js';

const FAST = { backoff: { baseMs: 20, maxMs: 200 }, leaseMs: 60_000 };

describe.each(testEngines())('the outbox on %s', (engine) => {
  let database: TestDatabase<Record<string, unknown>>;
  let catcher: MailCatcher;
  let transport: MailTransport;
  const dispatcher = (options: Partial<DispatcherOptions> = {}) =>
    createOutboxDispatcher({
      db: database.db,
      transport,
      from: 'Réseau des tiers-lieux <reseau@tiers-lieux.test>',
      ...FAST,
      ...options,
    });

  /** Runs a dispatcher until nothing is pending; waits out backoffs, never longer than 30 s. */
  async function drain(options: Partial<DispatcherOptions> = {}) {
    const d = dispatcher(options);
    for (let i = 0; i < 3_000; i++) {
      await d.runOnce();
      const [pending] = await database.db
        .execute<{ n: number }>(
          sql`select count(*)::int as n from outbox_messages where status = 'PENDING'`,
        )
        .then((r) => (Array.isArray(r) ? r : (r as unknown as { rows: { n: number }[] }).rows));
      if (pending!.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the outbox did not drain');
  }

  beforeAll(async () => {
    database = await openTestDatabase(outboxDatabase, { engine });
    catcher = await startMailCatcher();
    transport = smtpTransport(catcher.url);
  });
  afterAll(async () => {
    transport.close();
    await catcher.close();
    await database.close();
  });
  beforeEach(async () => {
    await database.db.delete(outboxMessages);
    catcher.mails.length = 0;
  });

  it('sends a committed mail once over SMTP, with its Message-ID, headers and attachment', async () => {
    await database.db.transaction((tx) =>
      enqueueMails(
        tx,
        [
          {
            kind: 'test',
            to: 'ines@example.test',
            content: {
              subject: 'Inscription confirmée',
              text: 'Bonjour',
              html: '<p>Bonjour</p>',
              headers: { 'List-Unsubscribe': '<https://reseau.test/desabonnement/x>' },
              attachments: [
                {
                  filename: 'evenement.ics',
                  contentType: 'text/calendar',
                  content: 'BEGIN:VCALENDAR',
                },
              ],
            },
          },
        ],
        { domain: 'reseau.test' },
      ),
    );
    const [row] = await database.db.select().from(outboxMessages);

    expect(await dispatcher().runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(await dispatcher().runOnce()).toEqual({ sent: 0, failed: 0 });

    expect(catcher.mails).toHaveLength(1);
    const [caught] = catcher.mails;
    expect(caught).toMatchObject({
      messageId: row!.messageId,
      to: ['ines@example.test'],
      subject: 'Inscription confirmée',
      text: 'Bonjour',
      headers: { 'list-unsubscribe': '<https://reseau.test/desabonnement/x>' },
      attachments: [{ filename: 'evenement.ics', content: 'BEGIN:VCALENDAR' }],
    });
    expect(row!.messageId).toMatch(/^<[0-9a-f-]{36}\.test@reseau\.test>$/);
    const [sent] = await database.db.select().from(outboxMessages);
    expect(sent).toMatchObject({ status: 'SENT', attempts: 1 });
  });

  it('sends nothing for a transaction that rolled back', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await enqueueMails(tx, [owedMail('a@example.test', 'jamais')], { domain: 'reseau.test' });
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    expect(await dispatcher().runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(catcher.mails).toEqual([]);
  });

  it('keeps 100 mails while the server is down and sends each once, in order per recipient, when it is back', async () => {
    const recipients = ['a', 'b', 'c', 'd', 'e'].map((r) => `${r}@example.test`);
    await catcher.pause();
    for (let i = 0; i < 20; i++) {
      await database.db.transaction((tx) =>
        enqueueMails(
          tx,
          recipients.map((to) => owedMail(to, `mail ${i}`)),
          { domain: 'reseau.test' },
        ),
      );
    }
    const down = dispatcher();
    for (let i = 0; i < 3; i++) {
      expect((await down.runOnce()).sent).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(catcher.mails).toEqual([]);
    await catcher.resume();

    await drain();

    expect(catcher.mails).toHaveLength(100);
    expect(new Set(catcher.mails.map((m) => m.messageId)).size).toBe(100);
    for (const to of recipients) {
      expect(catcher.mails.filter((m) => m.to[0] === to).map((m) => m.subject)).toEqual(
        Array.from({ length: 20 }, (_, i) => `mail ${i}`),
      );
    }
  });

  it('never sends a mail twice when several dispatchers run at once', async () => {
    for (let i = 0; i < 10; i++) {
      await enqueueMails(
        database.db,
        Array.from({ length: 20 }, (_, j) => owedMail(`r${j}@example.test`, `m${i}`)),
        { domain: 'reseau.test' },
      );
    }
    const replicas = [1, 2, 3, 4].map(() => dispatcher({ batchSize: 7 }));
    for (let round = 0; round < 200 && catcher.mails.length < 200; round++) {
      await Promise.all(replicas.map((d) => d.runOnce()));
    }
    expect(catcher.mails).toHaveLength(200);
    expect(new Set(catcher.mails.map((m) => m.messageId)).size).toBe(200);
  });

  it('gives up after the bounded time into the dead letters, and a retry sends it', async () => {
    await enqueueMails(database.db, [owedMail('dead@example.test', 'perdu')], {
      domain: 'reseau.test',
    });
    await catcher.pause();
    expect(await dispatcher({ giveUpAfterMs: 0 }).runOnce()).toEqual({ sent: 0, failed: 1 });
    await catcher.resume();
    expect(await dispatcher().runOnce()).toEqual({ sent: 0, failed: 0 });

    const dead = await listDeadLetters(database.db, { first: 10 });
    expect(dead).toMatchObject([{ recipient: 'dead@example.test', status: 'DEAD', attempts: 1 }]);
    expect(dead[0]!.lastError).toMatch(/^E[A-Z]+$/);

    expect(await retryDeadLetter(database.db, dead[0]!.id)).toMatchObject({ status: 'PENDING' });
    expect(await retryDeadLetter(database.db, dead[0]!.id)).toBeNull();
    expect(await dispatcher().runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(catcher.mails.map((m) => m.messageId)).toEqual([dead[0]!.messageId]);
  });

  it('does not send a mail an older one to the same address waits before', async () => {
    await catcher.pause();
    await enqueueMails(database.db, [owedMail('x@example.test', 'premier')], {
      domain: 'reseau.test',
    });
    const patient = dispatcher({ backoff: { baseMs: 60_000, maxMs: 60_000 } });
    expect(await patient.runOnce()).toEqual({ sent: 0, failed: 1 });
    await catcher.resume();
    await enqueueMails(database.db, [owedMail('x@example.test', 'second')], {
      domain: 'reseau.test',
    });
    expect(await patient.runOnce()).toEqual({ sent: 0, failed: 0 });
    await database.db
      .update(outboxMessages)
      .set({ dueAt: new Date(0) })
      .where(eq(outboxMessages.status, 'PENDING'));
    await drain();
    expect(catcher.mails.map((m) => m.subject)).toEqual(['premier', 'second']);
  });
});

describe('link tokens', () => {
  it('verify for their purpose and secret only', () => {
    const token = signLinkToken('secret', 'confirm', 'cantine:registration:1');
    expect(verifyLinkToken('secret', 'confirm', token)).toBe('cantine:registration:1');
    expect(verifyLinkToken('secret', 'cancel', token)).toBeNull();
    expect(verifyLinkToken('other', 'confirm', token)).toBeNull();
    expect(verifyLinkToken('secret', 'confirm', `${token}x`)).toBeNull();
    expect(verifyLinkToken('secret', 'confirm', 'garbage')).toBeNull();
  });
});
