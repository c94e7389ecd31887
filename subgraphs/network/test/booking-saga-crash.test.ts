import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { testEngines } from '@tiers-lieux/schema/testkit';
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
import { passBookings } from '../src/db/schema.js';
import {
  SERVICE_KEYS,
  sagaInvariants,
  seedSagaNetwork,
  startHost,
  type HostPartner,
} from './saga-world.js';

const CHILD = fileURLToPath(new URL('./fixture/saga-child.ts', import.meta.url));
const runChild = (env: Record<string, string>) => runCrashChild(CHILD, env);

describe.each(testEngines())('the booking saga killed between its steps on %s', (engine) => {
  let host: HostPartner;
  let database: CrashDatabase;
  const open = () => createDb(crashDatabaseConfig(database.env));

  beforeAll(async () => {
    host = await startHost();
    database = await createCrashDatabase(engine, 'network_saga_crash');
  });
  afterAll(async () => {
    await host?.close();
    await database?.cleanup();
  });

  it('leaves every confirmed booking with exactly one live redemption, and nothing spent for the others', async () => {
    const setup = await open();
    await setup.migrate();
    const pass = await seedSagaNetwork(setup.db, host);
    await setup.close();

    const crashes = ['after-hold', 'after-redeem', 'after-confirm'];
    const rounds = engine === 'postgres' ? 12 : 9;
    const run = randomUUID().slice(0, 8);
    const common = {
      ...database.env,
      CRASH_RUN: run,
      CRASH_SIGNING_KEY: SERVICE_KEYS.signingKey,
      CRASH_PASS_ID: pass.id,
      CRASH_ROOM: host.room,
      CRASH_BATCH: '4',
    };
    const endings: ChildEnding[] = [];
    for (let round = 0; round < rounds; round++) {
      endings.push(
        await runChild({
          ...common,
          CRASH_ROUND: String(round),
          SAGA_CRASH_AT: crashes[round % crashes.length]!,
        }),
      );
      // The next child's recovery finds the lease of the killed one over.
      await new Promise((resolve) => setTimeout(resolve, 350));
    }
    endings.push(await runChild({ ...common, CRASH_ROUND: 'last', CRASH_BATCH: '0' }));

    const check = await open();
    const rows = await check.db.select().from(passBookings);
    const outcome = await sagaInvariants(check.db, host.db);
    await check.close();
    const kills = killsAmong(endings);
    console.log(
      `[${engine}] ${rounds} children, ${kills} SIGKILLs: ${rows.length} pass bookings, ${outcome.confirmed} confirmed, ${outcome.liveRedemptions} live redemptions`,
    );
    expect(kills).toBe(rounds);
    expect(rows.filter((r) => !['CONFIRMED', 'FAILED'].includes(r.state))).toEqual([]);
    expect(outcome.problems).toEqual([]);
    expect(outcome.held).toBe(0);
    // A child after an `after-redeem` kill dies in its recovery (confirming the row the kill
    // left, `after-confirm`) before it books: the next child's recovery confirms that row.
    expect(outcome.confirmed).toBeGreaterThanOrEqual(rounds / 3);
    expect(
      rows.filter((r) => r.state === 'FAILED').every((r) => r.errorCode === 'INTERRUPTED'),
    ).toBe(true);
  }, 600_000);
});
