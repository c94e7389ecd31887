import { runService } from '@tiers-lieux/subgraph-shell';
import { loadConfig } from './config.js';
import { createDb } from './db/client.js';
import { seedPartner } from './seed/index.js';
import { createServer } from './server.js';

await runService({
  loadConfig,
  createDb,
  seed: (db, config) => seedPartner(db, config.partner, new Date()),
  createServer: (db, config) =>
    createServer({
      db,
      partner: config.partner,
      viewerPublicKey: config.viewerPublicKey,
      networkServicePublicKey: config.networkServicePublicKey,
      production: config.production,
    }),
  describe: (config) => `space subgraph of ${config.partner}`,
});
