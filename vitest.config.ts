import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests run the sources of the workspace packages, never a build in dist/ (docs/architecture.md),
  // but for the programs a few tests start as an operator does, from the build global setup makes.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  environments: { __vitest__: { resolve: { conditions: ['source'] } } },
  test: {
    include: ['**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.data/**', '**/dist/**'],
    globalSetup: ['subgraphs/space/test/global-setup.ts', 'gateway/test/global-setup.ts'],
    // Neither UTC nor Paris, with other daylight-saving dates: code that leans on the
    // process's local time zone instead of Europe/Paris fails here.
    env: { APOLLO_TELEMETRY_DISABLED: '1', TZ: 'America/New_York' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite databases are heavy (about 200 MB each): two files at a time on this 2-core machine.
    maxWorkers: 2,
  },
});
