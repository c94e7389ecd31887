import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
 * (`module.enableCompileCache` is Node 22's), and the embedded network's bundles took a third of
 * each thread's start to parse and compile (BENCHMARKS.md).
 *
 * The cache is kept beside the bundle, in `code-cache/`, under a name made of the bundle's size
 * and modification time and of Node's version: a rebuilt bundle or another Node finds none,
 * since V8 checks its own version and flags but not the source itself. When the cache is
 * missing, rejected or cannot be written (a read-only folder), the bundle is compiled as usual.
 *
 * The bundle must not use `import()`: on Node 20, code from V8's cache has lost the callback
 * dynamic imports go through. The build turns them into `require` (scripts/build.mjs).
 */
export function requireWithCodeCache(file: string): CachedBundle {
  const source = readFileSync(file, 'utf8');
  const { size, mtimeMs } = statSync(file);
  const cacheFile = join(
    dirname(file),
    'code-cache',
    `${basename(file)}-${size}-${Math.trunc(mtimeMs)}-${process.version}-${process.arch}`,
  );
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(source), {
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
      const partial = `${cacheFile}.partial-${process.pid}-${Math.random().toString(36).slice(2)}`;
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
      } catch {
        rmSync(partial, { force: true });
        // Not kept: the next start compiles the bundle, as it would without a cache.
      }
    },
  };
}
