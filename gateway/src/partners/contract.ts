import { ENTITY_KINDS, parseId } from '@tiers-lieux/schema';
import {
  GraphQLObjectType,
  getNamedType,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * A partner's answer checked against the partner contract for the selection the router sent,
 * before anything of it is merged (docs/architecture.md §6): what a partner sends is untrusted input.
 *
 * A value the contract refuses (null for a non-null field, a wrong type, an unknown enum
 * value, a negative count, a malformed instant or date, a string longer than the contract
 * states, a URL that is not http(s), an id that names another partner) is nulled where the
 * contract allows null, and otherwise makes the item holding it invalid: an item of a list is
 * then left out of its list (as is a second item with an id already seen in that list), and
 * what is not in a list invalidates the whole answer of the partner for that field.
 */

export const INVALID: unique symbol = Symbol('invalid');
export type Checked = unknown;

/** A string field whose description states no limit holds at most this many characters. */
export const DEFAULT_STRING_LIMIT = 1_000;
/** Every `Int` of the partner contract is a count, a size or an amount of cents. */
const INT_MAX = 2 ** 31 - 1;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const STATED_LIMIT = /at most ([\d,]+) characters/i;
const URL_FIELD = /http\(s\) URL/;

export interface Breach {
  path: (string | number)[];
  reason: string;
}

export interface CheckContext {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** The partner that sent the answer. */
  partner: string;
  /**
   * Whether ids must name the partner: with several partners they must; the network's only
   * partner may use ids of any form, as a plain gateway's subgraph may.
   */
  ownership: boolean;
  breaches: Breach[];
  /** Items left out of their list. */
  dropped: number;
  /** Values nulled. */
  nulled: number;
}

export function newCheckContext(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  partner: string,
  ownership: boolean,
): CheckContext {
  return { schema, fragments, partner, ownership, breaches: [], dropped: 0, nulled: 0 };
}

const limits = new WeakMap<object, number>();

/** The longest string a field may hold, as its description states it. */
function limitOf(field: GraphQLField<unknown, unknown> | undefined): number {
  if (!field) return DEFAULT_STRING_LIMIT;
  let limit = limits.get(field);
  if (limit === undefined) {
    const stated = STATED_LIMIT.exec(field.description ?? '')?.[1];
    limit = stated ? Number(stated.replaceAll(',', '')) : DEFAULT_STRING_LIMIT;
    limits.set(field, limit);
  }
  return limit;
}

function breach(ctx: CheckContext, path: (string | number)[], reason: string): typeof INVALID {
  ctx.breaches.push({ path, reason });
  return INVALID;
}

/** A value of `type` for `selection`, cleaned, or `INVALID` when it cannot stand. */
export function checkValue(
  value: unknown,
  type: GraphQLOutputType,
  selection: SelectionSetNode | undefined,
  path: (string | number)[],
  ctx: CheckContext,
  field?: GraphQLField<unknown, unknown>,
): Checked {
  const nullable = !isNonNullType(type);
  const inner = isNonNullType(type) ? type.ofType : type;
  if (value === null || value === undefined) {
    return nullable ? null : breach(ctx, path, 'null for a non-null field');
  }
  const checked = checkPresent(value, inner, selection, path, ctx, field);
  if (checked !== INVALID || !nullable) return checked;
  ctx.nulled++;
  return null;
}

function checkPresent(
  value: unknown,
  type: GraphQLOutputType,
  selection: SelectionSetNode | undefined,
  path: (string | number)[],
  ctx: CheckContext,
  field: GraphQLField<unknown, unknown> | undefined,
): Checked {
  if (isListType(type)) {
    if (!Array.isArray(value)) return breach(ctx, path, 'not a list');
    return checkList(value, type.ofType, selection, path, ctx, field);
  }
  if (isEnumType(type)) {
    return typeof value === 'string' && type.getValue(value)
      ? value
      : breach(ctx, path, `not a value of ${type.name}`);
  }
  if (isScalarType(type)) return checkScalar(value, type.name, path, ctx, field);
  if (typeof value !== 'object' || Array.isArray(value)) return breach(ctx, path, 'not an object');
  return checkObject(value as Record<string, unknown>, type, selection, path, ctx);
}

/** A list, without the items that break the contract nor a second item of the same id. */
export function checkList(
  items: readonly unknown[],
  type: GraphQLOutputType,
  selection: SelectionSetNode | undefined,
  path: (string | number)[],
  ctx: CheckContext,
  field?: GraphQLField<unknown, unknown>,
): unknown[] {
  const kept: unknown[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const checked = checkValue(item, type, selection, [...path, i], ctx, field);
    const id = idOf(checked);
    if (id !== null && seen.has(id)) breach(ctx, [...path, i], `a second item with id ${id}`);
    else if (checked !== INVALID) {
      if (id !== null) seen.add(id);
      return void kept.push(checked);
    }
    ctx.dropped++;
  });
  return kept;
}

const ids = new WeakMap<object, string>();

/** The id of an object the check kept, when its selection held one. */
export function idOf(value: unknown): string | null {
  return value && typeof value === 'object' ? (ids.get(value) ?? null) : null;
}

