import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format } from 'prettier';
import { REPO_ROOT } from './gateways.js';
import { Progress } from './load.js';
import { describeMachine } from './machine.js';
import { TITLES } from './operations.js';
import { parseOptions, SECTIONS, USAGE, type BenchOptions, type Section } from './options.js';
import { renderReport, renderTargets, type Report } from './report.js';
import { openContext } from './sections/context.js';
import { BENCH_SECTIONS } from './sections/index.js';

/**
 * `pnpm bench`: generates a network, loads it through our gateway and the alternatives, and
 * writes what it measured to BENCHMARKS.md (`--smoke`: a short check that writes nothing).
 * Each section is a file of `sections/`.
 */
process.env.APOLLO_TELEMETRY_DISABLED = '1';
// Every subgraph's Apollo Server listens for SIGINT and SIGTERM, and the bench runs up to 64.
process.setMaxListeners(0);

const NOTES = [
  'Everything runs on this one machine: the load generator and every subgraph (with its PGlite database, which computes in the same thread) share the bench process; each gateway has a process of its own. Under load the subgraphs are the bottleneck (a profile of our gateway shows it mostly idle), so requests per second say how many subgraph executions a gateway needs per request more than how fast it is.',
  'Identical queries in flight together share their subgraph fetches in our gateway and in Hive Gateway (its HTTP executor deduplicates in-flight queries by default); the plain Apollo Gateway does not. The directory, "near me" and calendar runs send the same request from every connection, the space pages and pass lookup rotate over 32 ids.',
  "Latencies are taken from every response (autocannon's own histogram rounds them to whole milliseconds). Errors count transport errors, timeouts, non-2xx answers and answers with GraphQL errors (or a refused redemption); each run starts with one checked request.",
  "Redemptions spend one entry of one of 32 passes of a million entries each, with a new idempotency key each time, through a coordinator's bearer token (gateway) or a coordinator's signed viewer header (direct).",
  "Hive Gateway's Rust query planner: `@graphql-hive/router-runtime` (with `@graphql-hive/router-query-planner`, whose prebuilt Linux x64 addon ships inside the npm package, so nothing is downloaded at install) installs from the npm registry and runs on Node 20; the CLI takes it with `--hive-router-runtime`. When the package does not load, the CLI warns and falls back to its default runtime: the bench fails that gateway's start instead, so the column is always the Rust planner's.",
  "The embedded network is measured on free ports (`BASE_PORT=0`), with `pnpm start`'s command from its build (a full `pnpm build` runs first, timed on its own; the up-to-date check `pnpm start` makes is in the start's figures).",
];

async function bench(options: BenchOptions): Promise<{ report: Report; failures: string[] }> {
  const started = performance.now();
  const chosen = SECTIONS.filter((s) => options.sections.has(s));
  const progress = new Progress(
    chosen.reduce((runs, s) => runs + BENCH_SECTIONS[s].runs(options), 0),
  );
  const { context, failures, release, close } = await openContext(options, progress);
  const report: Report = {
    date: context.now,
    machine: describeMachine(),
    engine: context.databases.engine,
    seed: options.seed,
    size: options.size,
    load: options.load,
    latency: options.latency,
    generationSeconds: null,
    totalSeconds: 0,
    titles: TITLES,
    gateway: [],
    direct: [],
    compare: [],
    compareLatency: null,
    fanout: [],
    statements: [],
    networkStatements: [],
    embedded: null,
    cost: null,
    telemetry: [],
    telemetryExportedBytes: 0,
    outbox: null,
    metrics: null,
    trace: null,
  };
  try {
    const remaining = new Set<Section>(chosen);
    for (const section of chosen) {
      Object.assign(report, await BENCH_SECTIONS[section].measure(context));
      remaining.delete(section);
      await release(remaining);
    }
  } finally {
    await close();
  }
  report.totalSeconds = (performance.now() - started) / 1000;
  return { report, failures };
}

/**
 * The report's hand-written part (measurements made by hand, before and after comparisons):
 * everything from this line on in the file a run replaces is kept as it is.
 */
const HAND_WRITTEN_MARKER =
  '<!-- Hand-written below: pnpm bench keeps everything after this line as it is. -->';

async function handWrittenPart(path: string): Promise<string> {
  const previous = await readFile(path, 'utf8').catch(() => '');
  const at = previous.indexOf(HAND_WRITTEN_MARKER);
  return `\n${at === -1 ? HAND_WRITTEN_MARKER : previous.slice(at)}\n`;
}

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2), join(REPO_ROOT, 'BENCHMARKS.md'));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}

try {
  const { report, failures } = await bench(options);
  console.log(`\n${renderTargets(report)}\n`);
  if (options.output) {
    // Formatted as the repository's other files, so the format check passes on a new report.
    const generated = renderReport(report, NOTES);
    const markdown = await format(generated + (await handWrittenPart(options.output)), {
      parser: 'markdown',
    });
    await writeFile(options.output, markdown);
    console.log(`wrote ${options.output} (${(report.totalSeconds / 60).toFixed(1)} min)`);
  }
  if (failures.length) {
    console.error(
      `\n${failures.length} problem${failures.length > 1 ? 's' : ''}:\n${failures.map((f) => `  - ${f}`).join('\n')}`,
    );
  }
  // The smoke run fails on any problem; a full run reports them and its figures.
  process.exit(options.smoke && failures.length ? 1 : 0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
