import {
  Kind,
  parse,
  print,
  type DirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type TypeNode,
} from 'graphql';

/**
 * One part of the partner contract that a partner's schema lacks (`missing`) or serves with a
 * type the network cannot use (`incompatible`). `coordinate` is the part's schema coordinate:
 * `Space`, `Space.name`, `Query.spaces(first:)`, `SpaceKind.COWORKING`, `SpaceFilter.city`.
 */
export interface ContractGap {
  coordinate: string;
  problem: 'missing' | 'incompatible';
  /** What the contract says, for an incompatible part. */
  expected?: string;
  /** What the partner serves instead, for an incompatible part. */
  served?: string;
}

/** A gap as one line of text: `Space.name: missing`, `Space.capacity: expected Int!, served Int`. */
export function describeGap(gap: ContractGap): string {
  return gap.problem === 'missing'
    ? `${gap.coordinate}: missing`
    : `${gap.coordinate}: expected ${gap.expected}, served ${gap.served}`;
}

type ShapeKind = 'type' | 'interface' | 'input' | 'enum' | 'union' | 'scalar';

interface TypeShape {
  kind: ShapeKind;
  fields: Map<string, FieldDefinitionNode>;
  inputFields: Map<string, InputValueDefinitionNode>;
  values: Set<string>;
  members: Set<string>;
  interfaces: Set<string>;
  /** The `fields` of each federation `@key`, whitespace collapsed. */
  keys: Set<string>;
}

const KINDS: Partial<Record<Kind, ShapeKind>> = {
  [Kind.OBJECT_TYPE_DEFINITION]: 'type',
  [Kind.OBJECT_TYPE_EXTENSION]: 'type',
  [Kind.INTERFACE_TYPE_DEFINITION]: 'interface',
  [Kind.INTERFACE_TYPE_EXTENSION]: 'interface',
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: 'input',
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: 'input',
  [Kind.ENUM_TYPE_DEFINITION]: 'enum',
  [Kind.ENUM_TYPE_EXTENSION]: 'enum',
  [Kind.UNION_TYPE_DEFINITION]: 'union',
  [Kind.UNION_TYPE_EXTENSION]: 'union',
  [Kind.SCALAR_TYPE_DEFINITION]: 'scalar',
  [Kind.SCALAR_TYPE_EXTENSION]: 'scalar',
};

function keyFields(directives: readonly DirectiveNode[] | undefined): string[] {
  return (directives ?? []).flatMap((directive) => {
    if (directive.name.value !== 'key' && directive.name.value !== 'federation__key') return [];
    const fields = directive.arguments?.find((a) => a.name.value === 'fields')?.value;
    return fields?.kind === Kind.STRING ? [fields.value.trim().replace(/\s+/g, ' ')] : [];
  });
}

/** Every named type of an SDL document, its definition and extensions merged. */
function shapes(document: DocumentNode): Map<string, TypeShape> {
  const byName = new Map<string, TypeShape>();
  for (const definition of document.definitions as readonly DefinitionNode[]) {
    const kind = KINDS[definition.kind];
    if (!kind || !('name' in definition) || !definition.name) continue;
    const name = definition.name.value;
    const shape = byName.get(name) ?? {
      kind,
      fields: new Map(),
      inputFields: new Map(),
      values: new Set(),
      members: new Set(),
      interfaces: new Set(),
      keys: new Set(),
    };
    byName.set(name, shape);
    if ('directives' in definition)
      for (const key of keyFields(definition.directives)) shape.keys.add(key);
    if ('interfaces' in definition)
      for (const i of definition.interfaces ?? []) shape.interfaces.add(i.name.value);
    if ('types' in definition)
      for (const t of definition.types ?? []) shape.members.add(t.name.value);
    if ('values' in definition)
      for (const v of definition.values ?? []) shape.values.add(v.name.value);
    if ('fields' in definition) {
      for (const field of definition.fields ?? []) {
        if (field.kind === Kind.FIELD_DEFINITION) shape.fields.set(field.name.value, field);
        else shape.inputFields.set(field.name.value, field);
      }
    }
  }
  return byName;
}

const typeText = (type: TypeNode) => print(type);

/**
 * Whether a field served with `served` can stand where the contract says `expected`: the
 * same named type, as many lists, and non-null wherever the contract is (a partner may promise
 * more, never less).
 */
function outputFits(expected: TypeNode, served: TypeNode): boolean {
  if (expected.kind === Kind.NON_NULL_TYPE)
    return served.kind === Kind.NON_NULL_TYPE && outputFits(expected.type, served.type);
  if (served.kind === Kind.NON_NULL_TYPE) return outputFits(expected, served.type);
  if (expected.kind === Kind.LIST_TYPE)
    return served.kind === Kind.LIST_TYPE && outputFits(expected.type, served.type);
  return served.kind === Kind.NAMED_TYPE && served.name.value === expected.name.value;
}

/**
 * Whether an argument or input field served with `served` accepts every value the contract's
 * `expected` allows: the partner may require less (nullable where the contract is not), never more.
 */
