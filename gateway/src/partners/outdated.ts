import { isAmong } from '@tiers-lieux/schema';
import {
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  isObjectType,
  parse,
  print,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * A partner on an earlier minor version of the contract lacks what later versions added
 * (`Member.person`, a type `Person`). The router sends it the operation without those
 * (`stripOutdated`), then puts null where the client asked for them (`fillOutdated`), with
 * one `PARTNER_OUTDATED` error: the rest of the partner's contribution is served as usual.
 */

export interface StrippedOperation {
  /** What the partner is sent. */
  query: string;
  /** The operation as the planner wrote it, to fill the answer by. */
  original: DocumentNode;
  /** Whether anything was left out. */
  stripped: boolean;
}

const TYPENAME: FieldNode = {
  kind: Kind.FIELD,
  name: { kind: Kind.NAME, value: '__typename' },
};

/** The operation without the fields, fragments and types in `outdated`, still valid GraphQL. */
export function stripOutdated(
  query: string,
  schema: GraphQLSchema,
  outdated: ReadonlySet<string>,
): StrippedOperation {
  const original = parse(query);
  let stripped = false;
  const typeInfo = new TypeInfo(schema);
  const outdatedFragments = new Set(
    original.definitions
      .filter(
        (d): d is FragmentDefinitionNode =>
          d.kind === Kind.FRAGMENT_DEFINITION && outdated.has(d.typeCondition.name.value),
      )
      .map((d) => d.name.value),
  );
  const drop = () => {
    stripped = true;
    return null;
  };
  let document = visit(
    original,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && isAmong(outdated, `${parent.name}.${node.name.value}`)) return drop();
        return undefined;
      },
      InlineFragment(node) {
        return node.typeCondition && outdated.has(node.typeCondition.name.value)
          ? drop()
          : undefined;
      },
      FragmentSpread(node) {
        return outdatedFragments.has(node.name.value) ? drop() : undefined;
      },
      FragmentDefinition(node) {
        return outdatedFragments.has(node.name.value) ? drop() : undefined;
      },
    }),
  );
  if (!stripped) return { query, original, stripped };
  // What was left out may leave a selection empty, a variable or a fragment unused: GraphQL
  // refuses all three.
  document = visit(document, {
    SelectionSet: {
      leave: (node: SelectionSetNode) =>
        node.selections.length === 0 ? { ...node, selections: [TYPENAME] } : undefined,
    },
  });
  const usedFragments = new Set<string>();
  visit(document, { FragmentSpread: (node) => void usedFragments.add(node.name.value) });
  const usedVariables = new Set<string>();
  visit(document, {
    VariableDefinition: () => false,
    Variable: (node) => void usedVariables.add(node.name.value),
  });
  document = {
    ...document,
    definitions: document.definitions
      .filter((d) => d.kind !== Kind.FRAGMENT_DEFINITION || usedFragments.has(d.name.value))
      .map((d) =>
        d.kind === Kind.OPERATION_DEFINITION
          ? {
              ...d,
              variableDefinitions: d.variableDefinitions?.filter((v) =>
                usedVariables.has(v.variable.name.value),
              ),
            }
          : d,
      ),
  };
  return { query: print(document), original, stripped };
}

type Path = (string | number)[];

/**
 * Puts null in a partner's answer wherever the original operation asked for something in
 * `outdated`, and says where (the paths, in document order). `entityTypes` gives the type of
 * each `_entities` item (its representation's `__typename`).
 */
export function fillOutdated(
  data: Record<string, unknown>,
  original: DocumentNode,
  schema: GraphQLSchema,
  outdated: ReadonlySet<string>,
  entityTypes: readonly unknown[] = [],
  variables: Record<string, unknown> = {},
): { paths: Path[]; coordinates: string[] } {
  /** Whether `@skip` and `@include` keep a selection, for these variables. */
  const kept = (node: { directives?: readonly DirectiveNode[] | undefined }) =>
    (node.directives ?? []).every((directive) => {
      const name = directive.name.value;
      if (name !== 'skip' && name !== 'include') return true;
      const argument = directive.arguments?.find((a) => a.name.value === 'if');
      const value = argument ? valueFromASTUntyped(argument.value, variables) : false;
      return name === 'include' ? value === true : value !== true;
    });
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of original.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operation = original.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const paths: Path[] = [];
  const coordinates = new Set<string>();
  const root =
    operation?.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();

  const runtimeType = (value: Record<string, unknown>, declared: GraphQLNamedType | null) => {
    if (isObjectType(declared)) return declared;
    const named = typeof value.__typename === 'string' ? schema.getType(value.__typename) : null;
    return isObjectType(named) ? named : null;
  };
  const applies = (condition: string | undefined, type: GraphQLObjectType) => {
    if (!condition || condition === type.name) return true;
    const abstract = schema.getType(condition);
    return isAbstractType(abstract) && schema.isSubType(abstract, type);
  };

  const walk = (
    set: SelectionSetNode | undefined,
    value: unknown,
    declared: GraphQLNamedType | null,
    path: Path,
    itemTypes?: readonly unknown[],
  ): void => {
    if (!set || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const hinted = itemTypes ? schema.getType(String(itemTypes[i])) : null;
        walk(set, item, hinted ?? declared, [...path, i]);
      });
      return;
    }
    const object = value as Record<string, unknown>;
    const type = runtimeType(object, declared);
    if (!type) return;
    for (const selection of set.selections) {
      if (!kept(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        const key = selection.alias?.value ?? name;
        const coordinate = `${type.name}.${name}`;
        if (isAmong(outdated, coordinate)) {
          object[key] = null;
          paths.push([...path, key]);
          coordinates.add(coordinate);
          continue;
        }
        const field = type.getFields()[name];
        walk(selection.selectionSet, object[key], field ? getNamedType(field.type) : null, [
          ...path,
          key,
        ]);
      } else {
        const fragment =
          selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        const condition = fragment?.typeCondition?.name.value;
        if (!fragment || (condition && outdated.has(condition)) || !applies(condition, type))
          continue;
        walk(fragment.selectionSet, object, type, path);
      }
    }
  };

  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind !== Kind.FIELD || !kept(selection)) continue;
    const key = selection.alias?.value ?? selection.name.value;
    // A root field the partner lacks (a mutation of a later version) was not sent at all.
    const rootCoordinate = root ? `${root.name}.${selection.name.value}` : null;
    if (rootCoordinate && isAmong(outdated, rootCoordinate)) {
      data[key] = null;
      paths.push([key]);
      coordinates.add(rootCoordinate);
      continue;
    }
    const field = root?.getFields()[selection.name.value];
    const isEntities = selection.name.value === '_entities';
    walk(
      selection.selectionSet,
      data[key],
      field ? getNamedType(field.type) : null,
      [key],
      isEntities ? entityTypes : undefined,
    );
  }
  return { paths, coordinates: [...coordinates].sort() };
}
