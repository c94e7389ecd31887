import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTemplate } from '@tiers-lieux/subgraph-shell';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { networkDatabase } from '../src/db/client.js';
import { persons, roleGrants } from '../src/db/schema.js';

/** The CLI's exit code and what it printed. */
async function cli(argv: string[], env: Record<string, string | undefined>) {
  const lines: string[] = [];
  const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
  const code = await runCli(argv, env, out);
  return { code, output: lines.join('\n') };
}

describe('pnpm network grant-coordinator', () => {
  let folder: string;
  let dir: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'grant-coordinator-'));
    dir = join(folder, 'network');
    const template = await networkDatabase.migratedTemplateFile();
    const database = await networkDatabase.createDb(
      { pgliteDir: dir },
      { pgliteTemplate: () => readTemplate(template) },
    );
    // Someone who signed in already, without any role.
    await database.db
      .insert(persons)
      .values({ displayName: 'Karim Haddad', email: 'karim@example.org' });
    await database.close();
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  /** The database's open persons with that email, each with its live coordinator grants. */
  async function coordinators(email: string) {
    const database = await networkDatabase.createDb({ pgliteDir: dir });
    try {
      const found = await database.db.select().from(persons).where(eq(persons.email, email));
      return await Promise.all(
        found.map(async (person) => ({
          displayName: person.displayName,
          grants: (
            await database.db
              .select()
              .from(roleGrants)
              .where(
                and(
                  eq(roleGrants.personId, person.id),
                  eq(roleGrants.role, 'COORDINATOR'),
                  isNull(roleGrants.revokedAt),
                ),
              )
          ).length,
        })),
      );
    } finally {
      await database.close();
    }
  }

  it('makes a new person a coordinator, then changes nothing when run again', async () => {
    const args = [
      'grant-coordinator',
      '--email',
      'helene@reseau.example',
      '--name',
      'Hélène Duval',
    ];
    const first = await cli(args, { PGLITE_DIR: dir });
    expect(first).toEqual({
      code: 0,
      output: expect.stringMatching(/^person [0-9a-f-]{36} \(created\): coordinator grant added$/),
    });
    const again = await cli(args, { PGLITE_DIR: dir });
    expect(again.code).toBe(0);
    expect(again.output).toMatch(/\(existing\): already a coordinator, nothing changed$/);
    // The same person both times, and no email in what it prints (terminals end up in logs).
    expect(again.output.split(' ')[1]).toBe(first.output.split(' ')[1]);
    expect(first.output + again.output).not.toContain('@');
    expect(await coordinators('helene@reseau.example')).toEqual([
      { displayName: 'Hélène Duval', grants: 1 },
    ]);
  });

  it('grants the role to the open person who has that email, whatever its case', async () => {
    const answer = await cli(['grant-coordinator', '--email', 'Karim@Example.org'], {
      PGLITE_DIR: dir,
    });
    expect(answer.output).toMatch(/\(existing\): coordinator grant added$/);
    expect(await coordinators('karim@example.org')).toEqual([
      { displayName: 'Karim Haddad', grants: 1 },
    ]);
  });

  it('refuses a missing email, an unknown command, and no database', async () => {
    expect(await cli(['grant-coordinator'], { PGLITE_DIR: dir })).toEqual({
      code: 1,
      output: expect.stringContaining('--email: a valid email is required'),
    });
    expect((await cli(['grant-coordinator', '--email', 'not an email'], {})).code).toBe(1);
    expect((await cli(['make-coordinator', '--email', 'a@b.example'], {})).output).toMatch(
      /^usage: pnpm network grant-coordinator/,
    );
    expect(await cli(['grant-coordinator', '--email', 'a@b.example'], {})).toEqual({
      code: 1,
      output: 'DATABASE_URL (or PGLITE_DIR): the network database is required',
    });
    const empty = await cli(['grant-coordinator', '--email', 'a@b.example'], {
      PGLITE_DIR: join(folder, 'empty'),
    });
    expect(empty).toEqual({
      code: 1,
      output: `PGLITE_DIR: no database in ${join(folder, 'empty')}`,
    });
  });
});
