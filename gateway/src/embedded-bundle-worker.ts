import { workerData } from 'node:worker_threads';
import { requireWithCodeCache } from './code-cache.js';
import { startPhases, type PartnersWorkerData } from './embedded-support.js';

/**
 * The partners' worker when the embedded network runs from its bundle (`embedded.ts`): loads
 * their part (`embedded-partners.cjs`) through V8's code cache, and saves the cache once they
 * listen.
 */
const { partnersBundle, processStart } = workerData as PartnersWorkerData & {
  partnersBundle: string;
};
const phase = startPhases(processStart);
const partners = requireWithCodeCache(partnersBundle);
phase(
  partners.fromCache
    ? 'partners part loaded, compiled from the code cache'
    : 'partners part loaded',
);
// Failures are the part's own to report (it ends the thread).
void (partners.exports.started as Promise<void>).then(() => partners.saveCache());
