import { createServer } from 'node:net';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { requireWithCodeCache } from './code-cache.js';
import { ConfigError } from './config-error.js';
import { loadEmbeddedConfig, type EmbeddedConfig } from './embedded-config.js';
import {
  API_AUDIENCE,
  CLIENT_ID,
  mailSettings,
  startPhases,
  type MainThreadMessage,
  type PartnersWorkerData,
  type PartnersWorkerMessage,
} from './embedded-support.js';
import { embeddedProviderSecrets } from './provider-secrets.js';
import { embeddedSecrets } from './secrets.js';

/**
 * The whole network in one process, on embedded PGlite (`pnpm start`): the network subgraph,
 * every seeded partner's subgraph, each on its own database folder and HTTP port, and the
 * gateway, which talks to them over HTTP exactly as in production.
 *
 * The partners run on a worker thread (`embedded-partners.ts`), started before anything heavy
 * is loaded here: opening their four databases then takes the second core while this thread
 * loads the gateway and opens the network's (`embedded-network.ts`).
 */
process.env.APOLLO_TELEMETRY_DISABLED = '1';
// PGlite's WebAssembly (9 MB) runs on V8's baseline code and has its busiest functions
// recompiled by the optimizing compiler; opening five databases had it optimize PostgreSQL's
// start-up code, which then never runs again. Ten times V8's budget keeps optimizing for what
// runs on: about a second of CPU less per start, and queries as fast (measured side by side).
setFlagsFromString('--wasm-tiering-budget=18000000');
const phase = startPhases(performance.timeOrigin);
phase('entry loaded');

const host = '127.0.0.1';

/** A port free now: the mails' links need the gateway's URL, and the partners the SMTP's. */
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

async function main(config: EmbeddedConfig): Promise<void> {
  const gatewayPort = config.gatewayPort || (await freePort());
  const mailPort = config.mailPort || (await freePort());
  const secrets = embeddedSecrets(config.dataDir);
  const providerSecrets = embeddedProviderSecrets(config.dataDir);
  const now = new Date();
  const mail = mailSettings(
    secrets.authSecret,
    `smtp://${host}:${mailPort}`,
    `http://${host}:${gatewayPort}`,
  );

  const providerPort = config.providerPort || (await freePort());
  const worker = await partnersWorker({
    processStart: performance.timeOrigin,
    host,
    now: now.toISOString(),
    viewerPublicKey: secrets.viewerPublicKey,
    networkServicePublicKey: secrets.networkServicePublicKey,
    mail,
    provider: {
      port: providerPort,
      site: `http://${host}:${gatewayPort}`,
      clientId: CLIENT_ID,
      secrets: providerSecrets,
      apiAudience: API_AUDIENCE,
    },
  });
  // A partner's failure stops the whole network, as it would if they shared the thread: an
  // error thrown there, or the thread ending (it reports its own error) unless told to stop.
  let stopping = false;
  worker.once('error', (error) => {
    console.error(error);
    process.exit(1);
  });
  worker.once('exit', (code) => {
    if (stopping) return;
    console.error(`the partners' worker exited (${code}): the network stops`);
    process.exit(1);
  });
  const partners = new Promise<{ name: string; url: string }[]>((resolve, reject) => {
    worker.once('exit', (code) => reject(new Error(`the partners' worker exited (${code})`)));
    worker.on('message', (message: PartnersWorkerMessage) => {
      if (message.kind === 'listening') resolve(message.partners);
    });
  });
  partners.catch(() => {});
  const tell = (message: MainThreadMessage) => worker.postMessage(message);
  /** A new cluster for the network's database, from the worker, which makes one for its own. */
  let emptyCluster: Promise<Blob> | null = null;
  const askEmptyCluster = () =>
    (emptyCluster ??= new Promise<Blob>((resolve, reject) => {
      worker.once('exit', () => reject(new Error("the partners' worker exited")));
      worker.on('message', (message: PartnersWorkerMessage) => {
        if (message.kind === 'empty cluster') resolve(new Blob([message.tarball]));
      });
      tell({ kind: 'empty cluster?' });
    }));

  /** Asks the worker to stop its services; cut after `graceMs` if it has not exited by then. */
  function stopPartners(graceMs = 15_000): Promise<void> {
    stopping = true;
    return new Promise<void>((resolve) => {
      const cut = setTimeout(() => void worker.terminate(), graceMs);
      worker.once('exit', () => {
        clearTimeout(cut);
        resolve();
      });
      tell({ kind: 'stop' });
    });
  }

  const network = await loadPart<typeof import('./embedded-network.js')>('embedded-network');
  phase(
    network.fromCache ? 'network part loaded, compiled from the code cache' : 'network part loaded',
  );
  await network.exports.runEmbeddedNetwork({
    config,
    host,
    gatewayPort,
    mailPort,
    secrets,
    mail,
    partners,
    now,
    phase,
    signIn: {
      issuerUrl: `http://${host}:${providerPort}`,
      clientId: CLIENT_ID,
      clientSecret: providerSecrets.clientSecret,
      apiAudience: API_AUDIENCE,
    },
    emptyCluster: askEmptyCluster,
    stopPartners,
  });
  network.saveCache();
}

/**
 * One of the two parts of the embedded network, from the same build as this file: the bundle
 * (through V8's code cache), `dist/` or the sources.
 */
async function loadPart<Exports>(
  name: 'embedded-network',
): Promise<{ exports: Exports; fromCache: boolean; saveCache(): void }> {
  const main = process.argv[1] ?? '';
  const file = join(dirname(main), `${name}${extname(main)}`);
  if (extname(main) === '.cjs') {
    const bundle = requireWithCodeCache(file);
    return { ...bundle, exports: bundle.exports as Exports };
  }
  const exports = (await import(pathToFileURL(file).href)) as Exports;
  return { exports, fromCache: false, saveCache: () => {} };
}

/** The partners' worker, from the same build as this file: the bundle, `dist/` or the sources. */
async function partnersWorker(workerData: PartnersWorkerData): Promise<Worker> {
  const main = process.argv[1] ?? '';
  const entry = join(dirname(main), `embedded-partners${extname(main)}`);
  if (extname(main) === '.cjs')
    return new Worker(join(dirname(main), 'embedded-bundle-worker.cjs'), {
      workerData: { ...workerData, partnersBundle: entry },
    });
  if (extname(main) !== '.ts') return new Worker(entry, { workerData });
  // From the sources only: a path the bundle does not follow.
  const { tsxWorker } = (await import(
    pathToFileURL(join(dirname(main), 'tsx-worker.ts')).href
  )) as typeof import('./tsx-worker.js');
  return tsxWorker(entry, workerData);
}

try {
  const config = loadEmbeddedConfig();
  main(config).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
