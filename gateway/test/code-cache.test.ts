import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from './processes.js';

/** A small CommonJS bundle: what `requireWithCodeCache` must give it is what `require` would. */
const bundleSource = (answer: number) => `
const { basename } = require('node:path');
exports.answer = ${answer};
exports.where = basename(__dirname) + '/' + basename(__filename);
exports.platform = () => require('node:os').platform();
`;

interface Loaded {
  fromCache: boolean;
  answer: number;
  where: string;
  platform: string;
}

/**
 * Loads `file` in a new process, through the loader as built (`gateway/dist/code-cache.js`): within
 * one process V8 keeps what it compiled, and would reuse it whatever the cache on disk holds.
 */
async function loadInNewProcess(file: string, save = false): Promise<Loaded> {
  const loader = pathToFileURL(join(ROOT, 'gateway/dist/code-cache.js')).href;
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--input-type=module',
    '-e',
    `import { requireWithCodeCache } from ${JSON.stringify(loader)};
    const bundle = requireWithCodeCache(${JSON.stringify(file)});
    ${save ? 'bundle.saveCache();' : ''}
    console.log(JSON.stringify({
      fromCache: bundle.fromCache, answer: bundle.exports.answer, where: bundle.exports.where,
      platform: bundle.exports.platform(),
    }));`,
  ]);
  return JSON.parse(stdout) as Loaded;
}

describe("requireWithCodeCache, the loader of the embedded network's bundles", () => {
  let folder: string;
  let file: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'code-cache-'));
    file = join(folder, 'part.cjs');
    await writeFile(file, bundleSource(41));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('runs the bundle as require would: its own require and file names', async () => {
    expect(await loadInNewProcess(file)).toEqual({
      fromCache: false,
      answer: 41,
      where: `${folder.split('/').pop()}/part.cjs`,
      platform: process.platform,
    });
  });

  it('compiles from the cache once it is saved, and saves nothing more then', async () => {
    await loadInNewProcess(file, true);
    const [cached] = await readdir(join(folder, 'code-cache'));
    expect(cached).toMatch(/^part\.cjs-/);

    const again = await loadInNewProcess(file, true);
    expect(again).toMatchObject({ fromCache: true, answer: 41 });
    expect(await readdir(join(folder, 'code-cache'))).toEqual([cached]);
  });

  it('never runs a stale cache: a rebuilt bundle of the same size is compiled anew', async () => {
    await loadInNewProcess(file, true);
    // Same length, other code, same modification time: V8 alone would take the old cache.
    const { mtime } = await stat(file);
    await writeFile(file, bundleSource(42));
    await utimes(file, mtime, mtime);

    expect(await loadInNewProcess(file)).toMatchObject({ fromCache: false, answer: 42 });
  });

  it('compiles as usual when V8 rejects the cache, and replaces it', async () => {
    await loadInNewProcess(file, true);
    const [cached] = await readdir(join(folder, 'code-cache'));
    await writeFile(join(folder, 'code-cache', cached!), 'not a code cache');

    expect(await loadInNewProcess(file, true)).toMatchObject({ fromCache: false, answer: 41 });
    expect(await loadInNewProcess(file)).toMatchObject({ fromCache: true, answer: 41 });
  });
});
