import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { supergraphSchema } from './supergraph-schema.js';

/**
 * The bound of one list field, as the SDL states it with `@listSize` (the demand control
 * directive of Federation 2.9): a size it never exceeds, or the arguments that slice it (and,
 * for a connection, the fields of its page that hold the items).
 */
export interface ListBound {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

/**
 * What a list field that states no bound is priced at. Every list of the network's contracts
 * states one (gateway/test/cost.test.ts checks it), so this only prices other supergraphs.
 */
export const UNBOUNDED_LIST_SIZE = 100;

/** The `@listSize` of every field of the supergraph that has one, by `Type.field`. */
export function listBounds(supergraphSdl: string): Map<string, ListBound> {
  const bounds = new Map<string, ListBound>();
  for (const definition of supergraphSchema(supergraphSdl).document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
    )
      continue;
    for (const field of definition.fields ?? []) {
      const directive = field.directives?.find((d) =>
        ['listSize', 'cost__listSize'].includes(d.name.value),
      );
      if (!directive) continue;
      const bound: Record<string, unknown> = {};
      for (const argument of directive.arguments ?? [])
        bound[argument.name.value] = valueFromASTUntyped(argument.value);
      bounds.set(`${definition.name.value}.${field.name.value}`, bound as ListBound);
    }
  }
  return bounds;
}

/**
 * The price of an operation: the most values its answer can hold. Every field counts one,
 * and a list counts its items: a sliced list (`first`, `count`) as many as the argument asks
 * (its default when omitted), any other list as many as its stated `assumedSize`. A connection
 * counts its page size once more, because the partners read that many rows whatever is
 * selected. Aliases count apart, fragments are summed (over-counting overlaps), and the
 * `@skip`/`@include` directives are ignored: the price never underestimates.
 */
export function operationCost(
  schema: GraphQLSchema,
  bounds: ReadonlyMap<string, ListBound>,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const selectionCost = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    sized: ReadonlyMap<string, number>,
  ): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__schema' || name === '__type') continue;
        const field =
          isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        if (!field) {
          cost += 1;
          continue;
        }
        const bound = bounds.get(`${parent.name}.${name}`);
        const slice = sliceSize(field, bound, selection, variables);
        const isList = isListType(getNullableType(field.type));
        const size =
          sized.get(name) ?? (isList ? (slice ?? bound?.assumedSize ?? UNBOUNDED_LIST_SIZE) : 1);
        const itemType = getNamedType(field.type);
        const childSized = new Map(
          (bound?.sizedFields ?? []).map((f) => [f, slice ?? UNBOUNDED_LIST_SIZE] as const),
        );
        const inner =
          selection.selectionSet && isCompositeType(itemType)
            ? selectionCost(selection.selectionSet, itemType, childSized)
            : 0;
        cost += size * (1 + inner) + (childSized.size > 0 ? (slice ?? 0) : 0);
      } else {
        const fragment =
          selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!fragment) continue;
        const condition = fragment.typeCondition
          ? schema.getType(fragment.typeCondition.name.value)
          : parent;
        if (condition && isCompositeType(condition))
          cost += selectionCost(fragment.selectionSet, condition, sized);
      }
    }
    return cost;
  };

  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return root ? selectionCost(operation.selectionSet, root, new Map()) : 0;
}

/** The largest slicing argument given (or defaulted); null when the field is not sliced. */
function sliceSize(
  field: GraphQLField<unknown, unknown>,
  bound: ListBound | undefined,
  node: Parameters<typeof getArgumentValues>[1],
  variables: Record<string, unknown>,
): number | null {
  if (!bound?.slicingArguments?.length) return null;
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, node, variables);
  } catch {
    return null;
  }
  // A negative size would subtract from the price of the rest of the operation: the subgraph
  // refuses it anyway, so it is priced as nothing, never as less than nothing.
  const sizes = bound.slicingArguments
    .map((name) => args[name])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    .map((v) => Math.max(0, v));
  return sizes.length > 0 ? Math.max(...sizes) : null;
}

/**
 * Refuses, before any subgraph is asked, an operation whose price (see `operationCost`) is over
 * `maxCost`. It runs once the operation and its variables are known, so that `first: $first`
 * is priced at the page the client asks for; the bounds come from the supergraph's
 * `@listSize` directives.
 */
export function costLimit(maxCost: number): ApolloServerPlugin<BaseContext> {
  let priced: { schema: GraphQLSchema; bounds: Map<string, ListBound> } | null = null;
  return {
    async serverWillStart() {
      return {
        // The gateway's own schema objects come from @apollo/gateway's copy of graphql (its
        // CommonJS build), which graphql's instanceof checks refuse here: build ours.
        schemaDidLoadOrUpdate({ coreSupergraphSdl }) {
          if (coreSupergraphSdl)
            priced = {
              schema: supergraphSchema(coreSupergraphSdl).schema,
              bounds: listBounds(coreSupergraphSdl),
            };
        },
      };
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation || !priced) return;
          const { schema, bounds } = priced;
          const coerced = getVariableValues(
            schema,
            operation.variableDefinitions ?? [],
            request.variables ?? {},
          );
          // Variables that do not coerce are refused by execution, with their own error.
          if (coerced.errors) return;
          const cost = operationCost(schema, bounds, document, operation, coerced.coerced);
          if (cost > maxCost)
            throw new GraphQLError(
              `Query cost limit of ${maxCost} exceeded, found ${cost}: ask for smaller pages or fewer nested lists.`,
              {
                extensions: {
                  code: 'GRAPHQL_VALIDATION_FAILED',
                  cost,
                  maxCost,
                  http: { status: 400 },
                },
              },
            );
        },
      };
    },
  };
}

/**
 * Replaces an answer larger than `maxBytes` (as JSON) with a RESPONSE_TOO_LARGE error, so that
 * one request cannot make the gateway send megabytes. The cost limit keeps most answers far
 * below; this catches long strings and lists that the prices cannot see.
 */
export function responseSizeLimit(maxBytes: number): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const bytes = Buffer.byteLength(JSON.stringify(response.body.singleResult), 'utf8');
          if (bytes <= maxBytes) return;
          response.body.singleResult = {
            errors: [
              {
                message: `The answer is ${bytes} bytes, over the limit of ${maxBytes}: ask for smaller pages or fewer fields.`,
                extensions: { code: 'RESPONSE_TOO_LARGE', bytes, maxBytes },
              },
            ],
          };
        },
      };
    },
  };
}
