/**
 * The exports of a CommonJS package loaded with `import()`, by name. Node gives them by name
 * (and the whole `module.exports` as `default`); the embedded network's bundle gives only
 * `default`. Code that loads such a package on demand, to keep it out of every start, reads its
 * exports through this.
 */
export async function importCommonJs<T extends object>(loading: Promise<T>): Promise<T> {
  const loaded: object = await loading;
  const commonJs = 'default' in loaded ? loaded.default : null;
  return (
    commonJs !== null && typeof commonJs === 'object' ? { ...commonJs, ...loaded } : loaded
  ) as T;
}
