import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { decodeCursor, encodeCursor, type CursorKey } from '@tiers-lieux/schema';
import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  valueFromASTUntyped,
  type FieldNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { routerError } from '../errors.js';
import type { PartnerEntry, PartnerRegistry } from '../registry.js';
import type { FetchObserver } from '../telemetry.js';
import { callPartner, DEFAULT_MAX_RESPONSE_BYTES, type Json, type PartnerCall } from './call.js';
import { checkValue, idOf, INVALID, newCheckContext, type CheckContext } from './contract.js';
import {
  assembleConnection,
  mergeEntityParts,
  mergePages,
  orderByPath,
  ROOT_LIST_MERGES,
  sumByKeys,
  type EdgeRef,
  type ListOrder,
} from './merge.js';
import {
  EVERY_PARTNER_MUTATIONS,
  incompatibleError,
  isNetworkRepresentation,
  ownerOf,
  partnersHolding,
  partnersNamedIn,
  solePartner,
  targetPartner,
} from './owners.js';
import {
  MERGE,
  argumentValues,
  pickVariables,
  planFetch,
  type FetchPlan,
  selectedFields,
  type RootFieldPlan,
} from './plan.js';
import { fillOutdated, stripOutdated, type StrippedOperation } from './outdated.js';
import { checkedKey, MERGED_LIST_ORDERS, rankingOf } from './ranking.js';
import { collapseRepeated, isUnderEdges, relayPartnerError, remapPath } from './relay.js';

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
  /** Headers for a partner request: the signed viewer, for one, bound to the request's body. */
  headersFor?: (
    partner: string,
    context: Context,
    request: { query: string; variables: Json },
  ) => Promise<Record<string, string>>;
  /** Where a fetch plan is cached; plans depend only on the query text. */
  planCacheSize?: number;
  log?: (message: string) => void;
  /** Told of each partner request (duration, outcome, bytes) and of each answer that broke the contract. */
  observer?: Pick<FetchObserver, 'fetch' | 'breach'>;
}

/**
 * The data source behind the partners' logical subgraph: every fetch the query planner sends
 * to it is routed to the live partner instances and their answers merged (docs/architecture.md §3). It
 * never throws: a failing partner becomes a coded error next to the others' data.
 */
