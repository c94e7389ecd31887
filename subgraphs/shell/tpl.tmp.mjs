import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { rmSync } from 'node:fs';
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
let c = cpu(), t = performance.now();
const lap = (name) => { const c2 = cpu(), t2 = performance.now(); console.log(name.padEnd(30), 'cpu', Math.round(c2 - c), 'wall', Math.round(t2 - t)); c = c2; t = t2; };
const p = await PGlite.create({ extensions: { btree_gist } }); lap('initdb in memory');
const blob = await p.dumpDataDir('none'); lap('dump ' + blob.size); await p.close(); lap('close');
for (const opt of [{}, { relaxedDurability: true }]) {
  rmSync('/tmp/ps/tpl1', { recursive: true, force: true });
  const q = await PGlite.create({ dataDir: '/tmp/ps/tpl1', loadDataDir: blob, extensions: { btree_gist }, postgresqlconf: ['shared_buffers=16MB'], ...opt }); lap('load into dir ' + JSON.stringify(opt));
  await q.close(); lap('close');
}
const m = await PGlite.create({ loadDataDir: blob, extensions: { btree_gist }, postgresqlconf: ['shared_buffers=16MB'] }); lap('load into memory');
await m.close(); lap('close');
