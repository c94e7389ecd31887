import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBookingSaga, type BookingSaga } from '@tiers-lieux/network-subgraph/booking-saga';
import {
  createDb as createNetworkDb,
  networkDatabase,
  type Db as NetworkDb,
} from '@tiers-lieux/network-subgraph/db';
import { noticeExpiringPasses } from '@tiers-lieux/network-subgraph/pass-mails';
import { moveSeededPartners, seedNetwork } from '@tiers-lieux/network-subgraph/seed';
import { createServer as createNetworkServer } from '@tiers-lieux/network-subgraph/server';
import { supergraphPath } from '@tiers-lieux/schema';
import { createDb as createSpaceDb, spaceDatabase } from '@tiers-lieux/space-subgraph/db';
import { SEEDED_PARTNERS, seedPartner } from '@tiers-lieux/space-subgraph/seed';
import { registrationChores } from '@tiers-lieux/space-subgraph/mail';
import { createServer as createSpaceServer } from '@tiers-lieux/space-subgraph/server';
import {
  databaseTelemetry,
  dumpNewCluster,
  everyInterval,
  mailDispatcher,
  once,
  onShutdown,
  readTemplate,
  SMALL_PGLITE_SETTINGS,
  startMailCatcher,
  startService,
  startTelemetry,
  telemetryConfig,
  telemetryEnv,
  type RunningTelemetry,
} from '@tiers-lieux/subgraph-shell';
import { z } from 'zod';
import { publicSite } from '@tiers-lieux/web/server';
import { SEEDED_PASSWORD, SEEDED_PEOPLE } from '@tiers-lieux/schema/seed-people';
import { startDevProvider } from '@tiers-lieux/dev-provider';
import { ConfigError } from './config.js';
import { loadEmbeddedConfig, type EmbeddedConfig } from './embedded-config.js';
import { embeddedProviderSecrets } from './provider-secrets.js';
import { embeddedSecrets, type EmbeddedSecrets } from './secrets.js';
import { DEFAULT_ANONYMOUS_WRITE_LIMIT } from './rate-limit.js';
import { createGateway } from './server.js';

/**
 * The whole network in one process, on embedded PGlite: the network subgraph, every seeded
 * partner's subgraph, each on its own database folder and HTTP port, and the gateway, which
 * talks to them over HTTP exactly as in production.
 */
process.env.APOLLO_TELEMETRY_DISABLED = '1';

/**
 * `START_TIMING=1`: each step of the start on stderr, with the time since the process began
 * and the CPU time it has used (what the start's figures in BENCHMARKS.md are made of).
 */
const phase = process.env.START_TIMING
  ? (step: string) => {
      const { user, system } = process.cpuUsage();
      console.error(
        `start: ${step.padEnd(28)} at ${(performance.now() / 1000).toFixed(2)} s, cpu ${((user + system) / 1e6).toFixed(2)} s`,
      );
    }
  : () => {};
phase('modules loaded');
// The embedded network is for development, whatever NODE_ENV says: its services leave
// unexpected errors readable, stack traces included (their `production` setting is off).

