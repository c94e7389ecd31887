import { runService } from '@tiers-lieux/subgraph-shell';
import { loadConfig } from './config.js';
import { createDb } from './db/client.js';
import { seedNetwork } from './seed/index.js';
import { createServer } from './server.js';

await runService({
  loadConfig,
  createDb,
  seed: (db) => seedNetwork(db, new Date()),
  createServer: (db, config, telemetry) =>
    createServer({
      db,
      ...telemetry,
      viewerPublicKey: config.viewerPublicKey,
      production: config.production,
      partnerCheckTimeoutMs: config.partnerCheckTimeoutMs,
    }),
  serviceName: () => 'network',
  describe: () => 'network subgraph',
});
