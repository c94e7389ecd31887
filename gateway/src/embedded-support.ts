import { createHmac } from 'node:crypto';
import type { ProviderSecrets } from './provider-secrets.js';

/**
 * What the two threads of the embedded network share, light enough for `embedded.ts` to load
 * before it starts the worker (their services' common parts are in `embedded-shared.ts`): the
 * network subgraph and the gateway run on the main thread (`embedded-network.ts`), the partners'
 * subgraphs and the OpenID provider on a worker thread (`embedded-partners.ts`), so that opening
 * their databases uses the second core while the main thread loads the gateway.
 */

/**
 * `START_TIMING=1`: each step of the start on stderr, with the time since the process began
 * and the CPU time the process has used (what the start's figures in BENCHMARKS.md are made of).
 * `processStart` is the main thread's `performance.timeOrigin`, so that a worker's steps are
 * on the same clock.
 */
export function startPhases(processStart: number): (step: string) => void {
  if (!process.env.START_TIMING) return () => {};
  return (step) => {
    const { user, system } = process.cpuUsage();
    const at = performance.timeOrigin + performance.now() - processStart;
    console.error(
      `start: ${step.padEnd(28)} at ${(at / 1000).toFixed(2)} s, cpu ${((user + system) / 1e6).toFixed(2)} s`,
    );
  };
}

/** The embedded network's mail: its own SMTP server, links to its own web page. */
export function mailSettings(authSecret: string, smtpUrl: string, publicUrl: string) {
  return {
    smtpUrl,
    from: 'Réseau des tiers-lieux <ne-pas-repondre@tiers-lieux.localhost>',
    networkName: 'Réseau des tiers-lieux',
    publicUrl,
    linkSecret: createHmac('sha256', authSecret).update('mail links').digest('hex'),
    domain: 'tiers-lieux.localhost',
    intervalMs: 2_000,
  };
}
export type MailSettings = ReturnType<typeof mailSettings>;

/** What the main thread gives the partners' worker (which reads the same configuration). */
export interface PartnersWorkerData {
  processStart: number;
  host: string;
  /** The start's moment (ISO), which the seeds date their events from. */
  now: string;
  viewerPublicKey: string;
  networkServicePublicKey: string;
  mail: MailSettings;
  /** The OpenID provider the worker runs too, for the gateway at `site` to sign people in. */
  provider: {
    port: number;
    site: string;
    clientId: string;
    secrets: ProviderSecrets;
    apiAudience: string;
  };
}

/** The audience of the embedded provider's access tokens for the network's API. */
export const API_AUDIENCE = 'urn:tiers-lieux:api';
/** The gateway's client at the embedded provider. */
export const CLIENT_ID = 'reseau-tiers-lieux';

/** What the partners' worker tells the main thread. */
export type PartnersWorkerMessage =
  | { kind: 'listening'; partners: { name: string; url: string }[] }
  /** A new PGlite cluster (a tarball), which the main thread asked for. */
  | { kind: 'empty cluster'; tarball: ArrayBuffer }
  | { kind: 'stopped' };

/** What the main thread tells the partners' worker. */
export type MainThreadMessage = { kind: 'empty cluster?' } | { kind: 'stop' };
