import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const mode = process.argv[2];
// warm: module import already done
const c0 = cpu();
const p = await PGlite.create({ dataDir: '/tmp/ps/db2', postgresqlconf: ['shared_buffers=16MB'], ...(mode === 'ext' ? { extensions: { btree_gist } } : {}) });
await p.query('select 1');
console.log(mode, Math.round(cpu() - c0));
await p.close();
