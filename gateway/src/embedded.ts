import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDb as createNetworkDb } from '@tiers-lieux/network-subgraph/db';
import { seedNetwork } from '@tiers-lieux/network-subgraph/seed';
import { createServer as createNetworkServer } from '@tiers-lieux/network-subgraph/server';
import { supergraphPath } from '@tiers-lieux/schema';
import { createDb as createSpaceDb } from '@tiers-lieux/space-subgraph/db';
import { SEEDED_PARTNERS, seedPartner } from '@tiers-lieux/space-subgraph/seed';
import { createServer as createSpaceServer } from '@tiers-lieux/space-subgraph/server';
import {
  dumpNewCluster,
  once,
  onShutdown,
  SMALL_PGLITE_SETTINGS,
  startService,
} from '@tiers-lieux/subgraph-shell';
import { publicSite } from '@tiers-lieux/web/server';
import { embeddedSecrets, type EmbeddedSecrets } from './secrets.js';
import { DEFAULT_ANONYMOUS_WRITE_LIMIT } from './rate-limit.js';
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
 * A new folder is filled from one empty cluster, initialised once, rather than each database
 * running initdb (seconds apiece); small settings keep five databases from taking a gigabyte.
 */
const pglite = {
  pgliteTemplate: once(() => dumpNewCluster()),
  pgliteSettings: SMALL_PGLITE_SETTINGS,
};

async function startNetwork(secrets: EmbeddedSecrets, now: Date) {
  const service = await startService({
    database: await createNetworkDb({ pgliteDir: join(dataDir, 'network') }, pglite),
    seed: (db) => seedNetwork(db, now),
    createServer: (db) =>
      createNetworkServer({ db, viewerPublicKey: secrets.viewerPublicKey, log }),
    listen: { host, port: networkPort },
  });
  return { name: 'network', ...service };
}

async function startPartner(partner: string, port: number, secrets: EmbeddedSecrets, now: Date) {
  const service = await startService({
    database: await createSpaceDb({ pgliteDir: join(dataDir, partner) }, pglite),
    seed: (db) => seedPartner(db, partner, now),
    createServer: (db) =>
      createSpaceServer({ db, partner, viewerPublicKey: secrets.viewerPublicKey, log }),
    listen: { host, port },
  });
  return { name: partner, ...service };
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
  routes: publicSite({ log, tileUrl: process.env.MAP_TILE_URL || undefined }),
  redisUrl: process.env.REDIS_URL || undefined,
  anonymousWriteLimit: DEFAULT_ANONYMOUS_WRITE_LIMIT,
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

onShutdown(async () => {
  await gateway.stop();
  await Promise.all(services.map((s) => s.stop()));
});