export class PartnerRouter implements GraphQLDataSource<Context> {
  private readonly plans = new Map<string, FetchPlan>();
  /** Operations rewritten for partners on an earlier contract version, by version and query. */
  private readonly stripped = new Map<string, StrippedOperation>();
  /** The router's own errors among a partner's, which are not relayed as the partner's. */
  private readonly ownErrors = new WeakSet<GraphQLFormattedError>();

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
        return this.entities(field, plan, variables, context);
      case 'connection':
        return this.connection(field, plan, variables, context);
      case 'list':
        return this.list(field, plan, variables, context);
      case 'byId':
      case 'mutation':
        return this.owned(field, plan, variables, context);
      case 'any':
        return this.anyPartner(field, plan, variables, context);
    }
  }

  /** `_entities`: one request per partner named in the representations, answers in order. */
  private async entities(
    field: RootFieldPlan,
    plan: FetchPlan,
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
    const everyPartners: number[] = [];
    representations.forEach((representation, index) => {
      if (isNetworkRepresentation(representation)) return void everyPartners.push(index);
      const target = this.target(ownerOf(representation), [field.responseKey, index]);
      if (!('url' in target)) return void errors.push(target);
      const typename = String((representation as Json | null)?.__typename);
      const { version, coordinates } = this.options.registry.outdatedOf(target.slug);
      if (coordinates.has(typename))
        return void errors.push(
          outdatedError(target.slug, version, [typename], [field.responseKey, index]),
        );
      const group = groups.get(target.slug) ?? { partner: target, indexes: [] };
      group.indexes.push(index);
      groups.set(target.slug, group);
    });
    const scattered =
      everyPartners.length > 0
        ? this.entitiesOfEveryPartner(field, plan, variables, context, everyPartners)
        : null;
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
          if (call.ok) {
            this.options.registry.record(partner.slug, 'PARTNER_BAD_RESPONSE');
            this.options.observer?.breach(partner.slug, indexes.length, 0);
          }
          for (const index of indexes) errors.push({ ...error, path: [field.responseKey, index] });
          return;
        }
        const ctx = this.checkContext(plan, partner.slug);
        indexes.forEach((original, j) => {
          const representation = representations[original] as Record<string, unknown>;
          const type = this.options.schema.getType(String(representation?.__typename));
          const item = answered[j];
          if (item === null || item === undefined || !isObjectType(type)) return;
          const checked = checkValue(
            item,
            type,
            field.field.selectionSet,
            [field.responseKey, original],
            ctx,
          );
          const id = idOf(checked);
          if (checked !== INVALID && (id === null || id === representation.id)) {
            value[original] = checked;
          } else {
            if (checked !== INVALID)
              ctx.breaches.push({
                path: [field.responseKey, original],
                reason: 'another entity than the one asked',
              });
            ctx.dropped++;
          }
        });
        const bad = this.badResponse(ctx);
        if (bad) errors.push({ ...bad, path: ctx.breaches[0]!.path.slice(0, 2) });
        for (const error of call.body.errors ?? []) {
          errors.push(
            remapPath(this.relay(error, partner.slug), field.responseKey, (j) => indexes[j]),
          );
        }
      }),
    );
    if (scattered) {
      const merged = await scattered;
      everyPartners.forEach((original, j) => (value[original] = merged.values[j]));
      errors.push(...merged.errors);
    }
    return { value, errors };
  }

  /**
   * The representations whose key names no partner (a `Person`): asked of every active
   * partner, each answer checked as any partner's, and merged per representation
   * (`mergeEntityParts`). A partner that fails gives its error at each of these paths; the
   * others' parts still come.
   */
  private async entitiesOfEveryPartner(
    field: RootFieldPlan,
    plan: FetchPlan,
    variables: Json,
    context: Context,
    indexes: number[],
  ): Promise<{ values: unknown[]; errors: GraphQLFormattedError[] }> {
    const representations = indexes.map((i) => (variables.representations as unknown[])[i]);
    const errors: GraphQLFormattedError[] = [];
    const atEach = (error: GraphQLFormattedError) => {
      for (const index of indexes) errors.push({ ...error, path: [field.responseKey, index] });
    };
    const parts: unknown[][] = indexes.map(() => []);
    const calls = await Promise.all(
      this.options.registry
        .active()
        .map((partner) =>
          this.call(
            partner,
            field.query,
            { ...pickVariables(field, variables), representations },
            context,
          ),
        ),
    );
    for (const partner of this.options.registry.incompatible())
      atEach(incompatibleError(partner.slug));
    for (const call of calls) {
      const answered = call.ok ? call.body.data?.[field.responseKey] : undefined;
      if (!call.ok || !Array.isArray(answered) || answered.length !== indexes.length) {
        if (call.ok) this.options.registry.record(call.partner, 'PARTNER_BAD_RESPONSE');
        atEach(
          call.ok
            ? routerError(
                'PARTNER_BAD_RESPONSE',
                `Partner "${call.partner}" answered _entities of the wrong shape`,
                undefined,
                call.partner,
              )
            : call.error,
        );
        continue;
      }
      const ctx = this.checkContext(plan, call.partner);
      representations.forEach((representation, j) => {
        const type = this.options.schema.getType(
          String((representation as Json | null)?.__typename),
        );
        const item = answered[j];
        if (item === null || item === undefined || !isObjectType(type)) return;
        const path = [field.responseKey, indexes[j]!];
        const checked = checkValue(item, type, field.field.selectionSet, path, ctx);
        const id = idOf(checked);
        if (checked !== INVALID && (id === null || id === (representation as Json).id))
          parts[j]!.push(checked);
        else if (checked !== INVALID) {
          ctx.breaches.push({ path, reason: 'another entity than the one asked' });
          ctx.dropped++;
        }
      });
      const bad = this.badResponse(ctx);
      if (bad) errors.push({ ...bad, path: ctx.breaches[0]!.path.slice(0, 2) });
      // Inside a merged entity a partner's paths no longer point at the right item: its errors
      // stay on the representation.
      for (const error of call.body.errors ?? []) {
        const relayed = this.relay(error, call.partner);
        const j = relayed.path?.[1];
        errors.push({
          ...relayed,
          path:
            typeof j === 'number' && indexes[j] !== undefined
              ? [field.responseKey, indexes[j]]
              : [field.responseKey],
        });
      }
    }
    const values = representations.map((representation, j) =>
      mergeEntityParts(parts[j]!, (key) =>
        this.mergedListOrder(
          field,
          plan,
          variables,
          String((representation as Json | null)?.__typename),
          key,
        ),
      ),
    );
    return { values, errors };
  }

  /**
   * How a merged entity's list at `responseKey` is ordered (ranking.ts), when the fetch selects
   * what it takes, and how many items it may hold: its `first`, as each partner applied it.
   */
  private mergedListOrder(
    field: RootFieldPlan,
    plan: FetchPlan,
    variables: Json,
    typename: string,
    responseKey: string,
  ): ListOrder | null {
    const node = selectedFields(field.field.selectionSet, plan.fragments, typename).get(
      responseKey,
    );
    if (!node) return null;
    const limit = this.firstOf(typename, node, variables);
    const unordered =
      limit === undefined ? null : { descending: false, valueOf: () => null, limit };
    const order = MERGED_LIST_ORDERS[`${typename}.${node.name.value}`];
    if (!order) return unordered;
    const keys: string[] = [];
    let selection = node.selectionSet;
    for (const name of order.path) {
      const found = [...selectedFields(selection, plan.fragments)].find(
        ([, n]) => n.name.value === name,
      );
      if (!found) return unordered;
      keys.push(found[0]);
      selection = found[1].selectionSet;
    }
    return {
      descending: order.descending,
      limit,
      valueOf: (item) => {
        let value: unknown = item;
        for (const key of keys)
          value = value && typeof value === 'object' ? (value as Json)[key] : undefined;
        if (typeof value === 'number') return value;
        if (typeof value !== 'string') return null;
        const instant = Date.parse(value);
        return Number.isFinite(instant) ? instant : value;
      },
    };
  }

  /** The `first` a list field was asked with (its default when not given), if it takes one. */
  private firstOf(typename: string, node: FieldNode, variables: Json): number | undefined {
    const type = this.options.schema.getType(typename);
    const argument = isObjectType(type)
      ? type.getFields()[node.name.value]?.args.find((a) => a.name === 'first')
      : undefined;
    if (!argument) return undefined;
    const given = node.arguments?.find((a) => a.name.value === 'first');
    const value = given ? valueFromASTUntyped(given.value, variables) : argument.defaultValue;
    return typeof value === 'number' && value >= 0 ? value : undefined;
  }

  /** A root field on one partner's entity (`space(id:)`) or a mutation: the partner it names. */
  private async owned(
    field: RootFieldPlan,
    plan: FetchPlan,
    variables: Json,
    context: Context,
  ): Promise<FieldResult> {
    const partners = partnersNamedIn(argumentValues(field, variables));
    if (
      plan.operation === 'mutation' &&
      partners.size === 0 &&
      EVERY_PARTNER_MUTATIONS.has(field.fieldName)
    )
      return this.everyPartner(field, plan, variables, context);
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
    return this.single(target, field, plan, variables, context);
  }

  /**
   * A mutation of `EVERY_PARTNER_MUTATIONS`: sent to every active partner, one answer kept
   * (they answer alike; a partner's refusal, a payload with an `error`, is the one kept), and
   * the error of each partner that failed, so the client knows where the write did not happen.
   */
  private async everyPartner(
    field: RootFieldPlan,
    plan: FetchPlan,
    variables: Json,
    context: Context,
  ): Promise<FieldResult> {
    const results = await Promise.all(
      this.options.registry
        .active()
        .map((partner) => this.single(partner, field, plan, variables, context)),
    );
    const errors = [
      ...this.options.registry
        .incompatible()
        .map((partner) => incompatibleError(partner.slug, [field.responseKey])),
      ...results.flatMap((result) => result.errors),
    ];
    const answers = results
      .map((result) => result.value)
      .filter((value): value is Json => value !== null && typeof value === 'object');
    const refused = answers.find((answer) => answer.error != null);
    if (answers.length === 0 && errors.length === 0)
      errors.push(routerError('PARTNER_UNAVAILABLE', 'No active partner', [field.responseKey]));
    return { value: refused ?? answers[0] ?? null, errors };
  }

  /** A root field that any partner can answer alike (`_service`). */
  private async anyPartner(
    field: RootFieldPlan,
    plan: FetchPlan,
    variables: Json,
    context: Context,
  ): Promise<FieldResult> {
    const [partner] = this.options.registry.active();
    if (!partner)
      return {
        value: null,
        errors: [routerError('PARTNER_UNAVAILABLE', 'No active partner', [field.responseKey])],
      };
    return this.single(partner, field, plan, variables, context);
  }

  /** A root field answered by one partner, as far as its answer keeps the contract. */
  private async single(
    partner: PartnerEntry,
    field: RootFieldPlan,
    plan: FetchPlan,
    variables: Json,
    context: Context,
  ): Promise<FieldResult> {
    const call = await this.call(partner, field.query, pickVariables(field, variables), context);
    if (!call.ok) return { value: null, errors: [{ ...call.error, path: [field.responseKey] }] };
    const answered = call.body.data?.[field.responseKey] ?? null;
    const ctx = this.checkContext(plan, partner.slug);
    // A null root field is the partner's own error, which comes with it.
    const checked =
      field.type && answered !== null
        ? checkValue(answered, field.type, field.field.selectionSet, [field.responseKey], ctx)
        : answered;
    const bad = this.badResponse(ctx);
    return {
      value: checked === INVALID ? null : checked,
      errors: [
        ...(bad ? [{ ...bad, path: [field.responseKey] }] : []),
        ...(call.body.errors ?? []).map((e) => this.relay(e, partner.slug)),
      ],
    };
  }

  /** A plain list root field: every active partner's items, partner after partner. */
  private async list(
    field: RootFieldPlan,
    plan: FetchPlan,
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
      const ctx = this.checkContext(plan, call.partner);
      const items = call.body.data?.[field.responseKey];
      const checked =
        field.type && items != null
          ? checkValue(items, field.type, field.field.selectionSet, [field.responseKey], ctx)
          : items;
      const bad = this.badResponse(ctx);
      if (bad) errors.push({ ...bad, path: [field.responseKey] });
      const offset = value.length;
      if (Array.isArray(checked)) value.push(...checked);
      // Paths into a list some of whose items were left out no longer point at the right item.
      for (const error of call.body.errors ?? []) {
        const relayed = this.relay(error, call.partner);
        errors.push(
          ctx.dropped === 0
            ? remapPath(relayed, field.responseKey, (j) => offset + j)
            : { ...relayed, path: [field.responseKey] },
        );
      }
    }
    return { value: this.mergeRootList(field, variables, value, errors), errors };
  }

  /** A root list of figures summed or ordered across partners (`ROOT_LIST_MERGES`). */
  private mergeRootList(
    field: RootFieldPlan,
    variables: Json,
    value: unknown[],
    errors: GraphQLFormattedError[],
  ): unknown[] {
    const merge = ROOT_LIST_MERGES[field.fieldName];
    if (!merge) return value;
    const items = value as Json[];
    // Error paths into the list point at the partner's own positions, which a merge moves.
    errors.forEach((error, i) => {
      if (error.path && error.path.length > 1) errors[i] = { ...error, path: [field.responseKey] };
    });
    if (merge.kind === 'sum') return sumByKeys(items, merge.keys, merge.counts);
    const first = argumentValues(field, variables)[merge.limitArgument];
    return orderByPath(
      items,
      merge.path,
      merge.descending,
      typeof first === 'number' ? first : Number.POSITIVE_INFINITY,
    );
  }

  /**
   * A connection: every active partner's first page after the same cursor, merged by the sort
   * key of each edge. Keys are those of a total order shared by all partners (name or distance
   * or start, then uuid), checked against the fields of each node (ranking.ts), so the merged
   * list's cursors resume every partner at the right place and paging never repeats nor skips
   * an item, and no partner puts its items first by choosing its own keys.
   */
  private async connection(
    field: RootFieldPlan,
    plan: FetchPlan,
    variables: Json,
    context: Context,
  ): Promise<FieldResult> {
    const args = argumentValues(field, variables);
    if (solePartner(this.options.registry)) return this.anyPartner(field, plan, variables, context);
    const first = typeof args.first === 'number' ? args.first : Number.POSITIVE_INFINITY;
    const calls = await this.scatter(field, variables, context, field.mergeQuery);
    const errors: GraphQLFormattedError[] = [];
    const pages: { partner: string; page: Json; keys: CursorKey[] }[] = [];
    for (const call of calls) {
      if (!call.ok) {
        errors.push({ ...call.error, path: [field.responseKey] });
        continue;
      }
      const ctx = this.checkContext(plan, call.partner);
      const page = this.checkPage(
        call.body.data?.[field.responseKey],
        field,
        plan,
        args,
        first,
        ctx,
      );
      const bad = this.badResponse(ctx);
      if (bad) errors.push({ ...bad, path: [field.responseKey] });
      if (page) pages.push({ partner: call.partner, ...page });
      // Field errors of a partner stay attached to the field; those inside edges are remapped
      // below, unless edges were left out of its page.
      for (const error of call.body.errors ?? []) {
        if (!isUnderEdges(error, field.responseKey) || ctx.dropped > 0)
          errors.push({ ...this.relay(error, call.partner), path: [field.responseKey] });
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
      if (pageIndex < 0) continue;
      for (const error of call.body.errors ?? []) {
        if (!isUnderEdges(error, field.responseKey)) continue;
        const position = merged.edges.findIndex(
          (e) => e.page === pageIndex && e.index === error.path![2],
        );
        const relayed = this.relay(error, call.partner);
        if (position >= 0 && relayed.path)
          errors.push({
            ...relayed,
            path: [field.responseKey, relayed.path[1]!, position, ...relayed.path.slice(3)],
          });
      }
    }

    const cursorOf = (edge: EdgeRef) => encodeCursor(pages[edge.page]!.keys[edge.index]!);
    const value = assembleConnection(
      field.field,
      plan.fragments,
      pages.map((p) => p.page),
      merged,
      cursorOf,
    );
    return { value, errors: collapseRepeated(errors) };
  }

  /**
   * One partner's page of a connection, checked: at most `first` + 1 edges, each edge valid
   * in every list of edges the fetch selected (the client's and the router's), owned by the
   * partner, once, with a cursor that agrees with its node; the sort key of each kept edge.
   * Null when the page brings nothing, or nothing that can be trusted.
   */
  private checkPage(
    raw: unknown,
    field: RootFieldPlan,
    plan: FetchPlan,
    args: Json,
    first: number,
    ctx: CheckContext,
  ): { page: Json; keys: CursorKey[] } | null {
    if (raw === null || raw === undefined) return null;
    const path = [field.responseKey];
    const connection = field.type ? getNamedType(field.type) : null;
    if (!isObjectType(connection) || typeof raw !== 'object' || Array.isArray(raw)) {
      ctx.breaches.push({ path, reason: 'not a connection' });
      return null;
    }
    const page = raw as Json;
    const selected = [...selectedFields(field.mergeField.selectionSet, plan.fragments)];
    const edgeKeys = selected.filter(([, node]) => node.name.value === 'edges');
    const lists = edgeKeys.map(([key]) => page[key]);
    const length = Array.isArray(lists[0]) ? lists[0].length : -1;
    if (lists.some((list) => !Array.isArray(list) || list.length !== length)) {
      ctx.breaches.push({ path, reason: 'edges that are not lists of the same items' });
      return null;
    }
    const kept = Math.min(length, first + 1);
    if (length > kept) {
      ctx.breaches.push({ path, reason: `more than first + 1 (${kept}) edges` });
      ctx.dropped += length - kept;
    }
    const edgesField = connection.getFields().edges!;
    const edgeType = getNullableType(edgesField.type);
    const itemType = isListType(edgeType) ? edgeType.ofType : edgeType;
    const valid = Array.from({ length: kept }, () => true);
    const checkedLists = edgeKeys.map(([key, node]) =>
      (page[key] as unknown[]).slice(0, kept).map((edge, i) => {
        const checked = checkValue(edge, itemType, node.selectionSet, [...path, key, i], ctx);
        if (checked === INVALID) valid[i] = false;
        return checked;
      }),
    );
    const routerEdges = checkedLists[edgeKeys.findIndex(([key]) => key === MERGE.edges)] ?? [];
    const ranking = rankingOf(connection.name, args);
    const keys: CursorKey[] = [];
    const seen = new Set<string>();
    routerEdges.forEach((edge, i) => {
      if (!valid[i]) return;
      const { [MERGE.cursor]: cursor, [MERGE.node]: node } = edge as Json;
      const cursorKey = typeof cursor === 'string' ? decodeCursor(cursor, 2) : null;
      const key = ranking ? checkedKey(ranking, cursorKey, node as Json | undefined) : cursorKey;
      const id = (node as Json | undefined)?.id;
      if (!key) {
        ctx.breaches.push({ path: [...path, 'edges', i], reason: 'a cursor that is not its node' });
        valid[i] = false;
      } else if (typeof id === 'string' && seen.has(id)) {
        ctx.breaches.push({ path: [...path, 'edges', i], reason: 'a second item of the same id' });
        valid[i] = false;
      } else {
        if (typeof id === 'string') seen.add(id);
        keys.push(key);
      }
    });
    ctx.dropped += valid.filter((ok) => !ok).length;
    const out: Json = {};
    edgeKeys.forEach(([key], k) => (out[key] = checkedLists[k]!.filter((_, i) => valid[i])));
    const fields = connection.getFields();
    for (const [key, node] of selected) {
      if (node.name.value === 'edges') continue;
      const type = node.name.value === '__typename' ? null : fields[node.name.value]?.type;
      if (!type) {
        out[key] = connection.name;
        continue;
      }
      const checked = checkValue(page[key], type, node.selectionSet, [...path, key], ctx);
      if (checked === INVALID) return null;
      out[key] = checked;
    }
    return { page: out, keys };
  }

  private scatter(field: RootFieldPlan, variables: Json, context: Context, query = field.query) {
    const holders = partnersHolding(argumentValues(field, variables));
    const concerned = (slug: string) => holders === null || holders.has(slug);
    const partners = this.options.registry.active().filter((p) => concerned(p.slug));
    const skipped = this.options.registry
      .incompatible()
      .filter((p) => concerned(p.slug))
      .map((p): PartnerCall => ({
        ok: false,
        partner: p.slug,
        error: incompatibleError(p.slug),
        bytes: 0,
      }));
    return Promise.all([
      ...partners.map((p) => this.call(p, query, pickVariables(field, variables), context)),
      ...skipped,
    ]);
  }

  private async call(
    partner: PartnerEntry,
    planned: string,
    variables: Json,
    context: Context,
  ): Promise<PartnerCall> {
    const { timeoutMs, maxResponseBytes, headersFor, registry, schema, observer } = this.options;
    const { version, coordinates } = registry.outdatedOf(partner.slug);
    const rewrite = coordinates.size > 0 ? this.strip(planned, version, coordinates) : null;
    const query = rewrite?.query ?? planned;
    const observed = observer?.fetch('space', partner.slug, context);
    const startedAt = performance.now();
    const call = await callPartner(
      partner,
      {
        query,
        variables,
        headers: async () => ({
          ...observed?.headers,
          ...(await headersFor?.(partner.slug, context, { query, variables })),
        }),
      },
      { timeoutMs, maxResponseBytes: maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES },
      registry,
    );
    const outcome = call.ok ? 'ok' : String(call.error.extensions?.code);
    observed?.end(outcome, call.bytes);
    registry.window.observe(partner.slug, outcome, performance.now() - startedAt);
    if (!rewrite?.stripped || !call.ok || !call.body.data) return call;
    const representations = Array.isArray(variables.representations)
      ? variables.representations.map((r) => (r as Json | null)?.__typename)
      : [];
    const filled = fillOutdated(
      call.body.data,
      rewrite.original,
      schema,
      coordinates,
      representations,
      variables,
    );
    if (filled.paths.length === 0) return call;
    // One error per entity (each has its own place in the merged answer), else one per root
    // field: an item of a merged list may move or be cut, the field stays.
    const places = new Map<string, (string | number)[]>();
    for (const [key, index] of filled.paths) {
      const path = typeof index === 'number' && representations.length > 0 ? [key!, index] : [key!];
      places.set(path.join('.'), path);
    }
    const errors = [...places.values()].map((path) => {
      const error = outdatedError(partner.slug, version, filled.coordinates, path);
      this.ownErrors.add(error);
      return error;
    });
    return { ...call, body: { ...call.body, errors: [...errors, ...(call.body.errors ?? [])] } };
  }

  private strip(query: string, version: string | null, outdated: ReadonlySet<string>) {
    const key = `${version}\n${query}`;
    let rewrite = this.stripped.get(key);
    if (!rewrite) {
      rewrite = stripOutdated(query, this.options.schema, outdated);
      if (this.stripped.size >= (this.options.planCacheSize ?? 1000))
        this.stripped.delete(this.stripped.keys().next().value!);
      this.stripped.set(key, rewrite);
    }
    return rewrite;
  }

  private target(slug: string | null, path: (string | number)[]) {
    return targetPartner(this.options.registry, slug, path);
  }

  /** A partner's error, as the client may see it (relay.ts). */
  private relay(error: GraphQLFormattedError, partner: string): GraphQLFormattedError {
    if (this.ownErrors.has(error)) return error;
    return relayPartnerError(error, partner, solePartner(this.options.registry) !== null);
  }

  private checkContext(plan: FetchPlan, partner: string): CheckContext {
    const ownership = solePartner(this.options.registry) === null;
    return newCheckContext(this.options.schema, plan.fragments, partner, ownership);
  }

  /** The error that says what of a partner's answer broke the contract and was left out. */
  private badResponse(ctx: CheckContext): GraphQLFormattedError | null {
    const [first] = ctx.breaches;
    if (!first) return null;
    this.options.registry.record(ctx.partner, 'PARTNER_BAD_RESPONSE');
    this.options.observer?.breach(ctx.partner, ctx.dropped, ctx.nulled);
    return routerError(
      'PARTNER_BAD_RESPONSE',
      `Partner "${ctx.partner}" answered ${ctx.breaches.length} value(s) that break the partner contract (first: ${first.path.join('.')}, ${first.reason}); ${ctx.dropped} item(s) left out, ${ctx.nulled} value(s) nulled`,
      undefined,
      ctx.partner,
      { dropped: ctx.dropped },
    );
  }
}

/** What a partner on an earlier minor version of the contract lacks, answered null. */
function outdatedError(
  partner: string,
  version: string | null,
  coordinates: readonly string[],
  path: readonly (string | number)[],
): GraphQLFormattedError {
  return routerError(
    'PARTNER_OUTDATED',
    `Partner "${partner}" serves partner contract ${version ?? 'of an earlier version'}, which lacks ${coordinates.join(', ')}: answered null`,
    path,
    partner,
    { fields: coordinates, contractVersion: version },
  );
}
