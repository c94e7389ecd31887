import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
const mode = process.argv[2];
const dist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
const dirs = process.argv.slice(3);
const c0 = process.cpuUsage(); const t0 = performance.now();
let shared = {};
if (mode === 'shared') {
  const [wasm, data] = await Promise.all([readFile(join(dist, 'pglite.wasm')), readFile(join(dist, 'pglite.data'))]);
  shared = { pgliteWasmModule: await WebAssembly.compile(wasm), fsBundle: new Blob([data]) };
}
const dbs = await Promise.all(dirs.map((d) => PGlite.create({ dataDir: d, extensions: { btree_gist }, postgresqlconf: ['shared_buffers=16MB'], ...shared })));
await Promise.all(dbs.map((db) => db.query('select 1')));
const c = process.cpuUsage(c0);
console.log(mode, 'wall', Math.round(performance.now() - t0), 'cpu', Math.round((c.user + c.system) / 1000));
await Promise.all(dbs.map((db) => db.close()));