function checkScalar(
  value: unknown,
  name: string,
  path: (string | number)[],
  ctx: CheckContext,
  field: GraphQLField<unknown, unknown> | undefined,
): Checked {
  switch (name) {
    case 'Int':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= INT_MAX
        ? value
        : breach(ctx, path, 'not a count (an integer, 0 or more)');
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value)
        ? value
        : breach(ctx, path, 'not a finite number');
    case 'Boolean':
      return typeof value === 'boolean' ? value : breach(ctx, path, 'not a boolean');
    case 'String':
    case 'ID': {
      if (typeof value !== 'string') return breach(ctx, path, 'not a string');
      const limit = limitOf(field);
      if (value.length > limit) return breach(ctx, path, `longer than ${limit} characters`);
      if (field?.description && URL_FIELD.test(field.description) && !isWebUrl(value)) {
        return breach(ctx, path, 'not an http(s) URL');
      }
      return value;
    }
    case 'DateTime':
      return typeof value === 'string' &&
        ISO_WITH_OFFSET.test(value) &&
        Number.isFinite(Date.parse(value))
        ? value
        : breach(ctx, path, 'not an ISO 8601 instant with an offset');
    case 'Date':
      return typeof value === 'string' && ISO_DATE.test(value) && isCalendarDate(value)
        ? value
        : breach(ctx, path, 'not a YYYY-MM-DD date');
    default:
      return value;
  }
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function checkObject(
  value: Record<string, unknown>,
  type: GraphQLOutputType,
  selection: SelectionSetNode | undefined,
  path: (string | number)[],
  ctx: CheckContext,
): Checked {
  const named = getNamedType(type);
  let concrete: GraphQLObjectType | null = isObjectType(named) ? named : null;
  if (isAbstractType(named)) {
    const candidate = ctx.schema.getType(String(value.__typename));
    concrete = isObjectType(candidate) && ctx.schema.isSubType(named, candidate) ? candidate : null;
  }
  if (!concrete) return breach(ctx, path, `not a ${named.name}`);
  const out: Record<string, unknown> = {};
  const fields = concrete.getFields();
  for (const node of fieldsOf(selection, concrete, ctx)) {
    const key = node.alias?.value ?? node.name.value;
    if (key in out) continue;
    const name = node.name.value;
    if (name === '__typename') {
      if (value[key] !== concrete.name) return breach(ctx, [...path, key], 'a wrong __typename');
      out[key] = concrete.name;
      continue;
    }
    const field = fields[name];
    if (!field) return breach(ctx, [...path, key], `no field ${name} on ${concrete.name}`);
    const checked = checkValue(
      value[key],
      field.type,
      node.selectionSet,
      [...path, key],
      ctx,
      field,
    );
    if (checked === INVALID) return INVALID;
    if (ctx.ownership && !owns(ctx.partner, concrete.name, name, checked)) {
      return breach(ctx, [...path, key], `does not name partner "${ctx.partner}"`);
    }
    out[key] = checked;
    if (name === 'id' && typeof checked === 'string') ids.set(out, checked);
  }
  return out;
}

/** Whether a field's value names the partner that sent it, where the contract says it must. */
function owns(partner: string, type: string, field: string, value: unknown): boolean {
  if (field === 'partnerSlug' || (type === 'Partner' && field === 'slug')) return value === partner;
  if (field !== 'id' || typeof value !== 'string') return true;
  const kind = type.toLowerCase();
  if (!(ENTITY_KINDS as readonly string[]).includes(kind)) return true;
  const parsed = parseId(value);
  return parsed?.partner === partner && parsed.kind === kind;
}

/**
 * The fields of each selection by object type: a selection belongs to one fetch plan (its
 * fragments are the plan's), which every answer to that fetch is checked against, item by item.
 */
const selectedByType = new WeakMap<SelectionSetNode, Map<GraphQLObjectType, FieldNode[]>>();

/** The fields selected on an object of `type`, through the fragments that apply to it. */
function fieldsOf(
  selection: SelectionSetNode | undefined,
  type: GraphQLObjectType,
  ctx: CheckContext,
): FieldNode[] {
  if (!selection) return [];
  let byType = selectedByType.get(selection);
  if (!byType) selectedByType.set(selection, (byType = new Map()));
  let fields = byType.get(type);
  if (!fields) byType.set(type, (fields = collectFields(selection, type, ctx)));
  return fields;
}

function collectFields(
  selection: SelectionSetNode,
  type: GraphQLObjectType,
  ctx: CheckContext,
): FieldNode[] {
  const out: FieldNode[] = [];
  const applies = (condition: string | undefined) => {
    if (!condition || condition === type.name) return true;
    const abstract = ctx.schema.getType(condition);
    return !!abstract && isAbstractType(abstract) && ctx.schema.isSubType(abstract, type);
  };
  const walk = (set: SelectionSetNode | undefined) => {
    for (const node of set?.selections ?? []) {
      if (node.kind === Kind.FIELD) out.push(node);
      else if (node.kind === Kind.INLINE_FRAGMENT) {
        if (applies(node.typeCondition?.name.value)) walk(node.selectionSet);
      } else {
        const fragment = ctx.fragments.get(node.name.value);
        if (fragment && applies(fragment.typeCondition.name.value)) walk(fragment.selectionSet);
      }
    }
  };
  walk(selection);
  return out;
}
