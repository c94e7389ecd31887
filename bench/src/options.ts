import { parseArgs } from 'node:util';
import type { NetworkSize } from './generate.js';
import type { LoadSettings } from './load.js';
import { TITLES, type OperationName } from './operations.js';

export const SECTIONS = [
  'gateway',
  'direct',
  'compare',
  'fanout',
  'statements',
  'embedded',
  'cost',
  'telemetry',
  'outbox',
  'metrics',
  'trace',
] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  smoke: boolean;
  seed: number;
  size: NetworkSize;
  /** Settings of the runs under load, and of the latency runs (one connection). */
  load: LoadSettings;
  latency: LoadSettings;
  fanout: number[];
  /** Spaces held by the partner whose directory statements are counted. */
  statementSpaces: number[];
  /** Passes held by the network whose console statements are counted. */
  statementPasses: number[];
  /** Mails queued before a dispatcher starts, in the outbox section. */
  outboxBacklog: number;
  sections: Set<Section>;
  /** The operations the compare section loads; null for all it shares, and the latency run. */
  compareOperations: OperationName[] | null;
  databaseUrl: string | null;
  /** Where CPU profiles of our gateway go, when asked for. */
  profile: boolean;
  /** Where the report is written; null for none (the smoke run, unless given a path). */
  output: string | null;
}

export const USAGE = `usage: pnpm bench [options]
  --smoke                 a short run on a small network that checks everything works and the
                          statement counts hold; writes no report unless --output says where
  --duration <seconds>    measured time of each run (default 6; smoke 0.3)
  --warmup <seconds>      unmeasured time before each run (default 1; smoke 0.1)
  --connections <n>       concurrent connections of the runs under load (default 8)
  --seed <n>              seed of the generated network (default 1)
  --database-url <url>    a PostgreSQL server to generate the databases on, one scratch database
                          per subgraph instance (or BENCH_DATABASE_URL); PGlite otherwise
  --only <sections>       comma-separated: ${SECTIONS.join(', ')}
  --compare <operations>  comma-separated operations the compare section loads, without its
                          latency run: directory, nearMe, calendar, spacePage, passLookup, mixed
  --fanout <list>         partner counts of the fan-out runs (default 1,4,16,64; smoke 2)
  --profile               CPU-profile our gateway (node --cpu-prof) and print where time goes
  --output <path>         where the report goes (default BENCHMARKS.md at the repository root;
                          none for --smoke unless given)`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

export function parseOptions(argv: string[], defaultOutput: string): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      seed: { type: 'string' },
      'database-url': { type: 'string' },
      only: { type: 'string' },
      fanout: { type: 'string' },
      compare: { type: 'string' },
      profile: { type: 'boolean', default: false },
      output: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const smoke = values.smoke!;
  const duration = positive('duration', values.duration, smoke ? 0.3 : 6);
  const warmup = positive('warmup', values.warmup, smoke ? 0.1 : 1);
  const connections = Math.max(1, Math.round(positive('connections', values.connections, 8)));
  const sections = new Set<Section>(
    values.only ? (values.only.split(',').map((s) => s.trim()) as Section[]) : SECTIONS,
  );
  for (const section of sections) {
    if (!SECTIONS.includes(section)) throw new Error(`--only: unknown section "${section}"`);
  }
  if (smoke) sections.delete('embedded');
  const compareOperations = values.compare
    ? (values.compare.split(',').map((s) => s.trim()) as OperationName[])
    : null;
  for (const name of compareOperations ?? []) {
    if (!(name in TITLES)) throw new Error(`--compare: unknown operation "${name}"`);
  }
  return {
    smoke,
    seed: Math.round(positive('seed', values.seed, 1)),
    size: smoke
      ? { partners: 2, spaces: 24, events: 300, members: 200, passes: 40 }
      : { partners: 8, spaces: 400, events: 8_000, members: 20_000, passes: 2_000 },
    load: { duration, warmup, connections },
    latency: { duration, warmup, connections: 1 },
    fanout: values.fanout
      ? values.fanout.split(',').map((n) => Math.max(1, Math.round(positive('fanout', n, 1))))
      : smoke
        ? [2]
        : [1, 4, 16, 64],
    statementSpaces: smoke ? [10, 20, 40] : [10, 100, 400],
    statementPasses: smoke ? [100, 400] : [500, 2000, 8000],
    outboxBacklog: smoke ? 40 : 200,
    sections,
    compareOperations,
    databaseUrl: values['database-url'] ?? process.env.BENCH_DATABASE_URL?.trim() ?? null,
    profile: values.profile!,
    output: values.output ?? (smoke ? null : defaultOutput),
  };
}
