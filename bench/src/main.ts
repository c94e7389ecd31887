import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'prettier';
import { measureCost, renderCost } from './cost.js';
import { openDatabases, type Databases } from './databases.js';
import { measureEmbedded } from './embedded.js';
import {
  REPO_ROOT,
  startApolloGateway,
  startHiveGateway,
  startOurGateway,
  type OurGatewayConfig,
  type RunningGateway,
} from './gateways.js';
import { combine, measure, Progress, type LoadResult, type LoadSettings } from './load.js';
import { describeMachine } from './machine.js';
import { startNetwork, type RunningNetwork } from './network.js';
import { startReplay } from './replay.js';
import { operations, TITLES, type Operation, type OperationName } from './operations.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { summariseProfiles } from './profile.js';
import {
  renderReport,
  renderTargets,
  REPLAY_DELAY_MS,
  statementsFlat,
  type Report,
} from './report.js';
import { countStatements } from './statements.js';
import {
  composeOrThrow,
  issueToken,
  readSdl,
  signViewer,
  VIEWER_HEADER,
  generateViewerKeys,
} from './workspace.js';

/**
 * `pnpm bench`: generates a network, loads it through our gateway and the alternatives, and
 * writes what it measured to BENCHMARKS.md (`--smoke`: a short check that writes nothing).
 */
process.env.APOLLO_TELEMETRY_DISABLED = '1';
// Every subgraph's Apollo Server listens for SIGINT and SIGTERM, and the bench runs up to 64.
process.setMaxListeners(0);

const AUDIENCE = 'tiers-lieux-network';
const MAIN_OPERATIONS: OperationName[] = [
  'directory',
  'nearMe',
  'calendar',
  'spacePage',
  'passLookup',
  'redemption',
];
const SHARED_OPERATIONS: OperationName[] = [
  'directory',
  'nearMe',
  'calendar',
  'spacePage',
  'passLookup',
];
const SAMPLES = 32;

const NOTES = [
  'Everything runs on this one machine: the load generator and every subgraph (with its PGlite database, which computes in the same thread) share the bench process; each gateway has a process of its own. Under load the subgraphs are the bottleneck (a profile of our gateway shows it mostly idle), so requests per second say how many subgraph executions a gateway needs per request more than how fast it is.',
  'Identical queries in flight together share their subgraph fetches in our gateway and in Hive Gateway (its HTTP executor deduplicates in-flight queries by default); the plain Apollo Gateway does not. The directory, "near me" and calendar runs send the same request from every connection, the space pages and pass lookup rotate over 32 ids.',
  "Latencies are taken from every response (autocannon's own histogram rounds them to whole milliseconds). Errors count transport errors, timeouts, non-2xx answers and answers with GraphQL errors (or a refused redemption); each run starts with one checked request.",
  "Redemptions spend one entry of one of 32 passes of a million entries each, with a new idempotency key each time, through a coordinator's bearer token (gateway) or a coordinator's signed viewer header (direct).",
  'The embedded network is measured on its own ports (4000, 4100 to 4104): its seeded registry names the partners there, and the gateway routes by the registry.',
];

function logOnce() {
  const seen = new Set<string>();
  return (message: string) => {
    const key = message.slice(0, 200);
    if (seen.has(key)) return;
    seen.add(key);
    console.error(`  subgraph: ${message.split('\n')[0]}`);
  };
}

function runCount(options: BenchOptions): number {
  const s = options.sections;
  return (
    (s.has('gateway') ? MAIN_OPERATIONS.length : 0) +
    (s.has('direct') ? 4 : 0) +
    (s.has('compare') ? SHARED_OPERATIONS.length * 8 + 8 : 0) +
    (s.has('fanout') ? options.fanout.length * 2 : 0)
  );
}

function rotateBy<T>(items: T[], by: number): T[] {
  return items.map((_, i) => items[(i + by) % items.length]!);
}

