import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStandaloneServer } from '@apollo/server/standalone';
import { PGlite } from '@electric-sql/pglite';
import { createDb as createNetworkDb } from '@tiers-lieux/network-subgraph/db';
import { seedNetwork } from '@tiers-lieux/network-subgraph/seed';
import { createServer as createNetworkServer } from '@tiers-lieux/network-subgraph/server';
import { supergraphPath } from '@tiers-lieux/schema';
import { createDb as createSpaceDb } from '@tiers-lieux/space-subgraph/db';
import { SEEDED_PARTNERS, seedPartner } from '@tiers-lieux/space-subgraph/seed';
import { createServer as createSpaceServer } from '@tiers-lieux/space-subgraph/server';
import { publicSite } from '@tiers-lieux/web/server';
import { embeddedSecrets, type EmbeddedSecrets } from './secrets.js';
import { createGateway } from './server.js';

/**
 * The whole network in one process, on embedded PGlite: the network subgraph, every seeded
 * partner's subgraph, each on its own database folder and HTTP port, and the gateway, which
 * talks to them over HTTP exactly as in production.
 */
process.env.APOLLO_TELEMETRY_DISABLED = '1';

const dataDir = process.env.DATA_DIR ?? join(process.cwd(), '.data');
const host = '127.0.0.1';
const gatewayPort = Number(process.env.PORT ?? 4000);
const networkPort = Number(process.env.NETWORK_PORT ?? 4100);
const log = (message: string) => console.error(message);

/**
 * The embedded databases hold a few hundred rows each: 16 MB of shared buffers each instead of
 * PGlite's 128 MB keeps the five of them from taking a gigabyte. A new folder is filled from
 * one empty cluster, initialised once, rather than each running initdb (seconds apiece).
 */
const PGLITE_CONF = ['shared_buffers=16MB'];
let emptyCluster: Promise<Blob> | null = null;

async function openPglite(dir: string): Promise<PGlite> {
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(dir, 'PG_VERSION'))) {
    return PGlite.create({ dataDir: dir, postgresqlconf: PGLITE_CONF });
  }
  emptyCluster ??= PGlite.create().then(async (pglite) => {
    const dump = await pglite.dumpDataDir('none');
    await pglite.close();
    return dump;
  });
  return PGlite.create({
    dataDir: dir,
    loadDataDir: await emptyCluster,
    postgresqlconf: PGLITE_CONF,
  });
}

async function startNetwork(secrets: EmbeddedSecrets, now: Date) {
  const pgliteDir = join(dataDir, 'network');
  const handle = await createNetworkDb({ pgliteDir }, { pglite: await openPglite(pgliteDir) });
  await handle.migrate();
  await seedNetwork(handle.db, now);
  const { server, context } = createNetworkServer({
    db: handle.db,
    viewerPublicKey: secrets.viewerPublicKey,
    log,
  });
  const { url } = await startStandaloneServer(server, {
    listen: { host, port: networkPort },
    context,
  });
  return { name: 'network', url, stop: async () => (await server.stop(), await handle.close()) };
}

async function startPartner(partner: string, port: number, secrets: EmbeddedSecrets, now: Date) {
  const pgliteDir = join(dataDir, partner);
  const handle = await createSpaceDb({ pgliteDir }, { pglite: await openPglite(pgliteDir) });
  await handle.migrate();
  await seedPartner(handle.db, partner, now);
  const { server, context } = createSpaceServer({
    db: handle.db,
    partner,
    viewerPublicKey: secrets.viewerPublicKey,
    log,
  });
  const { url } = await startStandaloneServer(server, { listen: { host, port }, context });
  return { name: partner, url, stop: async () => (await server.stop(), await handle.close()) };
}

const started = Date.now();
const now = new Date();
const secrets = embeddedSecrets(dataDir);
const services = await Promise.all([
  startNetwork(secrets, now),
  ...SEEDED_PARTNERS.map((partner, i) => startPartner(partner, networkPort + 1 + i, secrets, now)),
]);
const gateway = await createGateway({
  supergraphSdl: readFileSync(supergraphPath(), 'utf8'),
  partnerSubgraph: 'space',
  registry: 'network',
  registryPollMs: 5_000,
  subgraphUrls: { network: services[0]!.url },
  viewerSigningKey: secrets.viewerSigningKey,
  auth: { keys: { kind: 'secret', secret: secrets.authSecret }, audience: 'tiers-lieux-network' },
  introspection: true,
  routes: publicSite({ log }),
  log,
});
const url = await gateway.start({ host, port: gatewayPort });

for (const service of services) console.log(`  ${service.name.padEnd(12)} ${service.url}`);
console.log(`
Réseau des tiers-lieux: the network graph is at ${url}/graphql (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)
  web page ${url}/   calendar ${url}/calendar/network.ics   open data ${url}/opendata/lieux.csv
  health ${url}/health   partners ${url}/ready
  try:  curl -s ${url}/graphql -H 'content-type: application/json' \\
          -d '{"query":"{ spaces(first: 10) { totalCount edges { node { name address { commune } openNow partner { name } } } } }"}'
  a token for each role: pnpm token --role coordinator | --role manager --partner cantine | --role member --member <id>`);

async function shutdown() {
  await gateway.stop();
  await Promise.all(services.map((s) => s.stop()));
  process.exit(0);
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
