import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Every child the bench started and has not stopped yet, so that nothing outlives it. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface Child {
  pid: number;
  /** Resident memory of the child and its descendants, in bytes (Linux; 0 elsewhere). */
  rss(): number;
  /** Whether it is still running. */
  running(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a process and resolves once `ready` recognises a line of its output (answering
 * what it found), or rejects with its last output when it exits or takes longer than
 * `timeoutMs`. Without `ready`, resolves at once.
 */
export function startProcess<T>(params: {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd: string;
  ready?: (line: string) => T | null;
  timeoutMs: number;
}): Promise<{ child: Child; found: T | null; output: () => string }> {
  const proc = spawn(params.command, params.args, {
    cwd: params.cwd,
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1', ...params.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  exited.then(() => children.delete(proc));
  const tail: string[] = [];
  const child: Child = {
    pid: proc.pid ?? -1,
    rss: () => treeRss(proc.pid ?? -1),
    running: () => proc.exitCode === null && proc.signalCode === null,
    async stop(graceMs = 10_000) {
      if (!child.running()) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const output = () => tail.join('\n');
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void child
        .stop(1_000)
        .then(() =>
          reject(
            new Error(`${params.command} ${params.args.join(' ')}: ${reason}\n${tail.join('\n')}`),
          ),
        );
    };
    const timer = setTimeout(
      () => fail(`not ready within ${params.timeoutMs} ms`),
      params.timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (settled || !params.ready) continue;
        const found = params.ready(line);
        if (found !== null) {
          settled = true;
          clearTimeout(timer);
          resolve({ child, found, output });
        }
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('error', (error) => fail(error.message));
    void exited.then(() => fail(`exited with ${proc.exitCode ?? proc.signalCode}`));
    if (!params.ready) {
      settled = true;
      clearTimeout(timer);
      resolve({ child, found: null, output });
    }
  });
}

/** A port free on the loopback interface right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The resident memory of a process and all its descendants, from /proc. */
function treeRss(root: number): number {
  let entries: { pid: number; ppid: number; rss: number }[];
  try {
    const pageSize = 4096;
    entries = readProcTable().map(({ pid, stat }) => {
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return { pid, ppid: Number(fields[1]), rss: Number(fields[21]) * pageSize };
    });
  } catch {
    return 0;
  }
  const total = (pid: number): number =>
    (entries.find((e) => e.pid === pid)?.rss ?? 0) +
    entries.filter((e) => e.ppid === pid).reduce((sum, e) => sum + total(e.pid), 0);
  return total(root);
}

function readProcTable(): { pid: number; stat: string }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        return [{ pid: Number(name), stat: readFileSync(`/proc/${name}/stat`, 'utf8') }];
      } catch {
        return [];
      }
    });
}
