import { fileURLToPath } from 'node:url';
import {
  defineDatabase,
  type Db as ServiceDb,
  type Tx as ServiceTx,
} from '@tiers-lieux/subgraph-shell';
import * as schema from './schema.js';

export const networkDatabase = defineDatabase({
  name: 'network',
  schema,
  migrationsFolder: fileURLToPath(new URL('../../drizzle', import.meta.url)),
});
export const { createDb } = networkDatabase;
export type { CreateDbOptions } from '@tiers-lieux/subgraph-shell';

export type Db = ServiceDb<typeof schema>;
export type Tx = ServiceTx<typeof schema>;
