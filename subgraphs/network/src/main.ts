import { startStandaloneServer } from '@apollo/server/standalone';
import { ConfigError, loadConfig } from './config.js';
import { createDb } from './db/client.js';
import { seedNetwork } from './seed/index.js';
import { createServer } from './server.js';

process.env.APOLLO_TELEMETRY_DISABLED = '1';

let config;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

const handle = await createDb(config.database);
await handle.migrate();
if (config.seed) await seedNetwork(handle.db, new Date());
const { server, context } = createServer({
  db: handle.db,
  production: config.production,
  viewerPublicKey: config.viewerPublicKey,
  partnerCheckTimeoutMs: config.partnerCheckTimeoutMs,
});
const { url } = await startStandaloneServer(server, { listen: config.http, context });
console.log(`network subgraph at ${url} (database: ${handle.mode})`);

async function shutdown() {
  await server.stop();
  await handle.close();
  process.exit(0);
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
