import { createHmac } from 'node:crypto';
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
import {
  databaseTelemetry,
  everyInterval,
  mailDispatcher,
  onShutdown,
  startMailCatcher,
  startService,
} from '@tiers-lieux/subgraph-shell';
import { publicSite } from '@tiers-lieux/web/server';
import { SEEDED_PASSWORD, SEEDED_PEOPLE } from '@tiers-lieux/schema/seed-people';
import type { EmbeddedConfig } from './embedded-config.js';
import { embeddedTelemetry, pgliteOf } from './embedded-shared.js';
import type { MailSettings } from './embedded-support.js';
import type { EmbeddedSecrets } from './secrets.js';
import { DEFAULT_ANONYMOUS_WRITE_LIMIT } from './rate-limit.js';
import { createGateway } from './server.js';

/** What `embedded.ts` has settled before loading this: the ports, secrets, the partners' worker. */
export interface EmbeddedNetworkOptions {
  config: EmbeddedConfig;
  host: string;
  gatewayPort: number;
  mailPort: number;
  secrets: EmbeddedSecrets;
  mail: MailSettings;
  /** Where the partners' subgraphs listen, once they do. */
  partners: Promise<{ name: string; url: string }[]>;
  /** The start's moment, which the seeds date their events from (the partners' too). */
  now: Date;
  phase: (step: string) => void;
  /** Sign-in at the embedded OpenID provider, which the partners' worker runs. */
  signIn: { issuerUrl: string; clientId: string; clientSecret: string; apiAudience: string };
  /** A new PGlite cluster, for a new network database (the partners' worker makes it). */
  emptyCluster: () => Promise<Blob>;
  stopPartners: () => Promise<void>;
}

/**
 * The main thread's part of the embedded network (`embedded.ts`): the SMTP server, the network
 * subgraph, whose registry names the partners where they were started, and
 * the gateway. Prints where everything is; stops everything on SIGTERM or SIGINT.
 */
export async function runEmbeddedNetwork(options: EmbeddedNetworkOptions): Promise<void> {
  const { config, host, gatewayPort, secrets, mail, phase } = options;
  phase('modules loaded');
  const { dataDir } = config;
  const telemetry = embeddedTelemetry();
  const pglite = pgliteOf(networkDatabase, options.emptyCluster);

  let saga: BookingSaga | null = null;
  const sagaOf = (db: NetworkDb) =>
    (saga ??= createBookingSaga({ db, signingKey: secrets.networkServiceKey }));

  /** The network subgraph, migrated; `seedNetwork` below names the partners in its registry. */
  async function startNetwork() {
    const networkTelemetry = await telemetry.of('network');
    // One link secret per service: a partner's cannot sign the network's links, nor the reverse.
    const networkMail = {
      ...mail,
      linkSecret: createHmac('sha256', secrets.authSecret)
        .update('network mail links')
        .digest('hex'),
    };
    const database = await createNetworkDb(
      { pgliteDir: join(dataDir, 'network') },
      { ...pglite, ...databaseTelemetry(networkTelemetry) },
    );
    phase('network: database open');
    const service = await startService({
      database,
      dispatcher: (db) =>
        mailDispatcher(db, networkMail, {
          chores: () => noticeExpiringPasses(db, { now: new Date(), mail: networkMail }),
          log: (message) => networkTelemetry.logger.error(message),
          metrics: networkTelemetry.metrics,
        }),
      createServer: (db, outbox) =>
        createNetworkServer({
          db,
          viewerPublicKey: secrets.viewerPublicKey,
          saga: sagaOf(db),
          mail: networkMail,
          outbox,
          ...networkTelemetry,
        }),
      background: (db) =>
        everyInterval(
          () => sagaOf(db).recover(),
          10_000,
          (error) =>
            networkTelemetry.logger.error(
              `booking saga recovery failed: ${error instanceof Error ? error.message : 'error'}`,
            ),
        ),
      listen: { host, port: config.networkPort },
    });
    phase('network: listening');
    return { name: 'network', ...service };
  }

  const site = `http://${host}:${gatewayPort}`;
  const mailCatcher = await startMailCatcher({ host, port: options.mailPort, keep: 500 });
  const network = await startNetwork();
  const gatewayTelemetry = await telemetry.of('gateway');
  phase('gateway: creating');
  const gateway = await createGateway({
    supergraphSdl: readFileSync(supergraphPath(), 'utf8'),
    validateSupergraph: false,
    partnerSubgraph: 'space',
    registry: 'network',
    registryPollMs: 5_000,
    subgraphUrls: { network: network.url },
    viewerSigningKey: secrets.viewerSigningKey,
    auth: { keys: { kind: 'secret', secret: secrets.authSecret }, audience: 'tiers-lieux-network' },
    signIn: { ...options.signIn, redirectUrl: `${site}/auth/callback` },
    // Sessions in the network's database, or in Redis when REDIS_URL is set.
    sessionDatabase: network.db,
    introspection: true,
    routes: publicSite({
      log: (message) => gatewayTelemetry.logger.info(message),
      devMails: () => mailCatcher.mails,
      signInOrigin: new URL(options.signIn.issuerUrl).origin,
      tileUrl: process.env.MAP_TILE_URL || undefined,
    }),
    redisUrl: config.redisUrl,
    anonymousWriteLimit: DEFAULT_ANONYMOUS_WRITE_LIMIT,
    logger: gatewayTelemetry.logger,
    metrics: gatewayTelemetry.metrics,
    tracer: gatewayTelemetry.tracer,
  });
  phase('gateway: created');
  await gateway.load();
  phase('gateway: loaded');
  // The registry names the partners where the worker started them, before the gateway reads it.
  const partners = await options.partners;
  const partnerUrls = Object.fromEntries(partners.map((p) => [p.name, p.url]));
  await seedNetwork(network.db, options.now, partnerUrls);
  await moveSeededPartners(network.db, partnerUrls);
  phase('network: seeded');
  const url = await gateway.start({ host, port: gatewayPort });
  phase('gateway: listening');

  for (const service of [network, ...partners])
    console.log(`  ${service.name.padEnd(12)} ${service.url}`);
  console.log(`
Réseau des tiers-lieux: the network graph is at ${url}/graphql (ready in ${(performance.now() / 1000).toFixed(1)} s since the process began)
  web page ${url}/   calendar ${url}/calendar/network.ics   open data ${url}/opendata/lieux.csv
  health ${url}/health   partners ${url}/ready${gatewayTelemetry.metricsUrl ? `   metrics ${gatewayTelemetry.metricsUrl}` : ''}
  mails sent ${url}/dev/mails (SMTP ${mailCatcher.url})
  try:  curl -s ${url}/graphql -H 'content-type: application/json' \\
          -d '{"query":"{ spaces(first: 10) { totalCount edges { node { name address { commune } openNow partner { name } } } } }"}'
  sign in   ${url}/auth/login   (provider ${options.signIn.issuerUrl}; every seeded account's password: ${SEEDED_PASSWORD})
            ${SEEDED_PEOPLE.slice(0, 3)
              .map((person) => person.email)
              .join(', ')}, … (README, "Signing in")
  a token for a seeded person: pnpm token --email karim.haddad@lacantine.example (pnpm token lists them)`);

  onShutdown(async () => {
    await gateway.stop();
    await Promise.all([network.stop(), options.stopPartners()]);
    await telemetry.stopAll();
    await mailCatcher.close();
  });
}
