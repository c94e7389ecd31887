import { runService } from '@tiers-lieux/subgraph-shell';
import { loadConfig } from './config.js';
import { createDb } from './db/client.js';
import { seedPartner } from './seed/index.js';
import { registrationChores } from './mail/chores.js';
import { createServer } from './server.js';

await runService({
  loadConfig,
  createDb,
  seed: (db, config) => seedPartner(db, config.partner, new Date()),
  createServer: (db, config, telemetry, outbox) =>
    createServer({
      db,
      ...telemetry,
      partner: config.partner,
      viewerPublicKey: config.viewerPublicKey,
      networkServicePublicKey: config.networkServicePublicKey,
      // Masked unless NODE_ENV says development or test (unset included).
      production: config.maskErrors,
      mail: config.mail,
      outbox,
    }),
  serviceName: (config) => `partner:${config.partner}`,
  outboxChores: (db, config) => registrationChores(db, config.partner, config.mail),
  describe: (config) => `space subgraph of ${config.partner}`,
});
