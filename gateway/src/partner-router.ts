import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  compareCursorKeys,
  decodeCursor,
  parseId,
  partnerOfId,
  type CursorKey,
} from '@tiers-lieux/schema';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { routerError, type RouterErrorCode } from './errors.js';
import {
  MERGE,
  argumentValues,
  pickVariables,
  planFetch,
  selectedFields,
  type FetchPlan,
  type RootFieldPlan,
} from './operation.js';
import type { PartnerEntry, PartnerRegistry } from './registry.js';

type Json = Record<string, unknown>;
type GraphQLBody = { data?: Json | null; errors?: GraphQLFormattedError[] };

type PartnerCall =
  | { ok: true; partner: string; body: GraphQLBody }
  | { ok: false; partner: string; error: GraphQLFormattedError };

/** The answer for one root field: its value and the errors that go with it. */
interface FieldResult {
  value: unknown;
  errors: GraphQLFormattedError[];
}

export interface PartnerRouterOptions {
  registry: PartnerRegistry;
  /** A schema holding the partners' root fields (the supergraph's API schema will do). */
  schema: GraphQLSchema;
  /** Time budget of one partner request, in milliseconds. */
  timeoutMs: number;
  /** Largest answer read from a partner, in bytes; a larger one is a bad response. */
  maxResponseBytes?: number;
  /** Headers for a partner request: the signed viewer, for one. */
  headersFor?: (
    partner: string,
    context: Record<string, unknown>,
  ) => Promise<Record<string, string>>;
  /** Where a fetch plan is cached; plans depend only on the query text. */
  planCacheSize?: number;
  log?: (message: string) => void;
}

/** A partner's page of results is kilobytes; this much is a partner gone wrong. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * A response body as text, or null when it is larger than `limit` bytes: the rest is not read,
 * so a partner streaming without end costs the gateway no more than the limit.
 */