function inputFits(expected: TypeNode, served: TypeNode): boolean {
  if (served.kind === Kind.NON_NULL_TYPE)
    return expected.kind === Kind.NON_NULL_TYPE && inputFits(expected.type, served.type);
  if (expected.kind === Kind.NON_NULL_TYPE) return inputFits(expected.type, served);
  if (expected.kind === Kind.LIST_TYPE)
    return served.kind === Kind.LIST_TYPE && inputFits(expected.type, served.type);
  return served.kind === Kind.NAMED_TYPE && served.name.value === expected.name.value;
}

/** A value the network never sends: a partner may add it only as optional. */
function requiredExtra(value: InputValueDefinitionNode): boolean {
  return value.type.kind === Kind.NON_NULL_TYPE && !value.defaultValue;
}

function inputValueGaps(
  expected: Map<string, InputValueDefinitionNode>,
  served: Map<string, InputValueDefinitionNode>,
  coordinate: (name: string) => string,
): ContractGap[] {
  const gaps: ContractGap[] = [];
  for (const [name, value] of expected) {
    const mine = served.get(name);
    if (!mine) gaps.push({ coordinate: coordinate(name), problem: 'missing' });
    else if (!inputFits(value.type, mine.type))
      gaps.push({
        coordinate: coordinate(name),
        problem: 'incompatible',
        expected: typeText(value.type),
        served: typeText(mine.type),
      });
  }
  for (const [name, value] of served) {
    if (!expected.has(name) && requiredExtra(value))
      gaps.push({
        coordinate: coordinate(name),
        problem: 'incompatible',
        expected: 'absent or optional',
        served: typeText(value.type),
      });
  }
  return gaps;
}

const byName = (values: readonly InputValueDefinitionNode[] | undefined) =>
  new Map((values ?? []).map((v) => [v.name.value, v]));

function typeGaps(name: string, expected: TypeShape, served: TypeShape): ContractGap[] {
  if (expected.kind !== served.kind)
    return [
      { coordinate: name, problem: 'incompatible', expected: expected.kind, served: served.kind },
    ];
  const gaps: ContractGap[] = [];
  const lacking = (wanted: Set<string>, held: Set<string>) =>
    [...wanted].filter((x) => !held.has(x));
  if (lacking(expected.interfaces, served.interfaces).length > 0)
    gaps.push({
      coordinate: name,
      problem: 'incompatible',
      expected: `implements ${[...expected.interfaces].join(' & ')}`,
      served:
        served.interfaces.size > 0
          ? `implements ${[...served.interfaces].join(' & ')}`
          : 'no interface',
    });
  if (lacking(expected.members, served.members).length > 0)
    gaps.push({
      coordinate: name,
      problem: 'incompatible',
      expected: `= ${[...expected.members].join(' | ')}`,
      served: `= ${[...served.members].join(' | ')}`,
    });
  for (const key of lacking(expected.keys, served.keys))
    gaps.push({
      coordinate: name,
      problem: 'incompatible',
      expected: `@key(fields: "${key}")`,
      served:
        served.keys.size > 0
          ? [...served.keys].map((k) => `@key(fields: "${k}")`).join(' ')
          : 'no @key',
    });
  for (const value of lacking(expected.values, served.values))
    gaps.push({ coordinate: `${name}.${value}`, problem: 'missing' });
  for (const [fieldName, field] of expected.fields) {
    const coordinate = `${name}.${fieldName}`;
    const mine = served.fields.get(fieldName);
    if (!mine) {
      gaps.push({ coordinate, problem: 'missing' });
      continue;
    }
    if (!outputFits(field.type, mine.type))
      gaps.push({
        coordinate,
        problem: 'incompatible',
        expected: typeText(field.type),
        served: typeText(mine.type),
      });
    gaps.push(
      ...inputValueGaps(
        byName(field.arguments),
        byName(mine.arguments),
        (arg) => `${coordinate}(${arg}:)`,
      ),
    );
  }
  gaps.push(...inputValueGaps(expected.inputFields, served.inputFields, (f) => `${name}.${f}`));
  return gaps;
}

/**
 * What of the partner contract a partner's schema does not serve: every type, field,
 * argument, input field, enum value, union member, interface and federation `@key` of the
 * contract must be in the partner's SDL, with a type the network can use. A partner may be
 * ahead of the contract (more types, fields, optional arguments, enum values), never behind.
 * Pure: both SDLs are text, as `_service { sdl }` answers them; an empty list means the
 * partner conforms. Throws the parser's `GraphQLError` when an SDL does not parse.
 */
export function contractGaps(contract: string | DocumentNode, servedSdl: string): ContractGap[] {
  const expected = shapes(typeof contract === 'string' ? parse(contract) : contract);
  const served = shapes(parse(servedSdl));
  const gaps: ContractGap[] = [];
  for (const [name, shape] of expected) {
    const mine = served.get(name);
    if (!mine) gaps.push({ coordinate: name, problem: 'missing' });
    else gaps.push(...typeGaps(name, shape, mine));
  }
  return gaps;
}
