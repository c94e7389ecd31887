import {
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  parse,
  print,
  valueFromASTUntyped,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { RANKING_FIELDS } from './ranking.js';

/**
 * How the partner router serves one root field of a subgraph fetch (docs/architecture.md §3): split the
 * fetch into one operation per root field, each routed and merged by its own rule.
 */
export type RootFieldRoute =
  | { kind: 'entities' }
  | { kind: 'byId' }
  | { kind: 'connection' }
  | { kind: 'list' }
  | { kind: 'mutation' }
  | { kind: 'any' };

export interface RootFieldPlan {
  responseKey: string;
  fieldName: string;
  route: RootFieldRoute;
  /** The operation that carries this field alone, printed. */
  query: string;
  /** For a connection, the same with the fields the router needs to merge pages. */
  mergeQuery: string;
  /** The root field of `mergeQuery`. */
  mergeField: FieldNode;
  /** The variables this operation declares. */
  variableNames: string[];
  field: FieldNode;
  /** The field's argument values other than variables' (defaults of the schema applied). */
  argumentDefaults: Record<string, unknown>;
  /** The field's type in the contract, to check partners' answers against; null for `_entities` and `_service`. */
  type: GraphQLOutputType | null;
}

export interface FetchPlan {
  operation: 'query' | 'mutation';
  fields: RootFieldPlan[];
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
}

/** Aliases the router adds to a connection's selection to merge pages; stripped from answers. */
export const MERGE = {
  edges: '__router_edges',
  cursor: '__router_cursor',
  total: '__router_total',
  pageInfo: '__router_pageInfo',
  hasNext: '__router_hasNext',
  hasPrevious: '__router_hasPrevious',
  node: '__router_node',
} as const;

function field(name: string, alias?: string, selections?: SelectionNode[]): FieldNode {
  return {
    kind: Kind.FIELD,
    name: { kind: Kind.NAME, value: name },
    ...(alias ? { alias: { kind: Kind.NAME, value: alias } } : {}),
    ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
  };
}

/** What the router selects on a connection besides the client's selection, to merge pages. */
function connectionMergeFields(connection: string): SelectionNode[] {
  const ranked = RANKING_FIELDS[connection];
  return [
    field('edges', MERGE.edges, [
      field('cursor', MERGE.cursor),
      ...(ranked
        ? [
            field(
              'node',
              MERGE.node,
              ranked.map((name) => field(name)),
            ),
          ]
        : []),
    ]),
    field('totalCount', MERGE.total),
    field('pageInfo', MERGE.pageInfo, [
      field('hasNextPage', MERGE.hasNext),
      field('hasPreviousPage', MERGE.hasPrevious),
    ]),
  ];
}

function isConnection(schemaField: GraphQLField<unknown, unknown>): boolean {
  const type = getNamedType(schemaField.type);
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return 'edges' in fields && 'pageInfo' in fields && 'totalCount' in fields;
}

function routeOf(
  operation: 'query' | 'mutation',
  name: string,
  schemaField: GraphQLField<unknown, unknown> | undefined,
): RootFieldRoute {
  if (operation === 'mutation') return { kind: 'mutation' };
  if (name === '_entities') return { kind: 'entities' };
  if (!schemaField) return { kind: 'any' };
  if (isConnection(schemaField)) return { kind: 'connection' };
  if (schemaField.args.some((arg) => arg.name === 'id')) return { kind: 'byId' };
  if (isListType(getNullableType(schemaField.type))) return { kind: 'list' };
  return { kind: 'any' };
}

function usedFragmentsAndVariables(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
): { fragments: FragmentDefinitionNode[]; variables: Set<string> } {
  const usedFragments = new Map<string, FragmentDefinitionNode>();
  const variables = new Set<string>();
  const pending: SelectionSetNode[] = [selectionSet];
  while (pending.length > 0) {
    const next = pending.pop()!;
    visit(next, {
      Variable: (node) => void variables.add(node.name.value),
      FragmentSpread: (node) => {
        const fragment = fragments.get(node.name.value);
        if (fragment && !usedFragments.has(fragment.name.value)) {
          usedFragments.set(fragment.name.value, fragment);
          pending.push(fragment.selectionSet);
        }
      },
    });
  }
  return { fragments: [...usedFragments.values()], variables };
}

/**
 * Plans a subgraph fetch of the partners' subgraph: one operation per root field, each with
 * only the fragments and variables it uses (a GraphQL server rejects unused ones).
 */
export function planFetch(query: string, schema: GraphQLSchema): FetchPlan {
  const document: DocumentNode = parse(query);
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const [definition] = operations;
  if (!definition || operations.length > 1) throw new Error('a subgraph fetch holds one operation');
  if (definition.operation === 'subscription') throw new Error('subscriptions are not served');
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const rootType =
    definition.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  const rootFields = rootType?.getFields() ?? {};
  const fields: RootFieldPlan[] = [];
  for (const selection of definition.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) {
      throw new Error('root fragments are not expected in a subgraph fetch');
    }
    const name = selection.name.value;
    if (name === '__typename') continue;
    const schemaField = rootFields[name];
    const route = routeOf(definition.operation, name, schemaField);
    const printed = (root: FieldNode) => {
      const selectionSet: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [root] };
      const used = usedFragmentsAndVariables(selectionSet, fragments);
      const single: DocumentNode = {
        kind: Kind.DOCUMENT,
        definitions: [
          {
            ...definition,
            variableDefinitions: (definition.variableDefinitions ?? []).filter((v) =>
              used.variables.has(v.variable.name.value),
            ),
            selectionSet,
          },
          ...used.fragments,
        ],
      };
      return { query: print(single), variableNames: [...used.variables] };
    };
    const plain = printed(selection);
    const mergeField: FieldNode =
      route.kind === 'connection' && selection.selectionSet
        ? {
            ...selection,
            selectionSet: {
              ...selection.selectionSet,
              selections: [
                ...selection.selectionSet.selections,
                ...connectionMergeFields(getNamedType(schemaField!.type).name),
              ],
            },
          }
        : selection;
    const mergeQuery = mergeField === selection ? plain.query : printed(mergeField).query;
    const argumentDefaults = Object.fromEntries(
      (schemaField?.args ?? [])
        .filter((arg) => arg.defaultValue !== undefined)
        .map((arg) => [arg.name, arg.defaultValue]),
    );
    fields.push({
      responseKey: selection.alias?.value ?? name,
      fieldName: name,
      route,
      query: plain.query,
      mergeQuery,
      mergeField,
      variableNames: plain.variableNames,
      field: selection,
      argumentDefaults,
      type: schemaField?.type ?? null,
    });
  }
  return { operation: definition.operation, fields, fragments };
}

