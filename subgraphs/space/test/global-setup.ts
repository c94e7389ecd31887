import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { createDb } from '../src/db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tarball of a migrated, empty space database: each suite loads it instead of initialising PGlite. */
    spaceTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const pglite = await PGlite.create();
  const handle = await createDb({}, { pglite });
  await handle.migrate();
  const dump = await pglite.dumpDataDir('none');
  const path = join(tmpdir(), `space-template-${process.pid}.tar`);
  await writeFile(path, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide('spaceTemplate', path);
}
