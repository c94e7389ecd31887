import { renderCost, type CostReport } from './cost.js';
import type { EmbeddedResult } from './embedded.js';
import type { NetworkSize } from './generate.js';
import type { LoadResult, LoadSettings } from './load.js';
import type { Machine } from './machine.js';
import type { OutboxReport } from './outbox.js';
import type { OperationName } from './operations.js';
import type { MetricsReport } from './sections/metrics.js';
import { TRACE_SIZE, type TraceReport } from './sections/trace.js';
import {
  FREE_RESOURCES,
  type NetworkRequest,
  type NetworkStatementCount,
  type StatementCount,
} from './statements.js';

/** The answer time of a partner far away, in the fan-out runs (replay.ts). */
export const REPLAY_DELAY_MS = 20;

/** Everything one run measured, as `BENCHMARKS.md` shows it. */
export interface Report {
  date: Date;
  machine: Machine;
  engine: string;
  seed: number;
  size: NetworkSize;
  load: LoadSettings;
  latency: LoadSettings;
  generationSeconds: number | null;
  totalSeconds: number;
  titles: Record<OperationName, string>;
  gateway: { operation: OperationName; result: LoadResult; statements: number }[];
  direct: { operation: OperationName; owner: string; direct: LoadResult; gateway: LoadResult }[];
  compare: {
    operation: OperationName;
    ours: LoadResult;
    /** Ours with in-flight deduplication off. */
    oursUnshared: LoadResult;
    hive: LoadResult;
    /** Hive Gateway on Hive Router's Rust query planner (`@graphql-hive/router-runtime`). */
    hiveRouter: LoadResult;
    apollo: LoadResult;
  }[];
  /** The space page at one connection: direct, and through each gateway. */
  compareLatency: {
    operation: OperationName;
    direct: LoadResult;
    ours: LoadResult;
    hive: LoadResult;
    hiveRouter: LoadResult;
    apollo: LoadResult;
  } | null;
  fanout: {
    partners: number;
    /** The real partner subgraphs, all in the bench's process. */
    result: LoadResult;
    /** The partners replaced by stand-ins that answer from afar (see replay.ts). */
    replayed: LoadResult;
  }[];
  statements: StatementCount[];
  /** The network subgraph's statements for the coordinators' pass pages. */
  networkStatements: NetworkStatementCount[];
  embedded: EmbeddedResult | { error: string } | null;
  cost: CostReport | null;
  /** Our gateway with its logs, metrics and traces off, then on. */
  telemetry: { operation: OperationName; off: LoadResult; on: LoadResult }[];
  /** What the gateway with telemetry on exported to the trace receiver. */
  telemetryExportedBytes: number;
  outbox: OutboxReport | null;
  /** The services' `/metrics` scraped during a load run. */
  metrics: MetricsReport | null;
  /** One directory request's span tree. */
  trace: TraceReport | null;
}

