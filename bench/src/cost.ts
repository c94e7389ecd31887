import {
  buildSchema,
  getNamedType,
  getNullableType,
  isListType,
  isNonNullType,
  isObjectType,
  isLeafType,
  Kind,
  parse,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Child } from './processes.js';
import { DEFAULT_LIMITS, listBounds, operationCost, type ListBound } from './workspace.js';

/** The attack of issue 12, on the paginated contract: 12 aliases of lists nested in lists. */
export const ATTACK = `{ ${Array.from(
  { length: 12 },
  (_, i) =>
    `a${i}: passProducts { edges { node { validAt { acceptedPasses { validAt { events(first: 9) { id title startsAt space { name } } } } } } } }`,
).join(' ')} }`;

const CONCURRENT = 8;
/** Nested lists under the root list of a candidate query. */
const MAX_NESTING = 2;

export interface Shot {
  status: number;
  ms: number;
  /** Bytes the client received. */
  bytes: number;
  /** Bytes of the answer the gateway built (more than `bytes` when it refused to send it). */
  builtBytes: number;
  code: string | null;
}

export interface CostReport {
  maxCost: number;
  maxResponseBytes: number;
  attack: Shot;
  candidates: number;
  /** The accepted query with the largest answer: the one run eight times at once. */
  worst: { query: string; cost: number; shot: Shot };
  /** The accepted query that took longest. */
  slowest: { query: string; cost: number; shot: Shot };
  concurrent: {
    queries: number;
    baselineRss: number;
    peakRss: number;
    ms: number;
    codes: Record<string, number>;
  };
}

async function shoot(url: string, query: string): Promise<Shot> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const body = JSON.parse(text) as {
    errors?: { extensions?: { code?: string; bytes?: number } }[];
  };
  const first = body.errors?.[0]?.extensions;
  const bytes = Buffer.byteLength(text);
  return {
    status: response.status,
    ms,
    bytes,
    builtBytes: first?.code === 'RESPONSE_TOO_LARGE' ? (first.bytes ?? bytes) : bytes,
    code: first?.code ?? null,
  };
}

/** The largest value a sliced argument may take, as its SDL description states it (`1 to N`). */
function argumentMaximum(field: GraphQLField<unknown, unknown>, name: string): number | null {
  const description = field.args.find((a) => a.name === name)?.description ?? '';
  const match = /1 to ([\d ]+)/.exec(description);
  return match ? Number(match[1]!.replace(/ /g, '')) : null;
}

interface ListStep {
  field: GraphQLField<unknown, unknown>;
  bound: ListBound | undefined;
  /** The object type of its items. */
  item: GraphQLObjectType;
  /** Whether its items sit under `edges { node }`. */
  connection: boolean;
}

/** The list fields of a type whose items are objects, and what a query must select to reach them. */
function listSteps(bounds: ReadonlyMap<string, ListBound>, type: GraphQLObjectType): ListStep[] {
  return Object.values(type.getFields()).flatMap((field): ListStep[] => {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) return [];
    const bound = bounds.get(`${type.name}.${field.name}`);
    const named = getNamedType(field.type);
    if (!isObjectType(named)) return [];
    if (bound?.sizedFields?.includes('edges')) {
      const edge = getNamedType(named.getFields().edges?.type);
      const node = isObjectType(edge) ? getNamedType(edge.getFields().node?.type) : undefined;
      return isObjectType(node) ? [{ field, bound, item: node, connection: true }] : [];
    }
    if (!isListType(getNullableType(field.type))) return [];
    return [{ field, bound, item: named, connection: false }];
  });
}

function leaves(type: GraphQLObjectType): string {
  return Object.values(type.getFields())
    .filter((f) => isLeafType(getNamedType(f.type)) && f.args.every((a) => !isNonNullType(a.type)))
    .map((f) => f.name)
    .join(' ');
}

/** One selection of a list step, its slicing argument at `size`, with `inner` inside its items. */
function select(step: ListStep, size: number, inner: string): string {
  const slicing = step.bound?.slicingArguments?.[0];
  const args = slicing ? `(${slicing}: ${size})` : '';
  const items = `${leaves(step.item)} ${inner}`.trim();
  return step.connection
    ? `${step.field.name}${args} { edges { node { ${items} } } }`
    : `${step.field.name}${args} { ${items} }`;
}

function price(schema: GraphQLSchema, bounds: ReadonlyMap<string, ListBound>, query: string) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return operationCost(schema, bounds, document, operation, {});
}

/**
 * The queries the limits accept that ask for the most: every path of up to MAX_NESTING lists
 * nested in a root list, each list at the page size that fits the cost limit (the root's
 * largest, the nested ones as large as their maximum allows), and as many aliases of it as the
 * limits let through.
 */
