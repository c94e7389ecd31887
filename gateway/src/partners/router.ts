import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { decodeCursor, type CursorKey } from '@tiers-lieux/schema';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { routerError } from '../errors.js';
import type { PartnerEntry, PartnerRegistry } from '../registry.js';
import { callPartner, DEFAULT_MAX_RESPONSE_BYTES, type Json, type PartnerCall } from './call.js';
import { assembleConnection, mergePages, type EdgeRef } from './merge.js';
import { ownerOf, partnersNamedIn, solePartner, targetPartner } from './owners.js';
import {
  MERGE,
  argumentValues,
  pickVariables,
  planFetch,
  type FetchPlan,
  type RootFieldPlan,
} from './plan.js';
import { collapseRepeated, isUnderEdges, remapPath, withPartner } from './relay.js';

/** The answer for one root field: its value and the errors that go with it. */
interface FieldResult {
  value: unknown;
  errors: GraphQLFormattedError[];
}

type Context = Record<string, unknown>;

export interface PartnerRouterOptions {
  registry: PartnerRegistry;
  /** A schema holding the partners' root fields (the supergraph's API schema will do). */
  schema: GraphQLSchema;
  /** Time budget of one partner request, in milliseconds. */
  timeoutMs: number;
  /** Largest answer read from a partner, in bytes; a larger one is a bad response. */
  maxResponseBytes?: number;
  /** Headers for a partner request: the signed viewer, for one. */
  headersFor?: (partner: string, context: Context) => Promise<Record<string, string>>;
  /** Where a fetch plan is cached; plans depend only on the query text. */
  planCacheSize?: number;
  log?: (message: string) => void;
}

/**
 * The data source behind the partners' logical subgraph: every fetch the query planner sends
 * to it is routed to the live partner instances and their answers merged (DESIGN.md §2). It
 * never throws: a failing partner becomes a coded error next to the others' data.
 */
export class PartnerRouter implements GraphQLDataSource<Context> {
  private readonly plans = new Map<string, FetchPlan>();

  constructor(private readonly options: PartnerRouterOptions) {}

  async process(
    options: GraphQLDataSourceProcessOptions<Context>,
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
    context: Context,
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

  /** `_entities`: one request per partner named in the representations, answers in order. */
  private async entities(
    field: RootFieldPlan,
    variables: Json,
    context: Context,
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
    context: Context,
  ): Promise<FieldResult> {
    const partners = partnersNamedIn(argumentValues(field, variables));
    const sole = solePartner(this.options.registry);
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
    return this.single(target, field, variables, context);
  }

  /** A root field that any partner can answer alike (`_service`). */
  private async anyPartner(
    field: RootFieldPlan,
    variables: Json,
    context: Context,
  ): Promise<FieldResult> {
    const [partner] = this.options.registry.active();
    if (!partner)
      return {
        value: null,
        errors: [routerError('PARTNER_UNAVAILABLE', 'No active partner', [field.responseKey])],
      };
    return this.single(partner, field, variables, context);
  }

  /** A root field answered by one partner, as it answers it. */
  private async single(
    partner: PartnerEntry,
    field: RootFieldPlan,
    variables: Json,
    context: Context,
  ): Promise<FieldResult> {
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
    context: Context,
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
    context: Context,
  ): Promise<FieldResult> {
    const args = argumentValues(field, variables);
    if (solePartner(this.options.registry)) return this.anyPartner(field, variables, context);
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

    const merged = mergePages(
      pages.map(({ page, keys }) => {
        const info = page[MERGE.pageInfo] as Json | undefined;
        return {
          keys,
          hasNextPage: info?.[MERGE.hasNext] === true,
          hasPreviousPage: info?.[MERGE.hasPrevious] === true,
        };
      }),
      first,
      args.after != null,
    );

    for (const call of calls) {
      if (!call.ok) continue;
      const pageIndex = pages.findIndex((p) => p.partner === call.partner);
      for (const error of call.body.errors ?? []) {
        if (!isUnderEdges(error, field.responseKey)) continue;
        const position = merged.edges.findIndex(
          (e) => e.page === pageIndex && e.index === error.path![2],
        );
        if (position >= 0)
          errors.push({
            ...withPartner(error, call.partner),
            path: [field.responseKey, error.path![1]!, position, ...error.path!.slice(3)],
          });
      }
    }

    const cursorOf = (edge: EdgeRef) =>
      (pages[edge.page]!.page[MERGE.edges] as Json[])[edge.index]![MERGE.cursor] as string;
    const value = assembleConnection(
      field.field,
      plan.fragments,
      pages.map((p) => p.page),
      merged,
      cursorOf,
    );
    return { value, errors: collapseRepeated(errors) };
  }

  private scatter(field: RootFieldPlan, variables: Json, context: Context, query = field.query) {
    const partners = this.options.registry.active();
    return Promise.all(
      partners.map((p) => this.call(p, query, pickVariables(field, variables), context)),
    );
  }

  private call(
    partner: PartnerEntry,
    query: string,
    variables: Json,
    context: Context,
  ): Promise<PartnerCall> {
    const { timeoutMs, maxResponseBytes, headersFor, registry } = this.options;
    return callPartner(
      partner,
      {
        query,
        variables,
        headers: async () => (await headersFor?.(partner.slug, context)) ?? {},
      },
      { timeoutMs, maxResponseBytes: maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES },
      registry,
    );
  }

  private target(slug: string | null, path: (string | number)[]) {
    return targetPartner(this.options.registry, slug, path);
  }

  /** A partner's own error, naming the partner (unless it is the only one, as with a plain gateway). */
  private tag(error: GraphQLFormattedError, partner: string): GraphQLFormattedError {
    return solePartner(this.options.registry) ? error : withPartner(error, partner);
  }
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
