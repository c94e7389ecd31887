import { fileURLToPath } from 'node:url';
import { testEngines } from '@tiers-lieux/schema/testkit';
import { outboxMessages, startMailCatcher, type MailCatcher } from '@tiers-lieux/subgraph-shell';
import {
  crashDatabaseConfig,
  createCrashDatabase,
  killsAmong,
  runCrashChild,
  type ChildEnding,
  type CrashDatabase,
} from '@tiers-lieux/subgraph-shell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client.js';
import { Seeder } from './seed.js';

const CHILD = fileURLToPath(new URL('./fixture/crash-child.ts', import.meta.url));
const runChild = (env: Record<string, string>) => runCrashChild(CHILD, env);

describe.each(testEngines())('the outbox killed mid-delivery on %s', (engine) => {
  let catcher: MailCatcher;
  let database: CrashDatabase;

  beforeAll(async () => {
    catcher = await startMailCatcher();
    database = await createCrashDatabase(engine, 'space_crash');
  });
  afterAll(async () => {
    await catcher?.close();
    await database?.cleanup();
  });

  it('sends every mail owed after restarts, none for a rolled-back change, and resends only what a kill interrupted', async () => {
    const handle = await createDb(crashDatabaseConfig(database.env));
    await handle.migrate();
    const seed = new Seeder(handle.db, 'baronnies');
    const space = await seed.space({ name: 'Les Tuves' });
    const startsAt = new Date(Date.now() + 7 * 86_400_000);
    const events = await Promise.all(
      [100, 100, 100].map((capacity) =>
        seed.event(space.id, {
          capacity,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 3_600_000),
        }),
      ),
    );
    await handle.close();

    const crashes = [
      'after-claim:1',
      'after-send:1',
      'after-send:3',
      'after-claim:2',
      'after-send:2',
      'after-claim:1',
      'after-send:4',
      'after-claim:3',
    ];
    const endings: ChildEnding[] = [];
    for (const [round, crash] of crashes.entries()) {
      endings.push(
        await runChild({
          ...database.env,
          CRASH_ROUND: String(round),
          CRASH_BATCH: '6',
          CRASH_EVENT_IDS: events.map((e) => e.id).join(','),
          CRASH_SMTP_URL: catcher.url,
          OUTBOX_CRASH_POINT: crash,
        }),
      );
    }
    // A last run without a crash point finishes whatever the kills left, after their leases.
    await new Promise((resolve) => setTimeout(resolve, 400));
    endings.push(
      await runChild({
        ...database.env,
        CRASH_ROUND: 'last',
        CRASH_BATCH: '0',
        CRASH_EVENT_IDS: events.map((e) => e.id).join(','),
        CRASH_SMTP_URL: catcher.url,
      }),
    );
    const kills = killsAmong(endings);
    const killsAfterSend = crashes.filter(
      (c, i) => c.startsWith('after-send') && endings[i] === 'SIGKILL',
    ).length;

    const check = await createDb(crashDatabaseConfig(database.env));
    const owed = await check.db.select().from(outboxMessages);
    await check.close();

    const received = catcher.mails.map((m) => m.messageId);
    const distinct = new Set(received);
    console.log(
      `[${engine}] ${crashes.length} runs, ${kills} SIGKILLs (${killsAfterSend} after a send): ${owed.length} mails owed, ${received.length} received, ${distinct.size} distinct Message-IDs`,
    );
    expect(kills).toBeGreaterThanOrEqual(6);
    expect(owed.length).toBe(crashes.length * 6);
    expect(owed.every((m) => m.status === 'SENT')).toBe(true);
    expect([...distinct].sort()).toEqual(owed.map((m) => m.messageId).sort());
    expect(owed.some((m) => m.kind === 'event-cancelled')).toBe(false);
    // Only a kill between sends and their marks sends mails twice, with the same Message-ID:
    // at most the batch in flight (5) per such kill.
    expect(received.length - distinct.size).toBeLessThanOrEqual(killsAfterSend * 5);
  }, 600_000);
});
