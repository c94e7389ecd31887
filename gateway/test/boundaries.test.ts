import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GATEWAY_SRC = join(ROOT, 'gateway/src');
/**
 * The two programs that run a gateway and mount the public site on it (the embedded network's
 * gateway is in the part of it its main thread loads after starting the partners' worker).
 */
const PROGRAMS = ['main.ts', 'embedded-network.ts'].map((file) => join(GATEWAY_SRC, file));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return ['node_modules', '.data', 'dist'].includes(entry.name) ? [] : sources(path);
    return /\.(ts|tsx|mts)$/.test(entry.name) ? [path] : [];
  });
}

/** The modules a file imports: static, dynamic and re-exports. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm);
  return [...found].map((m) => m[1]!);
}

const PACKAGES = ['gateway', 'web', 'schema', 'bench', 'subgraphs/space', 'subgraphs/network'];

describe('package boundaries', () => {
  it("keeps the gateway's core free of the public site: only main.ts and embedded-network.ts import web", () => {
    const offenders = sources(GATEWAY_SRC)
      .filter((file) => !PROGRAMS.includes(file))
      .flatMap((file) =>
        importsOf(file)
          .filter(
            (spec) =>
              spec.startsWith('@tiers-lieux/web') ||
              (spec.startsWith('.') && !resolve(dirname(file), spec).startsWith(GATEWAY_SRC + sep)),
          )
          .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it("has no file reach into another package's folder by relative path", () => {
    const offenders = PACKAGES.flatMap((pkg) => {
      const root = join(ROOT, pkg);
      return sources(root).flatMap((file) =>
        importsOf(file)
          .filter(
            (spec) => spec.startsWith('.') && !resolve(dirname(file), spec).startsWith(root + sep),
          )
          .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
      );
    });
    expect(offenders).toEqual([]);
  });
});