async function bench(options: BenchOptions): Promise<{ report: Report; failures: string[] }> {
  const started = performance.now();
  const now = new Date();
  const runTag = now.getTime().toString(36);
  const viewerKeys = generateViewerKeys();
  const authSecret = randomBytes(32).toString('hex');
  const coordinator = {
    authorization: `Bearer ${await issueToken({ role: 'coordinator' }, authSecret, { audience: AUDIENCE, expiresIn: '3h' })}`,
  };
  const tmp = await mkdtemp(join(tmpdir(), 'tiers-lieux-bench-'));
  const profileDir = options.profile ? join(tmp, 'profiles') : undefined;
  if (profileDir) await mkdir(profileDir);
  const progress = new Progress(runCount(options));
  const failures: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  const report: Report = {
    date: now,
    machine: describeMachine(),
    engine: '',
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
    embedded: null,
    cost: null,
  };
  const run = async (
    label: string,
    url: string,
    operation: Operation,
    settings: LoadSettings,
    headers: Record<string, string> = {},
    onMeasure?: () => void,
  ): Promise<LoadResult> => {
    const result = await measure({ label, url, operation, headers, settings, progress, onMeasure });
    if (result.errors > 0)
      failures.push(`${label}: ${result.errors} errors (${result.firstError})`);
    return result;
  };
  const gatewayConfig = (network: RunningNetwork, supergraphPath: string): OurGatewayConfig => ({
    supergraphPath,
    partners: network.partners.map((p) => ({ slug: p.slug, url: p.url, status: 'ACTIVE' })),
    networkUrl: network.network?.url ?? null,
    viewerSigningKey: viewerKeys.signingKey,
    authSecret,
    audience: AUDIENCE,
    inflightDeduplication: true,
  });
  const supergraph = async (name: string, network: RunningNetwork) => {
    const path = join(tmp, `${name}.graphql`);
    await writeFile(
      path,
      composeOrThrow([
        { name: 'space', url: network.partners[0]!.url, sdl: readSdl('space') },
        ...(network.network
          ? [{ name: 'network', url: network.network.url, sdl: readSdl('network') }]
          : []),
      ]),
    );
    return path;
  };
  const stopAll = async (gateways: RunningGateway[]) => {
    for (const g of gateways) await g.child.stop();
  };

  let databases: Databases | null = null;
  try {
    databases = await openDatabases(options.databaseUrl);
    report.engine = databases.engine;
    const s = options.sections;

    if (s.has('gateway') || s.has('direct') || s.has('compare') || s.has('cost')) {
      const { size } = options;
      console.error(
        `generating ${size.partners} partners, ${size.spaces} spaces, ${size.events} events, ${size.members} members, ${size.passes} passes (seed ${options.seed}) on ${databases.engine}`,
      );
      const generating = performance.now();
      const network = await startNetwork(databases, {
        size,
        seed: options.seed,
        now,
        viewerPublicKey: viewerKeys.publicKey,
        withNetwork: true,
        log: logOnce(),
      });
      closers.push(network.close);
      report.generationSeconds = (performance.now() - generating) / 1000;
      const first = network.partners[0]!;
      const passes = network.network!.passes;
      const path = await supergraph('supergraph', network);
      const ops = operations(
        {
          spaceIds: first.spaceIds.slice(0, SAMPLES),
          passCodes: (passes.crossPartner.length
            ? passes.crossPartner
            : passes.firstPartnerOnly
          ).slice(0, SAMPLES),
          redemptions: passes.forRedemptions,
        },
        now,
        runTag,
      );

      if (s.has('gateway') || s.has('direct')) {
        const ours = await startOurGateway('ours', gatewayConfig(network, path), {
          profileDir,
        });
        closers.push(() => ours.child.stop());
        for (const name of s.has('gateway') ? MAIN_OPERATIONS : []) {
          const operation = ops[name];
          const result = await run(
            `gateway · ${operation.title}`,
            ours.url,
            operation,
            options.load,
            name === 'redemption' ? coordinator : {},
            () => void (network.counter.statements = 0),
          );
          report.gateway.push({
            operation: name,
            result,
            statements: result.requests ? network.counter.statements / result.requests : Number.NaN,
          });
        }
        if (s.has('direct')) {
          const signed = await signViewer({ kind: 'coordinator' }, viewerKeys.signingKey, {
            audience: 'network',
            ttlSeconds: 3 * 3600,
          });
          const direct: {
            name: OperationName;
            owner: string;
            url: string;
            headers: Record<string, string>;
            via: Record<string, string>;
          }[] = [
            {
              name: 'spaceSite',
              owner: `partner ${first.slug}`,
              url: first.url,
              headers: {},
              via: {},
            },
            {
              name: 'redemption',
              owner: 'network',
              url: network.network!.url,
              headers: { [VIEWER_HEADER]: signed },
              via: coordinator,
            },
          ];
          for (const d of direct) {
            const operation = ops[d.name];
            report.direct.push({
              operation: d.name,
              owner: d.owner,
              direct: await run(
                `direct · ${operation.title}`,
                d.url,
                operation,
                options.latency,
                d.headers,
              ),
              gateway: await run(
                `gateway · ${operation.title}`,
                ours.url,
                operation,
                options.latency,
                d.via,
              ),
            });
          }
        }
        await ours.child.stop();
      }

      if (s.has('cost')) {
        const ours = await startOurGateway('cost', gatewayConfig(network, path));
        closers.push(() => ours.child.stop());
        report.cost = await measureCost({
          url: ours.url,
          gateway: ours.child,
          supergraphSdl: await readFile(path, 'utf8'),
          log: (message) => console.error(message),
        });
        console.error(renderCost(report.cost));
        await ours.child.stop();
      }

      if (s.has('compare')) {
        const local = operations(
          {
            spaceIds: first.spaceIds.slice(0, SAMPLES),
            passCodes: passes.firstPartnerOnly.slice(0, SAMPLES),
            redemptions: passes.forRedemptions,
          },
          now,
          `${runTag}c`,
        );
        const config = gatewayConfig(network, path);
        const gateways: RunningGateway[] = [];
        closers.push(() => stopAll(gateways));
        const onePartner = { ...config, partners: config.partners.slice(0, 1) };
        // Started together; when one fails, those that started are still stopped.
        const starting = await Promise.allSettled([
          startOurGateway('ours', onePartner, { profileDir }),
          startOurGateway('ours, sharing off', { ...onePartner, inflightDeduplication: false }),
          startHiveGateway(path),
          startApolloGateway(path),
        ]);
        for (const started of starting) {
          if (started.status === 'fulfilled') gateways.push(started.value);
          else throw started.reason;
        }
        const [ours, unshared, hive, apollo] = gateways as [
          RunningGateway,
          RunningGateway,
          RunningGateway,
          RunningGateway,
        ];
        // Each gateway runs twice for half the time, in turn and back (A B C D D C B A), so
        // that a slow moment of the machine falls on all of them alike.
        const half = { ...options.load, duration: options.load.duration / 2 };
        const inTurn = async (
          targets: { name: string; url: string }[],
          operation: Operation,
          settings: LoadSettings,
        ) => {
          const runs = new Map<{ name: string; url: string }, LoadResult[]>(
            targets.map((t) => [t, []]),
          );
          for (const t of [...targets, ...[...targets].reverse()]) {
            runs
              .get(t)!
              .push(await run(`${t.name} · ${operation.title}`, t.url, operation, settings));
          }
          return (t: { name: string; url: string }) => combine(runs.get(t)!);
        };
        for (const [i, name] of SHARED_OPERATIONS.entries()) {
          const result = await inTurn(rotateBy(gateways, i), local[name], half);
          report.compare.push({
            operation: name,
            ours: result(ours),
            oursUnshared: result(unshared),
            hive: result(hive),
            apollo: result(apollo),
          });
        }
        // The single-partner lookup's own latency through each gateway, against the direct call.
        const direct = { name: 'direct', url: first.url };
        const lookups = await inTurn([direct, ours, hive, apollo], local.spaceSite, {
          ...options.latency,
          duration: options.latency.duration / 2,
        });
        report.compareLatency = {
          operation: 'spaceSite',
          direct: lookups(direct),
          ours: lookups(ours),
          hive: lookups(hive),
          apollo: lookups(apollo),
        };
        await stopAll(gateways);
      }
      await network.close();
    }

    if (s.has('fanout')) {
      const calendar = operations(
        { spaceIds: [], passCodes: [], redemptions: [] },
        now,
        runTag,
      ).calendar;
      for (const partners of options.fanout) {
        console.error(`generating the calendar's data over ${partners} partners`);
        const network = await startNetwork(databases, {
          size: { ...options.size, partners, members: 0, passes: 0 },
          seed: options.seed,
          now,
          viewerPublicKey: viewerKeys.publicKey,
          withNetwork: false,
          log: logOnce(),
        });
        closers.push(network.close);
        const config = gatewayConfig(network, await supergraph(`fanout-${partners}`, network));
        const label = `${partners} partner${partners > 1 ? 's' : ''}`;
        const ours = await startOurGateway(`ours-fanout-${partners}`, config, { profileDir });
        closers.push(() => ours.child.stop());
        const result = await run(
          `${label} · ${calendar.title}`,
          ours.url,
          calendar,
          options.latency,
        );
        await ours.child.stop();
        const replays = await Promise.all(
          network.partners.map((p) => startReplay(p.url, REPLAY_DELAY_MS)),
        );
        closers.push(async () => void (await Promise.all(replays.map((r) => r.close()))));
        const far = await startOurGateway(
          `ours-fanout-far-${partners}`,
          { ...config, partners: config.partners.map((p, i) => ({ ...p, url: replays[i]!.url })) },
          { profileDir },
        );
        closers.push(() => far.child.stop());
        const replayed = await run(
          `${label} far away · ${calendar.title}`,
          far.url,
          calendar,
          options.latency,
        );
        report.fanout.push({ partners, result, replayed });
        await far.child.stop();
        await Promise.all(replays.map((r) => r.close()));
        await network.close();
      }
    }

    if (s.has('statements')) {
      console.error(
        `counting SQL statements of the directory at ${options.statementSpaces.join(', ')} spaces`,
      );
      report.statements = await countStatements(databases, {
        spaceCounts: options.statementSpaces,
        seed: options.seed,
        now,
        viewerPublicKey: viewerKeys.publicKey,
      });
      for (const c of report.statements) {
        console.error(
          `  ${c.spaces} spaces, page of ${c.first} (${c.edges} spaces): ${c.statements} statements / request`,
        );
      }
      if (statementsFlat(report.statements) === false)
        failures.push('SQL statements per request grow with the result');
    }

    if (s.has('embedded')) {
      console.error('starting the embedded network on a fresh data folder, then again');
      try {
        report.embedded = await measureEmbedded();
        const { firstStart, restart } = report.embedded;
        console.error(
          `  first answer ${(firstStart.firstAnswerMs / 1000).toFixed(1)} s, after a restart ${(restart.firstAnswerMs / 1000).toFixed(1)} s`,
        );
      } catch (error) {
        report.embedded = { error: error instanceof Error ? error.message : String(error) };
        failures.push(`embedded network: ${report.embedded.error}`);
      }
    }
  } finally {
    for (const close of closers.reverse()) {
      await close().catch((error: unknown) => console.error(`while closing: ${String(error)}`));
    }
    if (profileDir) {
      for (const line of await summariseProfiles(profileDir).catch(() => [])) console.error(line);
      console.error(`CPU profiles of our gateway: ${profileDir}`);
    } else {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  report.totalSeconds = (performance.now() - started) / 1000;
  return { report, failures };
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
    const markdown = await format(renderReport(report, NOTES), { parser: 'markdown' });
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
