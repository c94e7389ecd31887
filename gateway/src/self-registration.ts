import { Kind, parse, valueFromASTUntyped, type OperationDefinitionNode } from 'graphql';

/**
 * Whether a request to a partner registers the signed-in person as themselves for one of its
 * events (`registerForEvent` with neither `memberId` nor `guest`): the one request whose viewer
 * header tells that partner the person's verified email, for the registration's mails
 * (docs/architecture.md §6). The partner router sends each root field of a mutation alone, to
 * the partner of the event it names; anything else, or what cannot be read, is not.
 */
export function registersOneself(request: {
  query?: string | undefined;
  variables?: Record<string, unknown> | undefined;
}): boolean {
  if (!request.query?.includes('registerForEvent')) return false;
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(request.query).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
  } catch {
    return false;
  }
  const [operation] = operations;
  if (!operation || operations.length !== 1 || operation.operation !== 'mutation') return false;
  const fields = operation.selectionSet.selections.filter(
    (s) => !(s.kind === Kind.FIELD && s.name.value === '__typename'),
  );
  const [field] = fields;
  if (fields.length !== 1 || field?.kind !== Kind.FIELD || field.name.value !== 'registerForEvent')
    return false;
  const argument = field.arguments?.find((a) => a.name.value === 'input');
  if (!argument) return false;
  const input = valueFromASTUntyped(argument.value, request.variables ?? {}) as
    Record<string, unknown> | null | undefined;
  return !!input && input.memberId == null && input.guest == null;
}
