import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { extract } from 'tar';

/**
 * PGlite keeps 128 MB of shared buffers by default, about 140 MB of memory per database; a
 * subgraph's embedded database holds a few megabytes, and several run in one process.
 */
export const SMALL_PGLITE_SETTINGS = ['shared_buffers=16MB'];

/**
 * The extensions a migration may create, loaded in every PGlite database (a PostgreSQL server
 * ships them): `btree_gist`, for the bookings' exclusion constraint over a resource and a range.
 */
export const PGLITE_EXTENSIONS = { btree_gist };

/**
 * The tarball of a new PGlite cluster, after `prepare` (migrations, say) when given. initdb
 * takes seconds: make the tarball once and load a copy per database (`openPglite`).
 */
export async function dumpNewCluster(prepare?: (pglite: PGlite) => Promise<unknown>) {
  const pglite = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
  try {
    await prepare?.(pglite);
    return await pglite.dumpDataDir('none');
  } finally {
    await pglite.close();
  }
}

/**
 * The tarball of a cluster made from another one (`template`) after `prepare`: a service's
 * migrated cluster from the empty one, copied to each of its databases, so that several
 * databases of one service cost one run of its migrations.
 */
export async function deriveCluster(
  template: () => Promise<Blob>,
  prepare: (pglite: PGlite) => Promise<unknown>,
) {
  const pglite = await PGlite.create({
    loadDataDir: await template(),
    extensions: PGLITE_EXTENSIONS,
  });
  try {
    await prepare(pglite);
    return await pglite.dumpDataDir('none');
  } finally {
    await pglite.close();
  }
}

export interface OpenPgliteOptions {
  /**
   * The cluster a new database starts from, called only when a new database is made; without
   * it a new database runs initdb.
   */
  template?: (() => Promise<Blob>) | undefined;
  /** Folder of the database; in memory when absent. A folder holding a cluster is reopened. */
  dataDir?: string | undefined;
  /** postgresql.conf lines, such as `SMALL_PGLITE_SETTINGS`. */
  settings?: string[] | undefined;
}

/** A PGlite database: the folder's own cluster when it has one, else a copy of the template. */
export async function openPglite({ template, dataDir, settings }: OpenPgliteOptions) {
  const postgresqlconf = settings ?? [];
  if (template && dataDir && !existsSync(join(dataDir, 'PG_VERSION')))
    await extractCluster(await template(), dataDir);
  else if (template && !dataDir)
    return PGlite.create({
      loadDataDir: await template(),
      postgresqlconf,
      extensions: PGLITE_EXTENSIONS,
    });
  return PGlite.create({ dataDir, postgresqlconf, extensions: PGLITE_EXTENSIONS });
}

/**
 * Writes a cluster's tarball (`dumpDataDir`: the data folder's files) into `dataDir` with
 * Node's own file system, then the folder opens as an existing cluster: PGlite's
 * `loadDataDir` writes each file through its WebAssembly file system, twice the CPU of a
 * restart's opening (1.5 s a database). Extracted beside it and renamed into place (over an
 * empty folder only), so that a start cut short leaves no half cluster for the next to open.
 */
async function extractCluster(tarball: Blob, dataDir: string) {
  const partial = `${dataDir}.partial-${process.pid}-${Date.now()}`;
  await mkdir(partial, { recursive: true });
  try {
    await pipeline(
      Readable.from([Buffer.from(await tarball.arrayBuffer())]),
      // A cluster holds files and folders only: no link a tarball could point anywhere.
      extract({
        cwd: partial,
        filter: (_path, entry) => 'type' in entry && ['File', 'Directory'].includes(entry.type),
      }),
    );
    await rmdir(dataDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return;
      if (error.code === 'ENOTEMPTY' || error.code === 'EEXIST')
        throw new Error(`${dataDir} holds files but no PostgreSQL cluster: move them away first`);
      throw error;
    });
    await rename(partial, dataDir);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

/** Calls `make` on first use only; every caller shares its one answer. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | null = null;
  return () => (made ??= make());
}

const PGLITE_VERSION: string = JSON.parse(
  readFileSync(
    join(
      dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')),
      '../package.json',
    ),
    'utf8',
  ),
).version;

const templateFiles = new Map<string, Promise<string>>();

/**
 * The path of a template tarball in the temp folder, named after the migrations and the PGlite
 * version it was made from, so that test workers and runs share it until either changes. It
 * is written under a private name and renamed: a worker never reads a half-written one.
 */
export function cachedTemplateFile(
  name: string,
  migrationsFolder: string,
  make: () => Promise<Blob>,
): Promise<string> {
  const key = `${name}:${migrationsFolder}`;
  let file = templateFiles.get(key);
  if (!file) {
    file = (async () => {
      const path = join(tmpdir(), `${name}-template-${await migrationsHash(migrationsFolder)}.tar`);
      if (existsSync(path)) return path;
      const partial = `${path}.${process.pid}.${Date.now()}`;
      await writeFile(partial, Buffer.from(await (await make()).arrayBuffer()));
      await rename(partial, path);
      return path;
    })();
    templateFiles.set(key, file);
  }
  return file;
}

async function migrationsHash(folder: string): Promise<string> {
  const files = (await readdir(folder, { recursive: true }))
    .filter((f) => f.endsWith('.sql') || f.endsWith('.json'))
    .sort();
  const hash = createHash('sha256').update(PGLITE_VERSION);
  for (const file of files) hash.update(file).update(await readFile(join(folder, file)));
  return hash.digest('hex').slice(0, 16);
}

/** Loads a template file as the `template` of `openPglite`. */
export async function readTemplate(path: string): Promise<Blob> {
  return new Blob([await readFile(path)]);
}
