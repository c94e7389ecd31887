import { runService } from '@tiers-lieux/subgraph-shell';
import { loadConfig } from './config.js';
import { createDb } from './db/client.js';
import { seedPartner } from './seed/index.js';
import { createServer } from './server.js';

await runService({
  loadConfig,
  createDb,
  seed: (db, config) => seedPartner(db, config.partner, new Date()),
  createServer: (db, config, telemetry) =>
    createServer({
      db,
      ...telemetry,
      partner: config.partner,
      viewerPublicKey: config.viewerPublicKey,
      production: config.production,
    }),
  serviceName: (config) => `partner:${config.partner}`,
  describe: (config) => `space subgraph of ${config.partner}`,
});
