import { everyInterval, runService } from '@tiers-lieux/subgraph-shell';
import { crashAt, createBookingSaga, type BookingSaga } from './booking-saga.js';
import { loadConfig, type Config } from './config.js';
import { createDb, type Db } from './db/client.js';
import { noticeExpiringPasses } from './data/pass-mails.js';
import { seedNetwork } from './seed/index.js';
import { createServer } from './server.js';

let saga: BookingSaga | null = null;
/** One saga per process: the requests run it, the recovery finishes what they left. */
function sagaOf(db: Db, config: Config): BookingSaga {
  return (saga ??= createBookingSaga({
    db,
    signingKey: config.saga.signingKey,
    timeoutMs: config.saga.timeoutMs,
    crash: crashAt(config.saga.crashAt),
  }));
}

await runService({
  loadConfig,
  createDb,
  seed: (db) => seedNetwork(db, new Date()),
  createServer: (db, config, telemetry, outbox) =>
    createServer({
      db,
      ...telemetry,
      viewerPublicKey: config.viewerPublicKey,
      // Masked unless NODE_ENV says development or test (unset included).
      production: config.maskErrors,
      partnerCheckTimeoutMs: config.partnerCheckTimeoutMs,
      mail: config.mail,
      outbox,
      saga: sagaOf(db, config),
    }),
  outboxChores: (db, config) => () =>
    noticeExpiringPasses(db, { now: new Date(), mail: config.mail }),
  background: (db, config, telemetry) =>
    everyInterval(
      () => sagaOf(db, config).recover(),
      config.saga.recoveryIntervalMs,
      (error) =>
        telemetry.logger.error(
          `booking saga recovery failed: ${error instanceof Error ? error.message : 'error'}`,
        ),
    ),
  serviceName: () => 'network',
  describe: () => 'network subgraph',
});
