import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Every child the bench started and has not stopped yet, so that nothing outlives it. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) signalGroup(child, 'SIGKILL');
});
// Children lead their own process groups, so the terminal's Ctrl-C reaches the bench alone: it
// passes the signal on, and exits as the signal would have made it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(signal, () => {
    for (const child of children) signalGroup(child, 'SIGKILL');
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });

/**
 * Signals a child and everything it started: each child leads its own process group, so that a
 * command run through a shell (`pnpm start`'s `build && node …`) stops with its node process
 * instead of leaving it running without its shell.
 */
function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}

export interface Child {
  pid: number;
  /** Resident memory of the child and its descendants, in bytes (Linux; 0 elsewhere). */
  rss(): number;
  /**
   * CPU time (user and system) of the child and its descendants so far, those that ended
   * included, in milliseconds (Linux; 0 elsewhere).
   */
  cpuMs(): number;
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
    detached: true,
  });
  children.add(proc);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  exited.then(() => children.delete(proc));
  const tail: string[] = [];
  const child: Child = {
    pid: proc.pid ?? -1,
    rss: () => treeRss(proc.pid ?? -1),
    cpuMs: () => treeCpuMs(proc.pid ?? -1),
    running: () => proc.exitCode === null && proc.signalCode === null,
    async stop(graceMs = 10_000) {
      if (!groupAlive(proc)) return;
      signalGroup(proc, 'SIGTERM');
      // Until every process of the group is gone: the next start may open the same databases.
      const deadline = performance.now() + graceMs;
      while (groupAlive(proc)) {
        if (performance.now() > deadline) signalGroup(proc, 'SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await exited;
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

/** A process's /proc/<pid>/stat fields after its name (field 3 onwards), or null if gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** A process and all its descendants, from each thread's `children` in /proc (Linux). */
function processTree(root: number): number[] {
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      return;
    }
    for (const task of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(' ').filter(Boolean)) visit(Number(child));
    }
  };
  visit(root);
  return tree;
}

/** The resident memory of a process and all its descendants, from /proc. */
function treeRss(root: number): number {
  const pageSize = 4096;
  return processTree(root).reduce(
    (sum, pid) => sum + Number(statFields(pid)?.[21] ?? 0) * pageSize,
    0,
  );
}

/** CPU time of a process and its descendants, with the children they waited for, in ms. */
function treeCpuMs(root: number): number {
  const tick = 10; // USER_HZ is 100 on Linux
  return processTree(root).reduce((sum, pid) => {
    const f = statFields(pid);
    // utime, stime, cutime, cstime: fields 14 to 17, from index 11 here.
    return f ? sum + (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * tick : sum;
  }, 0);
}
