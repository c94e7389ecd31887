import {
  Kind,
  parse,
  print,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type TypeNode,
} from 'graphql';

/**
 * The partner contract is versioned (semver) in its own SDL, so that partners upgrade on their
 * own calendar:
 *
 * - `extend schema @partnerContract(version: "1.1.0")` says which version an SDL serves; a
 *   partner's `_service { sdl }` reports it that way. An SDL that says nothing is 1.0.0, the
 *   version before versions were declared.
 * - `@since(version: "1.1.0")` marks what a minor version added or relaxed: a nullable field
 *   (a mutation, which one partner answers, may be non-null), an enum value, an optional input
 *   field (or one made optional), or a whole new type. A partner on an earlier minor version of
 *   the same major lacks exactly those, and the gateway answers them with null and a
 *   `PARTNER_OUTDATED` error instead of refusing the partner. Anything else a minor version
 *   cannot change: it is a new major version.
 */

export interface ContractVersion {
  major: number;
  minor: number;
  patch: number;
}

const VERSION = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/;

/** The version before partners declared one. */
export const FIRST_CONTRACT_VERSION = '1.0.0';

export function parseContractVersion(text: string): ContractVersion | null {
  const match = VERSION.exec(text);
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** Negative when `a` comes before `b`, zero when equal, positive after. */
export function compareContractVersions(a: ContractVersion, b: ContractVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

function stringArgument(directive: DirectiveNode, name: string): string | null {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : null;
}

/**
 * The version an SDL declares with `@partnerContract(version:)` on its schema; 1.0.0 when it
 * declares none; null when it declares one that is not a version.
 */
export function declaredContractVersion(document: DocumentNode): string | null {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_EXTENSION && definition.kind !== Kind.SCHEMA_DEFINITION)
      continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'partnerContract') continue;
      const version = stringArgument(directive, 'version');
      return version !== null && parseContractVersion(version) ? version : null;
    }
  }
  return FIRST_CONTRACT_VERSION;
}

function sinceOf(directives: readonly DirectiveNode[] | undefined): ContractVersion | null {
  const since = directives?.find((d) => d.name.value === 'since');
  const version = since ? stringArgument(since, 'version') : null;
  return version === null ? null : parseContractVersion(version);
}

/**
 * The schema coordinates a contract added after `version` (`Member.person`, a whole type
 * `Person`): what a partner on that version does not serve.
 */
export function additionsSince(contract: DocumentNode, version: ContractVersion): Set<string> {
  const added = new Set<string>();
  const after = (since: ContractVersion | null) =>
    since !== null && compareContractVersions(since, version) > 0;
  for (const definition of contract.definitions) {
    if (!('name' in definition) || !definition.name) continue;
    const type = definition.name.value;
    if ('directives' in definition && after(sinceOf(definition.directives))) added.add(type);
    const members = [
      ...('fields' in definition ? (definition.fields ?? []) : []),
      ...('values' in definition ? (definition.values ?? []) : []),
    ];
    for (const member of members)
      if (after(sinceOf(member.directives))) added.add(`${type}.${member.name.value}`);
  }
  return added;
}

/** Whether the coordinate `Type.field` (or `Type`) is among `coordinates`, itself or by its type. */
export function isAmong(coordinates: ReadonlySet<string>, coordinate: string): boolean {
  if (coordinates.has(coordinate)) return true;
  const dot = coordinate.indexOf('.');
  return dot > 0 && coordinates.has(coordinate.slice(0, dot));
}

const nullable = (type: TypeNode) => type.kind !== Kind.NON_NULL_TYPE;

/**
 * What breaks the versioning rules in a contract, as lines of text (empty when it keeps
 * them): it declares its version; every `@since` names a version of the same major, not after
 * the contract's; a field added in a minor version of an existing type is nullable.
 */
export function versioningProblems(contract: DocumentNode): string[] {
  const declared = declaredContractVersion(contract);
  const version = declared === null ? null : parseContractVersion(declared);
  if (!version) return ['the contract declares no valid @partnerContract(version:)'];
  const problems: string[] = [];
  const checkSince = (coordinate: string, since: ContractVersion) => {
    if (since.major !== version.major || compareContractVersions(since, version) > 0)
      problems.push(`${coordinate}: @since a version outside ${version.major}.x up to ${declared}`);
  };
  for (const definition of contract.definitions) {
    if (!('name' in definition) || !definition.name) continue;
    const type = definition.name.value;
    const typeSince = 'directives' in definition ? sinceOf(definition.directives) : null;
    if (typeSince) checkSince(type, typeSince);
    if (!('fields' in definition)) continue;
    for (const field of definition.fields ?? []) {
      const since = sinceOf(field.directives);
      if (!since) continue;
      const coordinate = `${type}.${field.name.value}`;
      checkSince(coordinate, since);
      if (
        !typeSince &&
        type !== 'Mutation' &&
        field.kind === Kind.FIELD_DEFINITION &&
        !nullable(field.type)
      )
        problems.push(`${coordinate}: added in a minor version, so it must be nullable`);
      if (field.kind === Kind.INPUT_VALUE_DEFINITION && !nullable(field.type))
        problems.push(`${coordinate}: an input field added in a minor version must be optional`);
    }
  }
  return problems;
}

/**
 * The contract as it was at `version`: what was added after it left out, and the version
 * declared. What a partner's previous release serves; tests run such a partner.
 */
export function contractAt(contract: string | DocumentNode, version: string): string {
  const target = parseContractVersion(version);
  if (!target) throw new Error(`Not a contract version: ${version}`);
  const document = typeof contract === 'string' ? parse(contract) : contract;
  const added = additionsSince(document, target);
  function dropAdded(
    node: { name: { value: string } },
    _key: unknown,
    _parent: unknown,
    _path: unknown,
    ancestors: readonly unknown[],
  ) {
    const owner = [...ancestors]
      .reverse()
      .find(
        (a): a is { name: { value: string } } =>
          !Array.isArray(a) && !!a && typeof a === 'object' && 'name' in a,
      );
    return owner && added.has(`${owner.name.value}.${node.name.value}`) ? null : undefined;
  }
  const edited = visit(document, {
    ObjectTypeDefinition: (node) => (added.has(node.name.value) ? null : undefined),
    ObjectTypeExtension: (node) => (added.has(node.name.value) ? null : undefined),
    InputObjectTypeDefinition: (node) => (added.has(node.name.value) ? null : undefined),
    EnumTypeDefinition: (node) => (added.has(node.name.value) ? null : undefined),
    FieldDefinition: { enter: dropAdded },
    EnumValueDefinition: { enter: dropAdded },
    InputValueDefinition: {
      enter(node, key, parent, path, ancestors) {
        // Arguments are not versioned; an input object's fields are.
        const owner = [...ancestors].reverse().find((a) => !Array.isArray(a) && 'kind' in a);
        return owner && 'kind' in owner && owner.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION
          ? dropAdded(node, key, parent, path, ancestors)
          : undefined;
      },
    },
    Directive: (node) =>
      node.name.value === 'partnerContract'
        ? {
            ...node,
            arguments: [
              {
                kind: Kind.ARGUMENT,
                name: { kind: Kind.NAME, value: 'version' },
                value: { kind: Kind.STRING, value: version },
              },
            ],
          }
        : undefined,
  });
  return print(edited);
}
