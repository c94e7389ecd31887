import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** A CommonJS bundle loaded by `requireWithCodeCache`. */
export interface CachedBundle {
  exports: Record<string, unknown>;
  /** Whether V8 took its compiled code from the cache instead of compiling the bundle. */
  fromCache: boolean;
  /**
   * Writes the code V8 compiled so far to the cache, unless it came from there: called once
   * the program has started, so that the next start finds every function its start ran.
   */
  saveCache(): void;
}

/**
 * Loads a CommonJS bundle as `require` would, with V8's code cache: Node 20 has no compile cache
 * (`module.enableCompileCache` is Node 22's), and compiling the embedded network's bundles is a
 * good part of each thread's restart (BENCHMARKS.md measures a restart with and without it).
 *
 * The cache is kept beside the bundle, in `code-cache/`, under a name made of a hash of the
 * bundle's content and of Node's version (`codeCacheFile`): V8 checks its own version
 * and flags but of the source only its length, and would run a stale cache for a rebuilt bundle
 * of the same size. When the cache is missing, rejected or cannot be written (a read-only
 * folder), the bundle is compiled as usual.
 *
 * The bundle must not use `import()`: Node 20 loses the callback dynamic imports go through
 * for code V8 takes from its cache. The build turns them into `require` (scripts/build.mjs).
 */
export function requireWithCodeCache(file: string): CachedBundle {
  const content = readFileSync(file);
  const cacheFile = codeCacheFile(file, content);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(content.toString('utf8')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as Record<string, unknown> };
  const compiled = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  compiled.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  let saved = fromCache;
  return {
    exports: module.exports,
    fromCache,
    saveCache() {
      if (saved) return;
      saved = true;
      const folder = dirname(cacheFile);
      const partial = `${cacheFile}.partial-${process.pid}-${Math.random().toString(36).slice(2)}`;
      try {
        mkdirSync(folder, { recursive: true });
        // Before the work of `createCachedData`, which a read-only folder would waste.
        accessSync(folder, constants.W_OK);
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
      } catch {
        // Not kept: the next start compiles the bundle, as it would without a cache.
        try {
          rmSync(partial, { force: true });
        } catch {
          // Nothing was written.
        }
      }
    },
  };
}

/**
 * Where the code cache of the bundle `file` (whose bytes are `content`) is kept: named after
 * them and Node's version and architecture. V8 checks the flags a cache was made under itself
 * (and rejects it under others: it is then compiled and saved anew).
 */
export function codeCacheFile(file: string, content: Buffer): string {
  const key = createHash('sha256')
    .update(content)
    .update(`\0${process.version}\0${process.arch}`)
    .digest('hex')
    .slice(0, 24);
  return join(dirname(file), 'code-cache', `${basename(file)}-${key}`);
}
