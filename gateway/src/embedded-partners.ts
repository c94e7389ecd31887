import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createDb, spaceDatabase } from '@tiers-lieux/space-subgraph/db';
import { registrationChores } from '@tiers-lieux/space-subgraph/mail';
import { SEEDED_PARTNERS, seedPartner } from '@tiers-lieux/space-subgraph/seed';
import { startDevProvider } from '@tiers-lieux/dev-provider';
import { createServer } from '@tiers-lieux/space-subgraph/server';
import {
  databaseTelemetry,
  dumpNewCluster,
  mailDispatcher,
  once,
  startService,
} from '@tiers-lieux/subgraph-shell';
import { loadEmbeddedConfig } from './embedded-config.js';
import { embeddedTelemetry, pgliteOf } from './embedded-shared.js';
import {
  startPhases,
  type MainThreadMessage,
  type PartnersWorkerData,
  type PartnersWorkerMessage,
} from './embedded-support.js';

/**
 * The embedded network's partner subgraphs, on a worker thread that `embedded.ts` starts: each
 * on its own database folder and HTTP port, as in production; and its OpenID provider. It says
 * where the partners listen, and stops everything when told to.
 */
const settings = workerData as PartnersWorkerData;
const { dataDir, partnerPort } = loadEmbeddedConfig();
const phase = startPhases(settings.processStart);
const telemetry = embeddedTelemetry();
const emptyCluster = once(() => dumpNewCluster());
const pglite = pgliteOf(spaceDatabase, emptyCluster);
const now = new Date(settings.now);
const tell = (message: PartnersWorkerMessage) => parentPort!.postMessage(message);

async function startPartner(partner: string, port: number) {
  const partnerTelemetry = await telemetry.of(`partner:${partner}`);
  const database = await createDb(
    { pgliteDir: join(dataDir, partner) },
    { ...pglite, ...databaseTelemetry(partnerTelemetry) },
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
      mailDispatcher(db, settings.mail, {
        chores: registrationChores(db, partner, settings.mail),
        log: (message) => partnerTelemetry.logger.error(message),
        metrics: partnerTelemetry.metrics,
      }),
    createServer: (db, outbox) =>
      createServer({
        db,
        partner,
        viewerPublicKey: settings.viewerPublicKey,
        networkServicePublicKey: settings.networkServicePublicKey,
        ...partnerTelemetry,
        mail: settings.mail,
        outbox,
      }),
    listen: { host: settings.host, port },
  });
  phase(`${partner}: listening`);
  return { name: partner, ...service };
}

/** The OpenID provider people sign in with, the gateway at `site` its one client. */
function startProvider({
  port,
  site,
  clientId,
  secrets,
  apiAudience,
}: PartnersWorkerData['provider']) {
  return startDevProvider({
    host: settings.host,
    port,
    signingKeys: secrets.signingKeys,
    cookieKeys: secrets.cookieKeys,
    apiAudience,
    clients: [
      {
        clientId,
        clientSecret: secrets.clientSecret,
        name: 'Réseau des tiers-lieux',
        firstParty: true,
        redirectUris: [`${site}/auth/callback`],
        postLogoutRedirectUris: [`${site}/`],
      },
    ],
    log: (message) => console.error(message),
  });
}

let services: { stop(): Promise<unknown> }[] = [];
parentPort!.on('message', (message: MainThreadMessage) => {
  if (message.kind === 'empty cluster?')
    void emptyCluster()
      .then((cluster) => cluster.arrayBuffer())
      .then((tarball) => tell({ kind: 'empty cluster', tarball }))
      // The network cannot start without it: this thread ends, which the main thread reports.
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  else void stop();
});

/** Stops every service, each whatever the others do, then lets the thread end. */
async function stop() {
  const outcomes = await Promise.allSettled([
    ...services.map((service) => service.stop()),
    telemetry.stopAll(),
  ]);
  for (const outcome of outcomes) if (outcome.status === 'rejected') console.error(outcome.reason);
  tell({ kind: 'stopped' });
  parentPort!.close();
}

phase('partners: modules loaded');

async function startAll(): Promise<void> {
  const provider = await startProvider(settings.provider);
  services.push(provider);
  phase('provider listening');
  const partners = await Promise.all(
    SEEDED_PARTNERS.map((partner, i) => startPartner(partner, partnerPort(i))),
  );
  services.push(...partners);
  tell({ kind: 'listening', partners: partners.map(({ name, url }) => ({ name, url })) });
}

/** Settled once the partners listen; a failure ends the thread, and the main thread stops. */
export const started = startAll().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