let config: EmbeddedConfig;
try {
  config = loadEmbeddedConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
const { dataDir } = config;
const host = '127.0.0.1';

/** A port free now, for the gateway on a free port: the provider and mails need its URL first. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
const gatewayPort = config.gatewayPort || (await freePort());
/** The audience of the embedded provider's access tokens for the network's API. */
const API_AUDIENCE = 'urn:tiers-lieux:api';
const log = (message: string) => console.error(message);
// LOG_LEVEL and OTEL_* as in production, each service under its own name; METRICS_PORT serves
// the gateway's metrics (the subgraphs' registries would clash on one port).
// Request lines are for production: here only warnings, unless LOG_LEVEL says otherwise.
const telemetrySettings = telemetryConfig(
  z.object(telemetryEnv()).parse({ LOG_LEVEL: 'warn', ...process.env }),
);
const telemetries: RunningTelemetry[] = [];
async function telemetryOf(service: string) {
  const telemetry = await startTelemetry(
    {
      ...telemetrySettings,
      metrics: service === 'gateway' ? telemetrySettings.metrics : null,
      serviceName: undefined,
    },
    service,
  );
  telemetries.push(telemetry);
  return telemetry;
}

/**
 * A new folder is filled from its service's migrated cluster rather than each database running
 * initdb (seconds apiece) and its migrations: one initdb, the network's and the space
 * migrations applied once each, kept in the temp folder (`migratedTemplateFile`, named after
 * the migrations and PGlite's version; the tests share them), so that the next new folder
 * costs neither. Small settings keep five databases from taking a gigabyte.
 */
const emptyCluster = once(() => dumpNewCluster());
const migratedCluster = (database: typeof networkDatabase | typeof spaceDatabase) =>
  once(async () => readTemplate(await database.migratedTemplateFile(emptyCluster)));
const pglite = {
  pgliteTemplate: migratedCluster(networkDatabase),
  pgliteSettings: SMALL_PGLITE_SETTINGS,
};
const partnerPglite = { ...pglite, pgliteTemplate: migratedCluster(spaceDatabase) };

let saga: BookingSaga | null = null;
function sagaOf(db: NetworkDb, secrets: EmbeddedSecrets): BookingSaga {
  return (saga ??= createBookingSaga({ db, signingKey: secrets.networkServiceKey }));
}

/** The network subgraph, whose registry names the partners where they were started. */
async function startNetwork(
  secrets: EmbeddedSecrets,
  now: Date,
  partners: Promise<{ name: string; url: string }[]>,
  mail: MailSettings,
) {
  const telemetry = await telemetryOf('network');
  // One link secret per service: a partner's cannot sign the network's links, nor the reverse.
  const networkMail = {
    ...mail,
    linkSecret: createHmac('sha256', secrets.authSecret).update('network mail links').digest('hex'),
  };
  const database = await createNetworkDb(
    { pgliteDir: join(dataDir, 'network') },
    { ...pglite, ...databaseTelemetry(telemetry) },
  );
  phase('network: database open');
  const partnerUrls = Object.fromEntries((await partners).map((p) => [p.name, p.url]));
  const service = await startService({
    database,
    seed: async (db) => {
      phase('network: migrated');
      await seedNetwork(db, now, partnerUrls);
      await moveSeededPartners(db, partnerUrls);
      phase('network: seeded');
    },
    dispatcher: (db) =>
      mailDispatcher(db, networkMail, {
        chores: () => noticeExpiringPasses(db, { now: new Date(), mail: networkMail }),
        log: (message) => telemetry.logger.error(message),
        metrics: telemetry.metrics,
      }),
    createServer: (db, outbox) =>
      createNetworkServer({
        db,
        viewerPublicKey: secrets.viewerPublicKey,
        saga: sagaOf(db, secrets),
        mail: networkMail,
        outbox,
        ...telemetry,
      }),
    background: (db) =>
      everyInterval(
        () => sagaOf(db, secrets).recover(),
        10_000,
        (error) =>
          telemetry.logger.error(
            `booking saga recovery failed: ${error instanceof Error ? error.message : 'error'}`,
          ),
      ),
    listen: { host, port: config.networkPort },
  });
  phase('network: listening');
  return { name: 'network', ...service };
}

/** The embedded network's mail: its own SMTP server, links to its own web page. */
function mailSettings(secrets: EmbeddedSecrets, smtpUrl: string) {
  return {
    smtpUrl,
    from: 'Réseau des tiers-lieux <ne-pas-repondre@tiers-lieux.localhost>',
    networkName: 'Réseau des tiers-lieux',
    publicUrl: `http://${host}:${gatewayPort}`,
    linkSecret: createHmac('sha256', secrets.authSecret).update('mail links').digest('hex'),
    domain: 'tiers-lieux.localhost',
    intervalMs: 2_000,
  };
}
type MailSettings = ReturnType<typeof mailSettings>;

async function startPartner(
  partner: string,
  port: number,
  secrets: EmbeddedSecrets,
  now: Date,
  mail: MailSettings,
) {
  const telemetry = await telemetryOf(`partner:${partner}`);
  const database = await createSpaceDb(
    { pgliteDir: join(dataDir, partner) },
    { ...partnerPglite, ...databaseTelemetry(telemetry) },
  );
  phase(`${partner}: database open`);
  const service = await startService({
    database,
    seed: async (db) => {
      phase(`${partner}: migrated`);
      await seedPartner(db, partner, now);
      phase(`${partner}: seeded`);
    },
    dispatcher: (db) =>
      mailDispatcher(db, mail, {
        chores: registrationChores(db, partner, mail),
        log: (message) => telemetry.logger.error(message),
        metrics: telemetry.metrics,
      }),
    createServer: (db, outbox) =>
      createSpaceServer({
        db,
        partner,
        viewerPublicKey: secrets.viewerPublicKey,
        networkServicePublicKey: secrets.networkServicePublicKey,
        ...telemetry,
        mail,
        outbox,
      }),
    listen: { host, port },
  });
  phase(`${partner}: listening`);
  return { name: partner, ...service };
}

const now = new Date();
const secrets = embeddedSecrets(dataDir);
const site = `http://${host}:${gatewayPort}`;
const providerSecrets = embeddedProviderSecrets(dataDir);
const provider = await startDevProvider({
  host,
  port: config.providerPort,
  signingKeys: providerSecrets.signingKeys,
  cookieKeys: providerSecrets.cookieKeys,
  apiAudience: API_AUDIENCE,
  clients: [
    {
      clientId: 'reseau-tiers-lieux',
      clientSecret: providerSecrets.clientSecret,
      name: 'Réseau des tiers-lieux',
      firstParty: true,
      redirectUris: [`${site}/auth/callback`],
      postLogoutRedirectUris: [`${site}/`],
    },
  ],
  log,
});
phase('provider listening');
const mailCatcher = await startMailCatcher({ host, port: config.mailPort, keep: 500 });
const mail = mailSettings(secrets, mailCatcher.url);
const partners = Promise.all(
  SEEDED_PARTNERS.map((partner, i) =>
    startPartner(partner, config.partnerPort(i), secrets, now, mail),
  ),
);
const network = await startNetwork(secrets, now, partners, mail);
const services = [network, ...(await partners)];
const gatewayTelemetry = await telemetryOf('gateway');
phase('gateway: creating');
const gateway = await createGateway({
  supergraphSdl: readFileSync(supergraphPath(), 'utf8'),
  partnerSubgraph: 'space',
  registry: 'network',
  registryPollMs: 5_000,
  subgraphUrls: { network: network.url },
  viewerSigningKey: secrets.viewerSigningKey,
  auth: { keys: { kind: 'secret', secret: secrets.authSecret }, audience: 'tiers-lieux-network' },
  signIn: {
    issuerUrl: provider.issuer,
    clientId: 'reseau-tiers-lieux',
    clientSecret: providerSecrets.clientSecret,
    redirectUrl: `${site}/auth/callback`,
    apiAudience: API_AUDIENCE,
  },
  // Sessions in the network's database, or in Redis when REDIS_URL is set.
  sessionDatabase: network.db,
  introspection: true,
  routes: publicSite({
    log: (message) => gatewayTelemetry.logger.info(message),
    devMails: () => mailCatcher.mails,
    signInOrigin: new URL(provider.issuer).origin,
    tileUrl: process.env.MAP_TILE_URL || undefined,
  }),
  redisUrl: config.redisUrl,
  anonymousWriteLimit: DEFAULT_ANONYMOUS_WRITE_LIMIT,
  logger: gatewayTelemetry.logger,
  metrics: gatewayTelemetry.metrics,
  tracer: gatewayTelemetry.tracer,
});
phase('gateway: created');
const url = await gateway.start({ host, port: gatewayPort });
phase('gateway: listening');

for (const service of services) console.log(`  ${service.name.padEnd(12)} ${service.url}`);
console.log(`
Réseau des tiers-lieux: the network graph is at ${url}/graphql (ready in ${(performance.now() / 1000).toFixed(1)} s since the process began)
  web page ${url}/   calendar ${url}/calendar/network.ics   open data ${url}/opendata/lieux.csv
  health ${url}/health   partners ${url}/ready${gatewayTelemetry.metricsUrl ? `   metrics ${gatewayTelemetry.metricsUrl}` : ''}
  mails sent ${url}/dev/mails (SMTP ${mailCatcher.url})
  try:  curl -s ${url}/graphql -H 'content-type: application/json' \\
          -d '{"query":"{ spaces(first: 10) { totalCount edges { node { name address { commune } openNow partner { name } } } } }"}'
  sign in   ${url}/auth/login   (provider ${provider.issuer}; every seeded account's password: ${SEEDED_PASSWORD})
            ${SEEDED_PEOPLE.slice(0, 3)
              .map((person) => person.email)
              .join(', ')}, … (README, "Signing in")
  a token for a seeded person: pnpm token --email karim.haddad@lacantine.example (pnpm token lists them)`);

onShutdown(async () => {
  await gateway.stop();
  await provider.stop();
  await Promise.all(services.map((s) => s.stop()));
  await Promise.all(telemetries.map((t) => t.stop()));
  await mailCatcher.close();
});
