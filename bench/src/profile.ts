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

/** The functions that took the most self time in each profile of `dir`, as text lines. */
export async function summariseProfiles(dir: string, top = 15): Promise<string[]> {
  const lines: string[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const node = byNode.get(id);
      const delta = profile.timeDeltas[i] ?? 0;
      total += delta;
      if (!node) return;
      const { functionName, url, lineNumber } = node.callFrame;
      const key = `${functionName || '(anonymous)'}  ${place(url, lineNumber)}`;
      self.set(key, (self.get(key) ?? 0) + delta);
    });
    lines.push(`${file} (${(total / 1e6).toFixed(1)} s sampled), top self time:`);
    for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      lines.push(`  ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${key}`);
    }
  }
  return lines;
}
