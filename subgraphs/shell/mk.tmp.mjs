import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
for (const d of process.argv.slice(2)) { const p = await PGlite.create({ dataDir: d, extensions: { btree_gist } }); await p.exec('create extension btree_gist; create table t(a int)'); await p.close(); }
