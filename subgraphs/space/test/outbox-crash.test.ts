import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase, testEngines, testDatabaseUrl } from '@tiers-lieux/schema/testkit';
import { outboxMessages, startMailCatcher, type MailCatcher } from '@tiers-lieux/subgraph-shell';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client.js';
import { Seeder } from './seed.js';

const CHILD = fileURLToPath(new URL('./fixture/crash-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the child once; resolves with how it ended (a number, or the signal that killed it). */
function runChild(env: Record<string, string>): Promise<number | string> {
  return new Promise((resolve, reject) => {
    // node itself, not the tsx wrapper, so the SIGKILL is seen as the child's own end.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== null && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve(signal ?? code ?? -1);
    });
  });
}

describe.each(testEngines())('the outbox killed mid-delivery on %s', (engine) => {
  let catcher: MailCatcher;
  let database: { env: Record<string, string>; cleanup(): Promise<void> };

  beforeAll(async () => {
    catcher = await startMailCatcher();
    if (engine === 'postgres') {
      const scratch = await createScratchDatabase(testDatabaseUrl()!, 'space_crash');
      database = { env: { CRASH_DATABASE_URL: scratch.url }, cleanup: () => scratch.drop() };
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'space-crash-'));
      database = {
        env: { CRASH_PGLITE_DIR: dir },
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    }
  });
  afterAll(async () => {
    await catcher.close();
    await database.cleanup();
  });

  it('sends every mail owed after restarts, none for a rolled-back change, and resends only what a kill interrupted', async () => {
    const handle = await createDb(
      engine === 'postgres'
        ? { url: database.env.CRASH_DATABASE_URL }
        : { pgliteDir: database.env.CRASH_PGLITE_DIR },
    );
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
    const endings: (number | string)[] = [];
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
    const kills = endings.filter((e) => e === 'SIGKILL').length;
    const killsAfterSend = crashes.filter(
      (c, i) => c.startsWith('after-send') && endings[i] === 'SIGKILL',
    ).length;

    const check = await createDb(
      engine === 'postgres'
        ? { url: database.env.CRASH_DATABASE_URL }
        : { pgliteDir: database.env.CRASH_PGLITE_DIR },
    );
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
