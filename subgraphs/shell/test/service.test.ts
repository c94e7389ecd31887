import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTemplate } from '../src/pglite.js';
import { startService, type RunningService } from '../src/service.js';
import { notes, notesDatabase } from './fixture/database.js';
import { createNotesServer, type NotesServerOptions } from './fixture/service.js';

const FIXTURE = fileURLToPath(new URL('./fixture/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FIRST_NOTE = { query: '{ firstNote(holdMs: 1500) }' };

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (response) => ({ status: response.status, body: await response.json() }));

/** Whether something still accepts TCP connections at the URL's port. */
const accepts = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function until(condition: () => Promise<boolean>, what: string, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function startNotes(hold: NotesServerOptions['hold']): Promise<RunningService<any>> {
  const file = await notesDatabase.migratedTemplateFile();
  return startService({
    database: await notesDatabase.createDb({}, { pgliteTemplate: () => readTemplate(file) }),
    seed: (db) => db.insert(notes).values({ body: 'seeded' }),
    createServer: (db) => createNotesServer(db, { hold }),
    listen: { host: '127.0.0.1', port: 0 },
  });
}

describe('a service stopping', () => {
  it('stops accepting, lets the request in flight finish, then frees the port and closes the database', async () => {
    const entered = deferred();
    const release = deferred();
    const service = await startNotes(async () => {
      entered.resolve();
      await release.promise;
    });
    const answer = post(service.url, FIRST_NOTE);
    await entered.promise;

    const stopped = service.stop();
    await until(async () => !(await accepts(service.url)), 'the port refuses connections');
    release.resolve();

    expect(await answer).toEqual({ status: 200, body: { data: { firstNote: 'seeded' } } });
    await stopped;
    expect(await accepts(service.url)).toBe(false);
    await expect(service.db.select().from(notes)).rejects.toThrow();
    await expect(service.stop()).resolves.toBeUndefined();
  });

  it('does not wait past its grace period for a request that never ends', async () => {
    const never = deferred();
    const entered = deferred();
    const service = await startNotes(async () => {
      entered.resolve();
      await never.promise;
    });
    const answer = post(service.url, FIRST_NOTE).then(
      () => 'answered',
      () => 'connection closed',
    );
    await entered.promise;

    const started = Date.now();
    await service.stop();
    const took = Date.now() - started;

    expect(await answer).toBe('connection closed');
    expect(took).toBeGreaterThanOrEqual(9_000);
    expect(took).toBeLessThan(20_000);
    expect(await accepts(service.url)).toBe(false);
    never.resolve();
  }, 30_000);
});

describe('a service program on SIGTERM', () => {
  let child: ChildProcess;
  let output = '';
  let url: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    // Node itself with tsx's loader, not the tsx wrapper, which exits by the signal it relays.
    child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, SEED: 'true', PORT: '0', APOLLO_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const read = (chunk: Buffer) => void (output += chunk.toString());
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`exited early:\n${output}`);
        return /notes service at http:\/\/\S+ \(database: pglite-memory\)/.test(output);
      },
      'the service has started',
      60_000,
    );
    url = /at (http:\/\/\S+)/.exec(output)![1]!;
  }, 90_000);
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('answers the request it holds, then exits 0 with its port closed', async () => {
    const answer = post(url, FIRST_NOTE);
    await until(async () => output.includes('holding a request'), 'the request is held');
    child.kill('SIGTERM');

    expect(await answer).toEqual({ status: 200, body: { data: { firstNote: 'seeded' } } });
    expect(await exited).toBe(0);
    expect(await accepts(url)).toBe(false);
  });
});
