import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript `entry` under tsx (`pnpm dev`, the tests): Node 20 does
 * not give a worker the loader that `--import tsx` registered, so the worker registers it
 * before it loads its entry.
 */
export function tsxWorker(entry: string, workerData: unknown): Worker {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return new Worker(
    `import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); });`,
    { eval: true, workerData },
  );
}