/** The value of each argument of a field, with variables substituted and defaults applied. */
export function argumentValues(
  plan: RootFieldPlan,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = { ...plan.argumentDefaults };
  for (const arg of plan.field.arguments ?? ([] as readonly ArgumentNode[])) {
    values[arg.name.value] = valueFromASTUntyped(arg.value, variables);
  }
  return values;
}

/** Only the variables an operation declares. */
export function pickVariables(
  plan: RootFieldPlan,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    plan.variableNames.filter((name) => name in variables).map((name) => [name, variables[name]]),
  );
}

/**
 * The fields selected on an object, by response key, through inline fragments and spreads,
 * so merging knows which client key holds `edges`, `totalCount` or `pageInfo`.
 */
export function selectedFields(
  selectionSet: SelectionSetNode | undefined,
  fragments: ReadonlyMap<string, FragmentDefinitionNode> = new Map(),
  /** Only through the fragments on this type (or on none), when given. */
  onType?: string,
): Map<string, FieldNode> {
  const result = new Map<string, FieldNode>();
  const applies = (condition: string | undefined) =>
    onType === undefined || condition === undefined || condition === onType;
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (!result.has(key)) result.set(key, selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) walk(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && applies(fragment.typeCondition.name.value)) walk(fragment.selectionSet);
      }
    }
  };
  walk(selectionSet);
  return result;
}
