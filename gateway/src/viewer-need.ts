import { VIEWER_DEPENDENT_ENTITIES, VIEWER_DEPENDENT_FIELDS, readSdl } from '@tiers-lieux/schema';
import {
  Kind,
  buildSchema,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * Whether a subgraph request's answer depends on who asks, so that it must carry the viewer:
 * a mutation always; a query when it selects a field of `VIEWER_DEPENDENT_FIELDS` or resolves
 * an entity of `VIEWER_DEPENDENT_ENTITIES` (at any depth, through fragments). What it cannot
 * tell (a field or type the schema does not know) needs the viewer.
 */
export function needsViewer(document: DocumentNode, schema: GraphQLSchema): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const queryType = schema.getQueryType();
  return document.definitions.some((definition) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION) return false;
    if (definition.operation !== 'query' || !queryType) return true;
    return selects(definition.selectionSet, queryType, schema, fragments, new Set());
  });
}

/**
 * Whether a selection on `parent` needs the viewer; `parent` is null for the selection of
 * `_entities`, whose type only its fragments' type conditions tell.
 */
function selects(
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType | null,
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  spread: Set<string>,
): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      // The federation's own root fields, which the contract's SDL does not declare.
      if (name === '__typename' || (parent === schema.getQueryType() && name === '_service'))
        continue;
      if (parent === schema.getQueryType() && name === '_entities') {
        if (
          selection.selectionSet &&
          selects(selection.selectionSet, null, schema, fragments, spread)
        )
          return true;
        continue;
      }
      if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return true;
      const field = parent.getFields()[name];
      if (!field || VIEWER_DEPENDENT_FIELDS.has(`${parent.name}.${name}`)) return true;
      const type = getNamedType(field.type);
      if (
        selection.selectionSet &&
        isCompositeType(type) &&
        selects(selection.selectionSet, type, schema, fragments, spread)
      )
        return true;
      continue;
    }
    const fragment =
      selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
    if (!fragment) return true;
    const condition = fragment.typeCondition?.name.value;
    if (parent === null && condition !== undefined && VIEWER_DEPENDENT_ENTITIES.has(condition))
      return true;
    // A named fragment's answer does not depend on where it is spread: one look is enough.
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      if (spread.has(selection.name.value)) continue;
      spread.add(selection.name.value);
    }
    const type = condition === undefined ? parent : schema.getType(condition);
    if (condition !== undefined && !(type && isCompositeType(type))) return true;
    if (
      selects(fragment.selectionSet, type as GraphQLCompositeType | null, schema, fragments, spread)
    )
      return true;
  }
  return false;
}

let partnerContract: GraphQLSchema | null = null;
const answers = new Map<string, boolean>();
const MAX_REMEMBERED = 1000;

/**
 * `needsViewer` for a request to a partner, by its text, against the partner contract: the
 * router sends the same few documents over and over, so answers are remembered. A document
 * that does not parse needs the viewer (the partner will refuse it anyway).
 */
export function partnerRequestNeedsViewer(query: string): boolean {
  const known = answers.get(query);
  if (known !== undefined) return known;
  partnerContract ??= buildSchema(readSdl('space'), { assumeValidSDL: true });
  let answer: boolean;
  try {
    answer = needsViewer(parse(query), partnerContract);
  } catch {
    answer = true;
  }
  if (answers.size >= MAX_REMEMBERED) answers.delete(answers.keys().next().value!);
  answers.set(query, answer);
  return answer;
}
