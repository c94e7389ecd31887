import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createDb } from './db/client.js';
import { SEEDED_PARTNERS, seedPartner } from './seed/index.js';
import { createServer } from './server.js';

/**
 * The embedded network of partners: every seeded partner's subgraph in this one process,
 * each on its own PGlite folder and its own HTTP port, exactly as they run apart.
 */
process.env.APOLLO_TELEMETRY_DISABLED = '1';

const dataDir = process.env.DATA_DIR ?? join(process.cwd(), '.data');
const firstPort = Number(process.env.FIRST_PARTNER_PORT ?? 4101);

const started = await Promise.all(
  SEEDED_PARTNERS.map(async (partner, i) => {
    const pgliteDir = join(dataDir, partner);
    mkdirSync(pgliteDir, { recursive: true });
    const handle = await createDb({ pgliteDir });
    await handle.migrate();
    await seedPartner(handle.db, partner, new Date());
    const { server, context } = createServer({ db: handle.db, partner });
    const { url } = await startStandaloneServer(server, {
      listen: { host: '127.0.0.1', port: firstPort + i },
      context,
    });
    return { partner, url, server, handle };
  }),
);
for (const { partner, url } of started) console.log(`${partner.padEnd(12)} ${url}`);

async function shutdown() {
  await Promise.all(
    started.map(async ({ server, handle }) => {
      await server.stop();
      await handle.close();
    }),
  );
  process.exit(0);
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