export function candidateQueries(
  supergraphSdl: string,
  maxCost: number,
): { query: string; cost: number }[] {
  const schema = buildSchema(supergraphSdl, { assumeValidSDL: true });
  const bounds = listBounds(supergraphSdl);
  const queries: { query: string; cost: number }[] = [];
  const aliases = Math.min(DEFAULT_LIMITS.maxAliases, DEFAULT_LIMITS.maxRootFields);
  const walk = (path: ListStep[]) => {
    const last = path.at(-1)!;
    if (path.length <= MAX_NESTING + 1) {
      let query: string | null = null;
      // Shrink the innermost sliced lists first, until one copy fits in maxCost / aliases.
      const sizes = path.map((s) =>
        s.bound?.slicingArguments
          ? (argumentMaximum(s.field, s.bound.slicingArguments[0]!) ?? 20)
          : 1,
      );
      for (let attempt = 0; attempt < 40; attempt++) {
        const body = path.reduceRight((inner, step, i) => select(step, sizes[i]!, inner), '');
        const one = price(schema, bounds, `{ ${body} }`);
        const copies = Math.max(1, Math.min(aliases, Math.floor(maxCost / one)));
        if (one <= maxCost) {
          query = `{ ${Array.from({ length: copies }, (_, i) => `a${i}: ${body}`).join(' ')} }`;
          break;
        }
        const shrink = sizes
          .map((s, i) => (s > 1 && path[i]!.bound?.slicingArguments ? i : -1))
          .filter((i) => i >= 0)
          .at(-1);
        if (shrink === undefined) break;
        sizes[shrink] = Math.max(1, Math.floor(sizes[shrink]! / 2));
      }
      if (query) queries.push({ query, cost: price(schema, bounds, query) });
    }
    if (path.length > MAX_NESTING) return;
    for (const next of listSteps(bounds, last.item)) walk([...path, next]);
  };
  const root = schema.getQueryType()!;
  for (const step of listSteps(bounds, root)) walk([step]);
  return queries;
}

/**
 * The cost section: searches the worst query the limits accept on the generated network, runs
 * eight of it at once against our gateway in its own process while sampling its resident
 * memory, and times the attack of issue 12.
 */
export async function measureCost(params: {
  url: string;
  gateway: Child;
  supergraphSdl: string;
  log: (message: string) => void;
}): Promise<CostReport> {
  const { url, gateway, log } = params;
  const maxCost = DEFAULT_LIMITS.maxCost;
  await shoot(url, ATTACK);
  const attack = await shoot(url, ATTACK);
  const candidates = candidateQueries(params.supergraphSdl, maxCost);
  log(`cost: trying ${candidates.length} queries the limits accept`);
  let worst: CostReport['worst'] | null = null;
  let slowest: CostReport['worst'] | null = null;
  for (const candidate of candidates) {
    let shot: Shot;
    try {
      shot = await shoot(url, candidate.query);
    } catch (error) {
      throw new Error(
        `cost: the gateway ${gateway.running() ? 'closed the connection' : 'died'} on ${candidate.query}`,
        { cause: error },
      );
    }
    log(
      `  cost ${candidate.cost}: HTTP ${shot.status} ${shot.code ?? ''} ${shot.ms.toFixed(0)} ms ${shot.builtBytes} bytes`,
    );
    if (shot.status !== 200) continue;
    if (!worst || shot.builtBytes > worst.shot.builtBytes) worst = { ...candidate, shot };
    if (!slowest || shot.ms > slowest.shot.ms) slowest = { ...candidate, shot };
  }
  if (!worst || !slowest)
    throw new Error('cost: the limits accepted none of the candidate queries');
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const baselineRss = gateway.rss();
  let peakRss = baselineRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, gateway.rss())), 10);
  const started = performance.now();
  const shots = await Promise.all(
    Array.from({ length: CONCURRENT }, () => shoot(url, worst!.query)),
  );
  const ms = performance.now() - started;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, gateway.rss());
  const codes: Record<string, number> = {};
  for (const s of shots) codes[s.code ?? 'OK'] = (codes[s.code ?? 'OK'] ?? 0) + 1;
  return {
    maxCost,
    maxResponseBytes: DEFAULT_LIMITS.maxResponseBytes,
    attack,
    candidates: candidates.length,
    worst,
    slowest,
    concurrent: { queries: CONCURRENT, baselineRss, peakRss, ms, codes },
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** The section of the report. */
export function renderCost(report: CostReport): string {
  const { attack, worst, slowest, concurrent } = report;
  const added = concurrent.peakRss - concurrent.baselineRss;
  return [
    `Limits: cost ${report.maxCost} values, answers of at most ${mb(report.maxResponseBytes)}.`,
    '',
    `- The attack of issue 12 (12 aliases of \`passProducts { validAt { acceptedPasses { validAt { events(first: 9) } } } }\`): HTTP ${attack.status} ${attack.code ?? ''}, ${attack.ms.toFixed(1)} ms, ${attack.bytes} bytes.`,
    `- The largest answer of ${report.candidates} accepted queries (cost ${worst.cost}): ${mb(worst.shot.builtBytes)} in ${worst.shot.ms.toFixed(0)} ms${worst.shot.code ? ` (with ${worst.shot.code})` : ''}.`,
    `- The slowest (cost ${slowest.cost}): ${slowest.shot.ms.toFixed(0)} ms for ${mb(slowest.shot.builtBytes)}${slowest.shot.code ? ` (with ${slowest.shot.code})` : ''}.`,
    `- ${concurrent.queries} of it at once: ${concurrent.ms.toFixed(0)} ms, the gateway from ${mb(concurrent.baselineRss)} to ${mb(concurrent.peakRss)} resident, **${mb(added)} added** (target < 300 MB: ${added < 300 * 1024 * 1024 ? 'met' : 'NOT met'}); answers ${Object.entries(
      concurrent.codes,
    )
      .map(([c, n]) => `${n} ${c}`)
      .join(', ')}.`,
    '',
    'The worst query found (largest answer):',
    '',
    '```graphql',
    worst.query,
    '```',
  ].join('\n');
}