async function readText(response: Response, limit: number): Promise<string | null> {
  if (Number(response.headers.get('content-length') ?? 0) > limit) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The data source behind the partners' logical subgraph: every fetch the query planner sends
 * to it is routed to the live partner instances and their answers merged (DESIGN.md §2). It
 * never throws: a failing partner becomes a coded error next to the others' data.
 */
export class PartnerRouter implements GraphQLDataSource<Record<string, unknown>> {
  private readonly plans = new Map<string, FetchPlan>();

  constructor(private readonly options: PartnerRouterOptions) {}

  async process(
    options: GraphQLDataSourceProcessOptions<Record<string, unknown>>,
  ): Promise<GatewayGraphQLResponse> {
    try {
      const query = options.request.query;
      if (!query)
        return { errors: [routerError('BAD_REQUEST', 'The subgraph fetch has no query')] };
      const plan = this.plan(query);
      const variables = (options.request.variables ?? {}) as Json;
      const context = options.context ?? {};
      const data: Json = {};
      const errors: GraphQLFormattedError[] = [];
      const run = (field: RootFieldPlan) => this.resolveField(field, plan, variables, context);
      // Mutations run one after the other, as GraphQL requires; query fields in parallel.
      const results =
        plan.operation === 'mutation'
          ? await plan.fields.reduce<Promise<FieldResult[]>>(
              async (done, field) => [...(await done), await run(field)],
              Promise.resolve([]),
            )
          : await Promise.all(plan.fields.map(run));
      plan.fields.forEach((field, i) => {
        data[field.responseKey] = results[i]!.value;
        errors.push(...results[i]!.errors);
      });
      return errors.length > 0 ? { data, errors } : { data };
    } catch (error) {
      this.options.log?.(`partner router: ${error instanceof Error ? error.stack : String(error)}`);
      return { errors: [routerError('INTERNAL_SERVER_ERROR', 'The partner router failed')] };
    }
  }

  private plan(query: string): FetchPlan {
    let plan = this.plans.get(query);
    if (!plan) {
      plan = planFetch(query, this.options.schema);
      if (this.plans.size >= (this.options.planCacheSize ?? 1000)) {
        this.plans.delete(this.plans.keys().next().value!);
      }
      this.plans.set(query, plan);
    }
    return plan;
  }

  private resolveField(
    field: RootFieldPlan,
    plan: FetchPlan,
    variables: Json,
    context: Record<string, unknown>,
  ): Promise<FieldResult> {
    switch (field.route.kind) {
      case 'entities':
        return this.entities(field, variables, context);
      case 'connection':
        return this.connection(field, plan, variables, context);
      case 'list':
        return this.list(field, variables, context);
      case 'byId':
      case 'mutation':
        return this.owned(field, variables, context);
      case 'any':
        return this.anyPartner(field, variables, context);
    }
  }

  /**
   * A partner that may receive traffic, or the error that says why not. With a single
   * partner, what names no partner goes to it: the router is then as transparent as a plain
   * gateway over one subgraph, whatever the subgraph's ids look like.
   */
  private target(
    slug: string | null,
    path: (string | number)[],
  ): PartnerEntry | GraphQLFormattedError {
    const sole = this.sole();
    if (!slug && sole) return sole;
    if (!slug) return routerError('BAD_USER_INPUT', 'The id does not name a partner', path);
    const partner = this.options.registry.get(slug);
    if (!partner)
      return routerError('UNKNOWN_PARTNER', `No partner "${slug}" in the network`, path, slug);
    if (partner.status !== 'ACTIVE') {
      return routerError('PARTNER_SUSPENDED', `Partner "${slug}" is suspended`, path, slug);
    }
    const incompatible = this.options.registry.incompatible().find((p) => p.slug === slug);
    if (incompatible) return incompatibleError(slug, path);
    return partner;
  }

  /** A partner's own error, naming the partner (unless it is the only one, as with a plain gateway). */
  private tag(error: GraphQLFormattedError, partner: string): GraphQLFormattedError {
    return this.sole() ? error : withPartner(error, partner);
  }

  /** The only partner of the network, when there is exactly one. */
  private sole(): PartnerEntry | null {
    const all = this.options.registry.all();
    const active = this.options.registry.active();
    return all.length === 1 && active.length === 1 ? active[0]! : null;
  }

  private async call(
    partner: PartnerEntry,
    query: string,
    variables: Json,
    context: Record<string, unknown>,
  ): Promise<PartnerCall> {
    const { timeoutMs, registry } = this.options;
    const signal = AbortSignal.timeout(timeoutMs);
    const fail = (code: RouterErrorCode, message: string): PartnerCall => {
      registry.record(partner.slug, code as 'PARTNER_UNAVAILABLE');
      return {
        ok: false,
        partner: partner.slug,
        error: routerError(code, message, undefined, partner.slug),
      };
    };
    try {
      const headers = (await this.options.headersFor?.(partner.slug, context)) ?? {};
      const response = await fetch(partner.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
        signal,
      });
      const limit = this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
      const text = await readText(response, limit);
      if (text === null) {
        return fail(
          'PARTNER_BAD_RESPONSE',
          `Partner "${partner.slug}" answered more than ${limit} bytes`,
        );
      }
      if (response.status >= 500) {
        return fail(
          'PARTNER_BAD_RESPONSE',
          `Partner "${partner.slug}" answered HTTP ${response.status}`,
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return fail('PARTNER_BAD_RESPONSE', `Partner "${partner.slug}" did not answer JSON`);
      }
      if (!isGraphQLBody(body)) {
        return fail(
          'PARTNER_BAD_RESPONSE',
          `Partner "${partner.slug}" did not answer a GraphQL response`,
        );
      }
      registry.record(partner.slug, 'ok');
      return { ok: true, partner: partner.slug, body };
    } catch (error) {
      if (signal.aborted) {
        return fail(
          'PARTNER_TIMEOUT',
          `Partner "${partner.slug}" did not answer within ${timeoutMs} ms`,
        );
      }
      const reason =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      return fail('PARTNER_UNAVAILABLE', `Partner "${partner.slug}" is unavailable (${reason})`);
    }
  }

  /** `_entities`: one request per partner named in the representations, answers in order. */
  private async entities(
    field: RootFieldPlan,
    variables: Json,
    context: Record<string, unknown>,
  ): Promise<FieldResult> {
    const representations = variables.representations;
    if (!Array.isArray(representations)) {
      return {
        value: null,
        errors: [routerError('BAD_REQUEST', '_entities needs $representations')],
      };
    }
    const value: unknown[] = representations.map(() => null);
    const errors: GraphQLFormattedError[] = [];
    const groups = new Map<string, { partner: PartnerEntry; indexes: number[] }>();
    representations.forEach((representation, index) => {
      const target = this.target(ownerOf(representation), [field.responseKey, index]);
      if (!('url' in target)) return void errors.push(target);
      const group = groups.get(target.slug) ?? { partner: target, indexes: [] };
      group.indexes.push(index);
      groups.set(target.slug, group);
    });
    await Promise.all(
      [...groups.values()].map(async ({ partner, indexes }) => {
        const call = await this.call(
          partner,
          field.query,
          {
            ...pickVariables(field, variables),
            representations: indexes.map((i) => representations[i]),
          },
          context,
        );
        const answered = call.ok ? call.body.data?.[field.responseKey] : undefined;
        if (!call.ok || !Array.isArray(answered) || answered.length !== indexes.length) {
          const error = call.ok
            ? routerError(
                'PARTNER_BAD_RESPONSE',
                `Partner "${partner.slug}" answered _entities of the wrong shape`,
                undefined,
                partner.slug,
              )
            : call.error;
          if (call.ok) this.options.registry.record(partner.slug, 'PARTNER_BAD_RESPONSE');
          for (const index of indexes) errors.push({ ...error, path: [field.responseKey, index] });
          return;
        }
        indexes.forEach((original, j) => (value[original] = answered[j]));
        for (const error of call.body.errors ?? []) {
          errors.push(
            remapPath(this.tag(error, partner.slug), field.responseKey, (j) => indexes[j]),
          );
        }
      }),
    );
    return { value, errors };
  }

  /** A root field on one partner's entity (`space(id:)`) or a mutation: the partner it names. */
  private async owned(
    field: RootFieldPlan,
    variables: Json,
    context: Record<string, unknown>,
  ): Promise<FieldResult> {
    const partners = partnersNamedIn(argumentValues(field, variables));
    const sole = this.sole();
    if (partners.size === 0 && sole) partners.add(sole.slug);
    if (partners.size !== 1) {
      const message =
        partners.size === 0
          ? `${field.fieldName} names no partner: give an id of the form <partner>:<kind>:<uuid> or a partner`
          : `${field.fieldName} names several partners (${[...partners].sort().join(', ')}); one request writes to one partner`;
      return { value: null, errors: [routerError('BAD_USER_INPUT', message, [field.responseKey])] };
    }
    const target = this.target([...partners][0]!, [field.responseKey]);
    if (!('url' in target)) return { value: null, errors: [target] };
    const call = await this.call(target, field.query, pickVariables(field, variables), context);
    if (!call.ok) return { value: null, errors: [{ ...call.error, path: [field.responseKey] }] };
    return {
      value: call.body.data?.[field.responseKey] ?? null,
      errors: (call.body.errors ?? []).map((e) => this.tag(e, target.slug)),
    };
  }

  private scatter(
    field: RootFieldPlan,
    variables: Json,
    context: Record<string, unknown>,
    query = field.query,
  ) {
    const partners = this.options.registry.active();
    const skipped = this.options.registry
      .incompatible()
      .map((p): PartnerCall => ({ ok: false, partner: p.slug, error: incompatibleError(p.slug) }));
    return Promise.all([
      ...partners.map((p) => this.call(p, query, pickVariables(field, variables), context)),
      ...skipped,
    ]);
  }

  /** A root field that any partner can answer alike (`_service`). */
  private async anyPartner(
    field: RootFieldPlan,
    variables: Json,
    context: Record<string, unknown>,
  ): Promise<FieldResult> {
    const [partner] = this.options.registry.active();
    if (!partner)
      return {
        value: null,
        errors: [routerError('PARTNER_UNAVAILABLE', 'No active partner', [field.responseKey])],
      };
    const call = await this.call(partner, field.query, pickVariables(field, variables), context);
    if (!call.ok) return { value: null, errors: [{ ...call.error, path: [field.responseKey] }] };
    return {
      value: call.body.data?.[field.responseKey] ?? null,
      errors: (call.body.errors ?? []).map((e) => this.tag(e, partner.slug)),
    };
  }

  /** A plain list root field: every active partner's items, partner after partner. */
  private async list(
    field: RootFieldPlan,
    variables: Json,
    context: Record<string, unknown>,
  ): Promise<FieldResult> {
    const calls = await this.scatter(field, variables, context);
    const value: unknown[] = [];
    const errors: GraphQLFormattedError[] = [];
    for (const call of calls) {
      if (!call.ok) {
        errors.push({ ...call.error, path: [field.responseKey] });
        continue;
      }
      const items = call.body.data?.[field.responseKey];
      const offset = value.length;
      if (Array.isArray(items)) value.push(...items);
      for (const error of call.body.errors ?? []) {
        errors.push(remapPath(this.tag(error, call.partner), field.responseKey, (j) => offset + j));
      }
    }
    return { value, errors };
  }

  /**
   * A connection: every active partner's first page after the same cursor, merged by the sort
   * key each cursor carries. Cursors are the sort keys of a total order shared by all
   * partners (name or distance or start, then uuid), so the merged list's cursors resume every
   * partner at the right place and paging never repeats nor skips an item.
   */
  private async connection(
    field: RootFieldPlan,
    plan: FetchPlan,
    variables: Json,
    context: Record<string, unknown>,
  ): Promise<FieldResult> {
    const args = argumentValues(field, variables);
    if (this.sole()) return this.anyPartner(field, variables, context);
    const first = typeof args.first === 'number' ? args.first : Number.POSITIVE_INFINITY;
    const calls = await this.scatter(field, variables, context, field.mergeQuery);
    const errors: GraphQLFormattedError[] = [];
    const pages: { partner: string; page: Json; keys: CursorKey[] }[] = [];
    for (const call of calls) {
      if (!call.ok) {
        errors.push({ ...call.error, path: [field.responseKey] });
        continue;
      }
      const page = call.body.data?.[field.responseKey] as Json | null | undefined;
      const keys = page ? cursorKeys(page) : null;
      if (page && !keys) {
        this.options.registry.record(call.partner, 'PARTNER_BAD_RESPONSE');
        errors.push(
          routerError(
            'PARTNER_BAD_RESPONSE',
            `Partner "${call.partner}" answered a connection without cursors`,
            [field.responseKey],
            call.partner,
          ),
        );
        continue;
      }
      if (page && keys) pages.push({ partner: call.partner, page, keys });
      // Field errors of a partner stay attached to the field; those inside edges are remapped below.
      for (const error of call.body.errors ?? []) {
        if (!isUnderEdges(error, field.responseKey)) errors.push(withPartner(error, call.partner));
      }
    }
    if (pages.length === 0 && errors.length > 0)
      return { value: null, errors: collapseRepeated(errors) };

    const candidates = pages.flatMap((p, pageIndex) =>
      p.keys.map((key, index) => ({ pageIndex, index, key })),
    );
    candidates.sort((a, b) => compareCursorKeys(a.key, b.key) || a.pageIndex - b.pageIndex);
    const taken = candidates.slice(0, first);
    const hasNextPage =
      taken.length < candidates.length ||
      pages.some((p) => (p.page[MERGE.pageInfo] as Json | undefined)?.[MERGE.hasNext] === true);
    const hasPreviousPage =
      args.after != null ||
      pages.some((p) => (p.page[MERGE.pageInfo] as Json | undefined)?.[MERGE.hasPrevious] === true);
    const cursorOf = (c: { pageIndex: number; index: number }) =>
      (pages[c.pageIndex]!.page[MERGE.edges] as Json[])[c.index]![MERGE.cursor] as string;
    const merged = {
      hasNextPage,
      hasPreviousPage,
      startCursor: taken[0] ? cursorOf(taken[0]) : null,
      endCursor: taken.at(-1) ? cursorOf(taken.at(-1)!) : null,
    };

    for (const call of calls) {
      if (!call.ok) continue;
      const pageIndex = pages.findIndex((p) => p.partner === call.partner);
      for (const error of call.body.errors ?? []) {
        if (!isUnderEdges(error, field.responseKey)) continue;
        const position = taken.findIndex(
          (t) => t.pageIndex === pageIndex && t.index === error.path![2],
        );
        if (position >= 0)
          errors.push({
            ...withPartner(error, call.partner),
            path: [field.responseKey, error.path![1]!, position, ...error.path!.slice(3)],
          });
      }
    }

    const value: Json = {};
    for (const [key, node] of selectedFields(field.field.selectionSet, plan.fragments)) {
      switch (node.name.value) {
        case 'edges':
          value[key] = taken.map((t) => (pages[t.pageIndex]!.page[key] as unknown[])[t.index]);
          break;
        case 'totalCount':
          value[key] = pages.reduce((sum, p) => sum + Number(p.page[key] ?? 0), 0);
          break;
        case 'pageInfo': {
          const info: Json = {};
          for (const [infoKey, infoNode] of selectedFields(node.selectionSet, plan.fragments)) {
            const name = infoNode.name.value;
            info[infoKey] =
              name === '__typename' ? 'PageInfo' : merged[name as keyof typeof merged];
          }
          value[key] = info;
          break;
        }
        default:
          value[key] = pages[0]?.page[key] ?? null;
      }
    }
    return { value, errors: collapseRepeated(errors) };
  }
}

/**
 * The same error from every partner (a bad argument all of them refuse) is one error for the
 * client, not one per partner: it then names no partner.
 */
function collapseRepeated(errors: GraphQLFormattedError[]): GraphQLFormattedError[] {
  const byKey = new Map<string, { error: GraphQLFormattedError; count: number }>();
  for (const error of errors) {
    const key = JSON.stringify([error.message, error.path, error.extensions?.code]);
    const seen = byKey.get(key);
    if (seen) seen.count++;
    else byKey.set(key, { error, count: 1 });
  }
  return [...byKey.values()].map(({ error, count }) => {
    if (count === 1) return error;
    const { partner: _partner, ...extensions } = error.extensions ?? {};
    return { ...error, extensions };
  });
}

function cursorKeys(page: Json): CursorKey[] | null {
  const edges = page[MERGE.edges];
  if (!Array.isArray(edges)) return null;
  const keys: CursorKey[] = [];
  for (const edge of edges) {
    const cursor = (edge as Json | null)?.[MERGE.cursor];
    const key = typeof cursor === 'string' ? decodeCursor(cursor, 2) : null;
    if (!key) return null;
    keys.push(key);
  }
  return keys;
}

function isUnderEdges(error: GraphQLFormattedError, responseKey: string): boolean {
  const path = error.path;
  return !!path && path[0] === responseKey && path.length >= 3 && typeof path[2] === 'number';
}

/** An active partner that does not serve the partner contract gets no traffic: said, per partner. */
function incompatibleError(partner: string, path?: (string | number)[]): GraphQLFormattedError {
  return routerError(
    'PARTNER_INCOMPATIBLE',
    `Partner "${partner}" does not serve the partner contract and gets no traffic`,
    path,
    partner,
  );
}

function withPartner(error: GraphQLFormattedError, partner: string): GraphQLFormattedError {
  return { ...error, extensions: { ...error.extensions, partner } };
}

/** Maps `[key, j, …]` of a partner's answer to `[key, original(j), …]` of the merged one. */
function remapPath(
  error: GraphQLFormattedError,
  responseKey: string,
  original: (j: number) => number | undefined,
): GraphQLFormattedError {
  const path = error.path;
  if (!path || path[0] !== responseKey || typeof path[1] !== 'number') return error;
  const index = original(path[1]);
  return index === undefined ? error : { ...error, path: [responseKey, index, ...path.slice(2)] };
}

/**
 * The partner an entity representation belongs to: the one its id names, or, for a `Partner`
 * (whose key is its slug), that partner itself.
 */
function ownerOf(representation: unknown): string | null {
  const { __typename, id, slug } = (representation ?? {}) as Json;
  if (typeof id === 'string') return partnerOfId(id);
  return __typename === 'Partner' && typeof slug === 'string' ? slug : null;
}

/**
 * The partners an operation's arguments name: through ids of the documented form, and
 * through `partner` fields of inputs (a creation names the partner that will own the row).
 */
export function partnersNamedIn(
  value: unknown,
  key?: string,
  found = new Set<string>(),
): Set<string> {
  if (typeof value === 'string') {
    const parsed = parseId(value);
    if (parsed) found.add(parsed.partner);
    else if (key === 'partner') found.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) partnersNamedIn(item, key, found);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) partnersNamedIn(v, k, found);
  }
  return found;
}

function isGraphQLBody(body: unknown): body is GraphQLBody {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const { data, errors } = body as Record<string, unknown>;
  const dataOk =
    data === undefined || data === null || (typeof data === 'object' && !Array.isArray(data));
  const errorsOk =
    errors === undefined ||
    (Array.isArray(errors) &&
      errors.every((e) => e && typeof e === 'object' && typeof (e as Json).message === 'string'));
  return dataOk && errorsOk && (data !== undefined || errors !== undefined);
}
