import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives, short: the package and file, or the path in the repository. */
function place(url: string, line: number): string {
  const path = url.replace(/^file:\/\//, '');
  const inPackage =
    /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  const short = inPackage
    ? `${inPackage[1]}/${inPackage[2]}`
    : path.replace(/^.*?\/(gateway|schema|subgraphs|bench)\//, '$1/');
  return short ? `${short}:${line + 1}` : '(native)';
}

/** Node names a profile `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`; thread 0 is the main one. */
const MAIN_THREAD = /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/;

/**
 * The functions that took the most self time in the main thread's profile of each gateway
 * (a folder of `dir`), as text lines; idle time is left out of the shares.
 */
export async function summariseProfiles(dir: string, top = 15): Promise<string[]> {
  const lines: string[] = [];
  const files = [];
  for (const gateway of (await readdir(dir)).sort()) {
    for (const file of await readdir(join(dir, gateway)).catch(() => [])) {
      if (MAIN_THREAD.test(file)) files.push(join(gateway, file));
    }
  }
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    let busy = 0;
    profile.samples.forEach((id, i) => {
      const node = byNode.get(id);
      const delta = profile.timeDeltas[i] ?? 0;
      total += delta;
      if (!node || node.callFrame.functionName === '(idle)') return;
      busy += delta;
      const { functionName, url, lineNumber } = node.callFrame;
      const key = `${functionName || '(anonymous)'}  ${place(url, lineNumber)}`;
      self.set(key, (self.get(key) ?? 0) + delta);
    });
    lines.push(
      `${file} (${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy), top self time of the busy time:`,
    );
    for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      lines.push(`  ${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${key}`);
    }
  }
  return lines;
}
