import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createDb } from './db/client.js';
import { ensureCoordinator } from './data/people.js';

const USAGE = `usage: pnpm network grant-coordinator --email <email> [--name <display name>]
       (in production: node subgraphs/network/dist/cli.js grant-coordinator …, with DATABASE_URL)

  grant-coordinator   makes the open person with that email (created if there is none) a
                      coordinator of the network; running it again changes nothing.

  The network's database: DATABASE_URL (PostgreSQL), else PGLITE_DIR (an embedded database,
  such as the embedded network's .data/network). Its migrations must be applied.`;

const Env = z.object({
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().min(1).optional(),
});

const Email = z.string().trim().email();

/**
 * The network subgraph's command line for its operators: `grant-coordinator` makes the first
 * coordinator (docs/deploy.md), instead of SQL by hand. Answers the process's exit code.
 */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  out: { log(line: string): void; error(line: string): void } = console,
): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { email: { type: 'string' }, name: { type: 'string' } },
    });
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 1;
  }
  const [command, ...extra] = args.positionals;
  if (command !== 'grant-coordinator' || extra.length > 0) {
    out.error(USAGE);
    return 1;
  }
  const email = Email.safeParse(args.values.email ?? '');
  if (!email.success) {
    out.error(`--email: a valid email is required\n\n${USAGE}`);
    return 1;
  }
  // Without --name, as a sign-in that gives none: the email's local part.
  const displayName = args.values.name?.trim() || email.data.split('@')[0]!;
  const e = Env.safeParse(env);
  if (!e.success || (!e.data.DATABASE_URL && !e.data.PGLITE_DIR)) {
    out.error(
      e.success
        ? 'DATABASE_URL (or PGLITE_DIR): the network database is required'
        : e.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'),
    );
    return 1;
  }
  const pgliteDir = e.data.DATABASE_URL ? undefined : e.data.PGLITE_DIR;
  // A mistyped folder would otherwise become a new, empty database.
  if (pgliteDir && !existsSync(join(pgliteDir, 'PG_VERSION'))) {
    out.error(`PGLITE_DIR: no database in ${pgliteDir}`);
    return 1;
  }
  const database = await createDb({ url: e.data.DATABASE_URL, pgliteDir });
  try {
    if (!(await database.migrationsApplied())) {
      out.error(
        'the network database lacks migrations: run `node subgraphs/network/dist/main.js migrate` first',
      );
      return 1;
    }
    const outcome = await ensureCoordinator(database.db, {
      email: email.data,
      displayName,
      now: new Date(),
    });
    // The person's id, never the email: operators' terminals end up in logs.
    out.log(
      `person ${outcome.person.id} (${outcome.personCreated ? 'created' : 'existing'}): ${
        outcome.granted ? 'coordinator grant added' : 'already a coordinator, nothing changed'
      }`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  runCli(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