export interface Target {
  target: string;
  measured: string;
  met: boolean | null;
}

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '–');
const rps = (r: LoadResult) => r.rps.toFixed(0);
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');
const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GB`;
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`;
const verdict = (met: boolean | null) =>
  met === null ? 'not measured' : met ? 'met' : '**missed**';

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Whether the statements per request are the same whatever the number of spaces, for each
 * page size (pages that came back empty skip the nested fields' batches, so they do not count).
 */
export function statementsFlat(counts: StatementCount[]): boolean | null {
  const counted = counts.filter((c) => c.edges > 0);
  if (counted.length === 0) return null;
  const byFirst = new Map<number, Set<number>>();
  for (const c of counted)
    byFirst.set(c.first, (byFirst.get(c.first) ?? new Set()).add(c.statements));
  return [...byFirst.values()].every((set) => set.size === 1);
}

/** Whether each pass page of the console costs as many statements whatever the number of passes. */
export function networkStatementsFlat(counts: NetworkStatementCount[]): boolean | null {
  if (counts.length === 0) return null;
  const byRequest = new Map<NetworkRequest, Set<number>>();
  for (const c of counts)
    byRequest.set(c.request, (byRequest.get(c.request) ?? new Set()).add(c.statements));
  return [...byRequest.values()].every((set) => set.size === 1);
}

const NETWORK_REQUESTS: Record<NetworkRequest, string> = {
  sales: 'pass sales by product, seller and month',
  passes: 'passes, first page',
  search: 'passes, search by the start of a code',
};

/**
 * Statements per request, by request in the order first counted, each with the size of the
 * data it ran on: `page of 30: 12 (10 spaces), 12 (100 spaces); …`, or – when none.
 */
function statementsPerRequest(
  counts: { request: string; statements: number; size: string }[],
): string {
  if (counts.length === 0) return '–';
  const byRequest = new Map<string, string[]>();
  for (const c of counts)
    byRequest.set(c.request, [...(byRequest.get(c.request) ?? []), `${c.statements} (${c.size})`]);
  return [...byRequest].map(([request, each]) => `${request}: ${each.join(', ')}`).join('; ');
}

/** The issue's targets, each with what this run measured. */
export function targets(report: Report): Target[] {
  const list: Target[] = [];
  const flat = statementsFlat(report.statements);
  list.push({
    target: 'SQL statements per request do not grow with the result',
    measured: statementsPerRequest(
      report.statements.map((c) => ({
        request:
          c.first === 0
            ? 'figures'
            : c.first === FREE_RESOURCES
              ? 'free resources'
              : `page of ${c.first}`,
        statements: c.statements,
        size: `${c.spaces} spaces`,
      })),
    ),
    met: flat,
  });
  const networkFlat = networkStatementsFlat(report.networkStatements);
  list.push({
    target: "SQL statements of the console's pass pages do not grow with the number of passes",
    measured: statementsPerRequest(
      report.networkStatements.map((c) => ({
        request: c.request,
        statements: c.statements,
        size: `${c.passes} passes`,
      })),
    ),
    met: networkFlat,
  });
  const lookup = report.direct.find((d) => d.operation === 'spaceSite');
  const lookupRatio = lookup ? lookup.gateway.p50 / lookup.direct.p50 : Number.NaN;
  list.push({
    target:
      "p50 through the gateway ≤ 1.5 × direct, single-partner lookup (space page, its partner's part)",
    measured: lookup
      ? `${ratio(lookupRatio)} (${ms(lookup.gateway.p50)} vs ${ms(lookup.direct.p50)})${
          report.compareLatency
            ? `; on one partner, ours ${ratio(report.compareLatency.ours.p50 / report.compareLatency.direct.p50)}, Hive ${ratio(report.compareLatency.hive.p50 / report.compareLatency.direct.p50)}, Hive on the Rust planner ${ratio(report.compareLatency.hiveRouter.p50 / report.compareLatency.direct.p50)}, Apollo ${ratio(report.compareLatency.apollo.p50 / report.compareLatency.direct.p50)} (section 2)`
            : ''
        }`
      : '–',
    met: lookup ? lookupRatio <= 1.5 : null,
  });
  const one = report.fanout.find((f) => f.partners === 1);
  const sixteen = report.fanout.find((f) => f.partners === 16);
  const fanRatio = one && sixteen ? sixteen.result.p50 / one.result.p50 : Number.NaN;
  const farRatio = one && sixteen ? sixteen.replayed.p50 / one.replayed.p50 : Number.NaN;
  list.push({
    target: 'calendar p50 at 16 partners ≤ 2 × at 1 partner',
    measured:
      one && sixteen
        ? `${ratio(fanRatio)} (${ms(sixteen.result.p50)} vs ${ms(one.result.p50)}) with the partners' subgraphs on this machine; ${ratio(farRatio)} with partners far away (section 3)`
        : '–',
    met: one && sixteen ? fanRatio <= 2 : null,
  });
  const hiveRatios = report.compare.map((c) => c.ours.rps / c.hive.rps);
  list.push({
    target: 'requests/s ≥ Hive Gateway on the shared operations (ratio ≥ 1.0)',
    measured: hiveRatios.length
      ? `${report.compare.map((c, i) => `${c.operation} ${ratio(hiveRatios[i]!)}`).join(', ')}`
      : '–',
    met: hiveRatios.length ? hiveRatios.every((r) => r >= 1) : null,
  });
  const embedded = report.embedded;
  if (embedded && 'firstStart' in embedded) {
    list.push({
      target: 'embedded network: first answer ≤ 20 s after the first start',
      measured: seconds(embedded.firstStart.firstAnswerMs),
      met: embedded.firstStart.firstAnswerMs <= 20_000,
    });
    list.push({
      target: 'embedded network: first answer ≤ 5 s after a restart',
      measured: seconds(embedded.restart.firstAnswerMs),
      met: embedded.restart.firstAnswerMs <= 5_000,
    });
    const rss = Math.max(embedded.firstStart.rssBytes, embedded.restart.rssBytes);
    list.push({
      target: 'embedded network: resident memory < 1.5 GB',
      measured: gb(rss),
      met: rss < 1.5 * 1024 ** 3,
    });
  } else {
    list.push({
      target: 'embedded network: first answer ≤ 20 s, ≤ 5 s on restart, < 1.5 GB',
      measured: embedded ? `failed: ${embedded.error.split('\n')[0]}` : '–',
      met: embedded ? false : null,
    });
  }
  return list;
}

export function renderTargets(report: Report): string {
  return table(
    ['target', 'measured', ''],
    targets(report).map((t) => [t.target, t.measured, verdict(t.met)]),
  );
}

/** `BENCHMARKS.md`. */
export function renderReport(report: Report, notes: string[]): string {
  const { machine, size, load, latency } = report;
  const title = (op: OperationName) => report.titles[op];
  const out: string[] = [];
  out.push(`# Benchmarks

Written by \`pnpm bench\` (see the README's "Benchmarks"); do not edit by hand, run it again: it
replaces everything down to the hand-written part at the end, which it keeps.
Every comparison below is a ratio of figures measured side by side in this one run, on this
machine: absolute figures move with whatever else the machine does, ratios much less.

## Machine and run

${table(
  ['', ''],
  [
    ['date', report.date.toISOString()],
    ['CPU', `${machine.cpuModel}, ${machine.cores} cores`],
    ['memory', gb(machine.memoryBytes)],
    ['Node.js', machine.node],
    ['system', `${machine.os}, load average ${machine.loadAverage.toFixed(2)} at the start`],
    ['databases', report.engine],
    [
      'generated network',
      `seed ${report.seed}: ${size.partners} partners, ${size.spaces} spaces, ${size.events} events, ${size.members} members, ${size.passes} passes with redemptions${report.generationSeconds === null ? '' : ` (generated in ${report.generationSeconds.toFixed(0)} s)`}`,
    ],
    [
      'load',
      `autocannon over loopback, ${load.duration} s measured after ${load.warmup} s of warm-up per run; ${load.connections} connections under load, 1 for latency comparisons`,
    ],
    ['whole run', `${(report.totalSeconds / 60).toFixed(1)} min`],
  ],
)}

## Targets

${renderTargets(report)}`);

  if (report.gateway.length) {
    out.push(`## Operations through the gateway

Our gateway (\`createGateway\`, in its own process, bearer tokens and signed viewer headers on)
in front of ${size.partners} partner subgraphs and the network subgraph, ${load.connections}
connections. SQL statements are counted over all the subgraphs' databases; a subgraph fetch
shared by identical requests in flight together counts once.

${table(
  ['operation', 'req/s', 'p50', 'p99', 'errors', 'SQL statements / request'],
  report.gateway.map((g) => [
    title(g.operation),
    rps(g.result),
    ms(g.result.p50),
    ms(g.result.p99),
    String(g.result.errors),
    g.statements.toFixed(1),
  ]),
)}`);
  }

  if (report.direct.length) {
    out.push(`## 1. Through the gateway vs directly to the subgraph that owns the data

The same operation sent to the owning subgraph itself (the floor any gateway sits on): the
space page without the network's fields (what a space's own site asks), the redemption; with
${latency.connections} connection so that latency is the request's own, not a queue.

${table(
  [
    'operation',
    'owner',
    'direct p50',
    'gateway p50',
    'p50 ratio',
    'direct req/s',
    'gateway req/s',
    'errors',
  ],
  report.direct.map((d) => [
    title(d.operation),
    d.owner,
    ms(d.direct.p50),
    ms(d.gateway.p50),
    ratio(d.gateway.p50 / d.direct.p50),
    rps(d.direct),
    rps(d.gateway),
    String(d.direct.errors + d.gateway.errors),
  ]),
)}`);
  }

  if (report.compare.length) {
    out.push(`## 2. Our gateway vs Hive Gateway (with and without its Rust planner) vs a plain Apollo Gateway

A supergraph all of them serve: one partner plus the network subgraph, the same running
subgraphs, ${load.connections} connections; for each operation every gateway runs twice for
half the time, in turn and back (A B C D E E D C B A, who goes first rotating), so that a slow
moment of the machine falls on all alike. Hive Gateway runs from its CLI with its default configuration,
and again with \`--hive-router-runtime\` ("Hive, Rust planner": \`@graphql-hive/router-runtime\`, Hive
Router's query planner as a native addon, and its executor); the plain
Apollo Gateway is ApolloServer + ApolloGateway + RemoteGraphQLDataSource. Ours runs as
deployed: it signs the viewer header of a signed-in viewer's subgraph requests, which the
subgraphs verify (the load here is anonymous, and no gateway sends one), and shares one subgraph fetch between identical queries of the same
viewer in flight at the same time, as Hive Gateway does by default; "sharing off" is ours
without that. Ours has no response cache. The redemption is left out: only our gateway tells
the subgraphs who the viewer is, so the others' redemptions would be refused.

${table(
  [
    'operation',
    'ours',
    'ours, sharing off',
    'Hive',
    'Hive, Rust planner',
    'Apollo',
    'ours / Hive',
    'ours / Hive, Rust planner',
    'sharing off / Hive',
    'ours / Apollo',
    'p50 ours / Hive / Hive, Rust planner / Apollo',
    'errors',
  ],
  report.compare.map((c) => [
    title(c.operation),
    rps(c.ours),
    rps(c.oursUnshared),
    rps(c.hive),
    rps(c.hiveRouter),
    rps(c.apollo),
    ratio(c.ours.rps / c.hive.rps),
    ratio(c.ours.rps / c.hiveRouter.rps),
    ratio(c.oursUnshared.rps / c.hive.rps),
    ratio(c.ours.rps / c.apollo.rps),
    `${ms(c.ours.p50)} / ${ms(c.hive.p50)} / ${ms(c.hiveRouter.p50)} / ${ms(c.apollo.p50)}`,
    String(
      [c.ours, c.oursUnshared, c.hive, c.hiveRouter, c.apollo].reduce((n, r) => n + r.errors, 0),
    ),
  ]),
)}

The operations are the web page's own (\`web/src/graphql/operations.ts\`); figures are
requests per second.${
      report.compareLatency
        ? `

The single-partner lookup (${title(report.compareLatency.operation).toLowerCase()}) at ${latency.connections} connection,
through each gateway against the direct call to the partner: what a gateway, one more process
and one more loopback hop, costs on this machine.

${table(
  ['', 'p50', 'p99', 'p50 / direct'],
  (
    [
      ['direct', report.compareLatency.direct],
      ['ours', report.compareLatency.ours],
      ['Hive Gateway', report.compareLatency.hive],
      ['Hive Gateway, Rust planner', report.compareLatency.hiveRouter],
      ['Apollo Gateway', report.compareLatency.apollo],
    ] as const
  ).map(([name, r]) => [
    name,
    ms(r.p50),
    ms(r.p99),
    ratio(r.p50 / report.compareLatency!.direct.p50),
  ]),
)}`
        : ''
    }`);
  }

  if (report.fanout.length) {
    const base = report.fanout[0]!;
    out.push(`## 3. Fan-out: the network calendar over more partners

The same ${size.spaces} spaces and ${size.events} events split over more partners (members
and passes left out: the calendar does not read them), our gateway, ${latency.connections}
connection. "Here": the real partner subgraphs, which all run in the bench's process on this
machine's ${report.machine.cores} cores, so their work adds up whatever the gateway does.
"Far away": each partner replaced by a stand-in that answers the partner's recorded answer
after ${REPLAY_DELAY_MS} ms at almost no cost here, as a partner on its own machine would: what
is left is what the gateway adds when it scatters a request and merges the answers.

${table(
  [
    'partners',
    'p50 here',
    'p99 here',
    `p50 / ${base.partners} partner`,
    'p50 far away',
    'p99 far away',
    `p50 far away / ${base.partners} partner`,
    'errors',
  ],
  report.fanout.map((f) => [
    String(f.partners),
    ms(f.result.p50),
    ms(f.result.p99),
    ratio(f.result.p50 / base.result.p50),
    ms(f.replayed.p50),
    ms(f.replayed.p99),
    ratio(f.replayed.p50 / base.replayed.p50),
    String(f.result.errors + f.replayed.errors),
  ]),
)}`);
  }

  if (report.statements.length) {
    out.push(`## 4. SQL statements per directory request

The partner's part of the web directory's query (its filters; each space's offers, opening
hours, next opening), sent to a partner subgraph running in the bench's process, for the web
page's first page (30) and a long page (200), counted with a drizzle logger. "figures" is the
partner's part of the coordinators' statistics page (visits per space and week, occupancy by
hour, events and their registrations, directory members by month, over a year), "rows" the
rows those four aggregates answered; "free resources" the partner's part of a search of free
meeting rooms across the network (a room in every space), "found" the rooms it answered.

${table(
  ['spaces of the partner', 'page asked', 'spaces in the page', 'statements / request'],
  report.statements.map((s) => [
    String(s.spaces),
    s.first === 0 ? 'figures' : s.first === FREE_RESOURCES ? 'free resources' : String(s.first),
    s.first === 0
      ? `${s.edges} rows`
      : s.first === FREE_RESOURCES
        ? `${s.edges} found`
        : String(s.edges),
    String(s.statements),
  ]),
)}`);
  }

  if (report.networkStatements.length) {
    out.push(`### The coordinators' pass pages

The network subgraph's statements for the "Réseau" console's own documents, sent to it in the
bench's process as a coordinator, over networks holding more and more passes (issued over the
last 300 days): the sales page (\`passSales\` by product, by seller and by month over the
year, three fields of one request), the first page of \`passes\` (50), and a search by the
first character of a code. "rows" are the buckets, or the passes of the page.

${table(
  ['passes of the network', 'request', 'rows', 'statements / request'],
  report.networkStatements.map((s) => [
    String(s.passes),
    NETWORK_REQUESTS[s.request],
    String(s.rows),
    String(s.statements),
  ]),
)}`);
  }

  if (report.embedded) {
    const e = report.embedded;
    out.push(`## 5. The embedded network

\`pnpm start\`'s command (the build's up-to-date check, then \`node gateway/dist/bundle/embedded.cjs\`;
built first) in a child process on a fresh DATA_DIR and free ports, then restarted on the folder
it made (the bundles compiled from the V8 code cache the first start saved), restarted again with
that cache removed, then on another fresh folder once the first start's migrated clusters are kept in the
temp folder (the first start has a temp folder of its own: nothing earlier helps it): time from
the command to the first answered query, the CPU time its process tree used
until then (the start's work, which a loaded machine stretches less), and the largest resident
memory of its process tree.

${
  'error' in e
    ? `Failed: \`${e.error.split('\n')[0]}\``
    : table(
        ['', 'first answer', 'CPU time until then', 'resident memory'],
        [
          [
            'first start',
            seconds(e.firstStart.firstAnswerMs),
            seconds(e.firstStart.cpuMs),
            mb(e.firstStart.rssBytes),
          ],
          [
            'restart',
            seconds(e.restart.firstAnswerMs),
            seconds(e.restart.cpuMs),
            mb(e.restart.rssBytes),
          ],
          ...(e.restartWithoutCodeCache
            ? [
                [
                  'restart without the code cache',
                  seconds(e.restartWithoutCodeCache.firstAnswerMs),
                  seconds(e.restartWithoutCodeCache.cpuMs),
                  mb(e.restartWithoutCodeCache.rssBytes),
                ],
              ]
            : []),
          ...(e.newFolder
            ? [
                [
                  'another fresh folder (migrated clusters kept)',
                  seconds(e.newFolder.firstAnswerMs),
                  seconds(e.newFolder.cpuMs),
                  mb(e.newFolder.rssBytes),
                ],
              ]
            : []),
        ],
      )
}${
      'buildMs' in e && e.buildMs !== undefined
        ? `\n\nBefore its first start a fresh clone builds: \`pnpm build\` (every package's \`dist/\` and the embedded network's bundle) took ${seconds(e.buildMs)}.`
        : ''
    }`);
  }

  if (report.cost) out.push(`## 6. The price of a query\n\n${renderCost(report.cost)}`);

  if (report.telemetry.length) {
    out.push(`## 7. The cost of logs, metrics and traces

Our gateway over the generated network, ${load.connections} connections, with its telemetry off
(errors logged only) and on (a JSON log line per request written to /dev/null, every metric
recorded, every request's and partner fetch's span exported over OTLP to a receiver in the
bench's process, ${(report.telemetryExportedBytes / 1024).toFixed(0)} KB in all), in turn and back.

${table(
  [
    'operation',
    'req/s off',
    'req/s on',
    'on / off',
    'p50 off',
    'p50 on',
    'p99 off',
    'p99 on',
    'errors',
  ],
  report.telemetry.map((t) => [
    title(t.operation),
    t.off.rps.toFixed(0),
    t.on.rps.toFixed(0),
    ratio(t.on.rps / t.off.rps),
    ms(t.off.p50),
    ms(t.on.p50),
    ms(t.off.p99),
    ms(t.on.p99),
    String(t.off.errors + t.on.errors),
  ]),
)}`);
  }

  if (report.outbox) out.push(renderOutbox(report.outbox, load));

  if (report.metrics) out.push(renderMetrics(report.metrics, load));

  if (report.trace) {
    out.push(`## 10. One trace of a directory request

A small generated network (${TRACE_SIZE.partners} partners, ${TRACE_SIZE.spaces} spaces) whose subgraphs export their spans over OTLP/HTTP
to a receiver in the bench's process, and our gateway, in its own process, exporting there too;
one directory request first, then a second one whose trace is this: ${report.trace.spans} spans
from ${report.trace.services.join(', ')}, each with its name, its service and how long it took.

\`\`\`text
${report.trace.lines.join('\n')}
\`\`\``);
  }

  if (notes.length) out.push(`## Notes\n\n${notes.map((n) => `- ${n}`).join('\n')}`);
  return `${out.join('\n\n')}\n`;
}

const REGISTRATIONS: Record<OutboxReport['registrations'][number]['registration'], string> = {
  guest: 'a guest registers themselves (the link to confirm is mailed)',
  member: 'a coordinator registers a member on a free seat (the confirmation is mailed)',
  waiting: 'the same on a full event: the waiting list, no mail',
};

/** `7`, or `6–7` when registrations of a kind cost different counts. */
export function statementRange(r: OutboxReport['registrations'][number]): string {
  const { min, max } = r.statements;
  return min === max ? String(min) : `${min}–${max}`;
}

function renderOutbox(outbox: OutboxReport, load: LoadSettings): string {
  const { backlog } = outbox;
  const l = outbox.load;
  return `## 8. The outbox: mails under load

A partner subgraph with its outbox dispatcher (nodemailer, pooled SMTP connections) sending to
a real SMTP server (smtp-server) in the bench's process, registrations sent through our
gateway. Statements are counted on the partner's database with a drizzle logger, the
dispatcher stopped; the mail's own are the difference between a registration that owes a mail
and one that owes none.

${table(
  ['registration', 'mail', 'requests counted', 'statements / request'],
  outbox.registrations.map((r) => [
    REGISTRATIONS[r.registration],
    r.mail ? 'yes' : 'no',
    String(r.requests),
    statementRange(r),
  ]),
)}

The dispatcher then started on a backlog of ${backlog.mails} mails (those above and a burst of
guest registrations): it delivered them in ${seconds(backlog.seconds * 1000)},
${(backlog.mails / backlog.seconds).toFixed(0)} mails/s, with ${backlog.statementsPerMail.toFixed(2)}
statements per mail (a claim per batch of 20, a mark per mail).

Under load: guests registering themselves from ${load.connections} connections for
${load.duration} s, a new address each time, over 32 events, the dispatcher running (woken
after each mutation). The lag runs from the mail's row \`created_at\` (its transaction's start,
just before the commit) to its arrival at the SMTP server, over the ${l.mails} mails of the
measured run.

${table(
  [
    'registrations/s',
    'p50',
    'p99',
    'errors',
    'mails delivered/s',
    'lag p50',
    'lag p99',
    'lag max',
    'outbox empty after the run',
  ],
  [
    [
      rps(l.registrations),
      ms(l.registrations.p50),
      ms(l.registrations.p99),
      String(l.registrations.errors),
      l.mailsPerSecond.toFixed(0),
      ms(l.lagP50),
      ms(l.lagP99),
      ms(l.lagMax),
      ms(l.drainMs),
    ],
  ],
)}`;
}

const count = (n: number | null) => (n === null ? '–' : n.toFixed(0));
const kb = (bytes: number | null) => (bytes === null ? '–' : `${(bytes / 1024).toFixed(0)} KB`);

/** Section 9: the services' own metrics during a load run. */
function renderMetrics(m: MetricsReport, load: LoadSettings): string {
  return `## 9. What \`/metrics\` says during a load run

A generated network whose subgraphs each serve \`/metrics\` on a port of their own (as deployed),
our gateway with its telemetry on (metrics, logs; no trace export), the mixed load at
${load.connections} connections for ${Math.max(load.duration, 2)} s. Every service was scraped when the measured part began,
in its middle (all ${m.services} answered, the slowest in ${m.midRunScrapeMs.toFixed(0)} ms) and at its end; the figures are
the difference between the first and the last scrape, parsed from the Prometheus text
(percentiles interpolated in the histograms' buckets, as \`histogram_quantile\` does).

${table(
  ['', 'autocannon', 'gateway metrics'],
  [
    [
      'requests',
      String(m.load.requests),
      `${count(m.gateway.requests)} (${count(m.gateway.requestsMidRun)} at the mid-run scrape)`,
    ],
    ['p50', ms(m.load.p50), ms(m.gateway.p50)],
    ['p99', ms(m.load.p99), ms(m.gateway.p99)],
    [
      'errors (metrics: by code, an answer may carry several)',
      String(m.load.errors),
      count(m.gateway.errors),
    ],
    ['fetches shared with one in flight', '', count(m.gateway.shared)],
  ],
)}

The gateway's fetches, by partner (and to the network subgraph):

${table(
  ['partner', 'fetches', 'p50', 'p99', 'errors', 'timeouts', 'bytes read'],
  m.partners.map((p) => [
    p.name,
    count(p.fetches),
    ms(p.p50),
    ms(p.p99),
    count(p.errors),
    count(p.timeouts),
    kb(p.bytes),
  ]),
)}

Each subgraph's own metrics (pool size and statements in flight from the mid-run scrape; SQL
statements ${m.subgraphs.reduce((n, s) => n + s.statements, 0).toFixed(0)} in all, against ${m.statementsCounted} counted by the bench's drizzle logger
over the same window):

${table(
  ['service', 'requests', 'p50', 'SQL statements', 'pool', 'in flight', 'outbox backlog'],
  m.subgraphs.map((s) => [
    s.service,
    count(s.requests),
    ms(s.p50),
    count(s.statements),
    count(s.pool),
    count(s.inFlight),
    s.outbox === null ? 'not exported' : count(s.outbox),
  ]),
)}`;
}
