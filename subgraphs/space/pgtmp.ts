import { PGlite } from '@electric-sql/pglite';
import { createDb } from './src/db/client.ts';
const p = await PGlite.create();
const h = await createDb({}, { pglite: p });
await h.migrate();
const dump = await p.dumpDataDir('none');
await p.close();
const sb = process.argv[2]!;
const before = process.memoryUsage().rss;
const list = [];
const t = Date.now();
for (let i = 0; i < 8; i++)
  list.push(
    await PGlite.create({
      loadDataDir: dump,
      postgresqlconf: sb === 'default' ? undefined : [`shared_buffers=${sb}`],
    }),
  );
for (const q of list) await q.query('select count(*) from spaces');
console.log(
  sb,
  'per instance MB',
  Math.round((process.memoryUsage().rss - before) / 8 / 1e6),
  'ms each',
  (Date.now() - t) / 8,
);
