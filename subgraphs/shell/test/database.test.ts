import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { testDatabaseUrl, testEngines } from '@tiers-lieux/schema/testkit';
import { createScratchDatabase } from '@tiers-lieux/schema/testkit';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Db } from '../src/db.js';
import { dumpNewCluster, openPglite, readTemplate } from '../src/pglite.js';
import { openTestDatabase } from '../src/testing.js';
import { notes, notesDatabase } from './fixture/database.js';

const tablesOf = async (db: Db<Record<string, unknown>>) =>
  rowsOf<{ name: string }>(
    await db.execute(
      sql`select table_name as name from information_schema.tables where table_schema = 'public'`,
    ),
  ).map((row) => row.name);

describe('the PGlite template', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shell-pglite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is made once per set of migrations and gives each database a fresh, migrated copy', async () => {
    const file = await notesDatabase.migratedTemplateFile();
    expect(await notesDatabase.migratedTemplateFile()).toBe(file);
    expect(basename(file)).toMatch(/^shell_fixture-template-[0-9a-f]{16}\.tar$/);

    const template = () => readTemplate(file);
    const first = await notesDatabase.createDb({}, { pgliteTemplate: template });
    const second = await notesDatabase.createDb({}, { pgliteTemplate: template });
    await first.db.insert(notes).values({ body: 'only in the first' });

    expect(await tablesOf(first.db)).toEqual(['notes']);
    expect(await second.db.select().from(notes)).toEqual([]);
    expect(await first.db.select().from(notes)).toEqual([{ id: 1, body: 'only in the first' }]);
    await first.close();
    await second.close();
  });

  it('fills a new folder from the template and reopens an existing one as it is', async () => {
    let copies = 0;
    const template = async () => {
      copies++;
      return readTemplate(await notesDatabase.migratedTemplateFile());
    };
    const pgliteDir = join(dir, 'notes');
    const created = await notesDatabase.createDb({ pgliteDir }, { pgliteTemplate: template });
    expect(created.mode).toBe('pglite-dir');
    await created.db.insert(notes).values({ body: 'kept' });
    await created.close();
    expect(existsSync(join(pgliteDir, 'PG_VERSION'))).toBe(true);

    const reopened = await notesDatabase.createDb({ pgliteDir }, { pgliteTemplate: template });
    expect(await reopened.db.select().from(notes)).toEqual([{ id: 1, body: 'kept' }]);
    await reopened.close();
    expect(copies).toBe(1);
  });

  it('refuses to fill a folder that holds other files, and leaves them and nothing beside', async () => {
    const pgliteDir = join(dir, 'not-a-cluster');
    await mkdir(pgliteDir);
    await writeFile(join(pgliteDir, 'notes.txt'), 'mine');
    await expect(
      notesDatabase.createDb(
        { pgliteDir },
        { pgliteTemplate: async () => readTemplate(await notesDatabase.migratedTemplateFile()) },
      ),
    ).rejects.toThrow(/holds files but no PostgreSQL cluster/);
    expect(await readdir(pgliteDir)).toEqual(['notes.txt']);
    expect((await readdir(dir)).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('starts an empty cluster with no table, which the migrations at start then create', async () => {
    const empty = await dumpNewCluster();
    const handle = await notesDatabase.createDb(
      {},
      { pglite: await openPglite({ template: async () => empty }) },
    );
    expect(await tablesOf(handle.db)).toEqual([]);
    await handle.migrate();
    await handle.migrate();
    expect(await tablesOf(handle.db)).toEqual(['notes']);
    await handle.close();
  });
});

describe.each(testEngines())('the database on %s', (engine) => {
  it('opens migrated for a test, and is closed after', async () => {
    const database = await openTestDatabase(notesDatabase, { engine });
    await database.db.insert(notes).values([{ body: 'a' }, { body: 'b' }]);
    expect(await database.db.select().from(notes).orderBy(notes.id)).toEqual([
      { id: 1, body: 'a' },
      { id: 2, body: 'b' },
    ]);
    await database.close();
    await expect(database.db.select().from(notes)).rejects.toThrow();
  });
});

describe.runIf(testDatabaseUrl())('the migrations on a PostgreSQL server', () => {
  it('are applied once when several instances start at the same time', async () => {
    const scratch = await createScratchDatabase(testDatabaseUrl()!, 'shell_migrations');
    const instances = await Promise.all(
      [1, 2, 3].map(() => notesDatabase.createDb({ url: scratch.url, poolSize: 1 })),
    );
    try {
      expect(instances.map((i) => i.mode)).toEqual(['postgres', 'postgres', 'postgres']);
      await Promise.all(instances.map((i) => i.migrate()));
      expect(await tablesOf(instances[0]!.db)).toEqual(['notes']);
      const applied = rowsOf<{ n: number }>(
        await instances[0]!.db.execute(
          sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
        ),
      );
      expect(applied).toEqual([{ n: 1 }]);
    } finally {
      await Promise.all(instances.map((i) => i.close()));
      await scratch.drop();
    }
  });
});
