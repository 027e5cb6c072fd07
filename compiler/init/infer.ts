/**
 * Infers a record schema from sample records for `mapc init`: each path's JSON types, whether it
 * may be absent (`optional`) or `null` (`nullable`), and a `format` when every sample value
 * parses as one with the reference interpreter's own parsers (`iso8601`, `ip`, and `unix_ms` for
 * integers that are plausible epoch milliseconds).
 *
 * @module
 */
import type { ElementTypeIR, FieldFormat, FieldPath, ValueType } from '../ir.ts';
import { parseDate } from '../interpret/date.ts';
import { isValidIp } from '../interpret/ip.ts';

/** One inferred field: what a `record` line declares. */
export interface InferredField {
  readonly path: FieldPath;
  readonly types: readonly ValueType[];
  readonly items?: ElementTypeIR;
  readonly optional: boolean;
  readonly nullable: boolean;
  readonly formats: readonly FieldFormat[];
  /** Whether this object's fields are listed as fields of their own (then it needs a line only when optional, nullable or of several types). */
  readonly hasFields: boolean;
  /** Every non-null value seen (for the ECS suggestions). */
  readonly values: readonly unknown[];
}

type Kind = ValueType | 'null';

interface Stats {
  readonly path: FieldPath;
  /** In how many of its parent objects the key was present. */
  present: number;
  /** How many times the value was an object (the parent count of its keys). */
  objects: number;
  readonly kinds: Set<Kind>;
  readonly elementKinds: Set<Kind>;
  readonly values: unknown[];
  readonly children: Map<string, Stats>;
}

function stats(path: FieldPath): Stats {
  return { path, present: 0, objects: 0, kinds: new Set(), elementKinds: new Set(), values: [], children: new Map() };
}

function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'boolean' : 'string';
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Epoch milliseconds from 2000-01-01 to 2100-01-01: an integer there is taken as a time. */
const PLAUSIBLE_MS = { from: 946_684_800_000, to: 4_102_444_800_000 } as const;

/** Order in which union types are written. */
const ORDER: readonly ValueType[] = ['string', 'integer', 'number', 'boolean', 'object', 'array'];

/** `integer` and `number` together are `number`; `null` is `nullable`, not a type. */
function typesOf(kinds: ReadonlySet<Kind>): ValueType[] {
  const types = ORDER.filter((t) => kinds.has(t));
  return types.includes('number') ? types.filter((t) => t !== 'integer') : types;
}

function visitObject(object: Record<string, unknown>, into: Map<string, Stats>, parentPath: FieldPath): void {
  for (const [key, value] of Object.entries(object)) {
    let s = into.get(key);
    if (!s) {
      s = stats([...parentPath, key]);
      into.set(key, s);
    }
    s.present++;
    const kind = kindOf(value);
    s.kinds.add(kind);
    if (kind !== 'null') s.values.push(value);
    if (kind === 'array') for (const item of value as unknown[]) s.elementKinds.add(kindOf(item));
    if (kind === 'object') {
      s.objects++;
      visitObject(value as Record<string, unknown>, s.children, s.path);
    }
  }
}

function formatOf(types: readonly ValueType[], values: readonly unknown[]): FieldFormat[] {
  if (values.length === 0 || types.length !== 1) return [];
  if (types[0] === 'string') {
    if (values.every((v) => parseDate(v, [{ kind: 'iso8601' }]).kind === 'value')) return [{ kind: 'iso8601' }];
    if (values.every((v) => typeof v === 'string' && isValidIp(v))) return [{ kind: 'ip' }];
  }
  if (
    types[0] === 'integer' &&
    values.every((v) => typeof v === 'number' && v >= PLAUSIBLE_MS.from && v < PLAUSIBLE_MS.to)
  )
    return [{ kind: 'unix_ms' }];
  return [];
}

/**
 * The inferred fields of `records` (JSON objects), parents before their fields, in the order keys
 * were first seen. A top-level key is `optional` when some record lacks it; a nested key when
 * some of its parent objects lack it.
 */
export function inferFields(records: readonly Record<string, unknown>[]): InferredField[] {
  const root = new Map<string, Stats>();
  for (const record of records) visitObject(record, root, []);
  const out: InferredField[] = [];
  const emit = (s: Stats, parents: number): void => {
    // A map string cannot hold a lone surrogate: such a field (and its fields) stays undeclared.
    if (s.path.some((segment) => LONE_SURROGATE.test(segment))) return;
    const types = typesOf(s.kinds);
    const elementTypes = typesOf(s.elementKinds);
    out.push({
      path: s.path,
      types: types.length === 0 ? ['any'] : types,
      ...(types.includes('array') && elementTypes.length === 1 && !s.elementKinds.has('null')
        ? { items: { types: elementTypes } }
        : {}),
      optional: s.present < parents,
      nullable: s.kinds.has('null') && types.length > 0,
      formats: formatOf(types, s.values),
      hasFields: s.children.size > 0,
      values: s.values,
    });
    for (const child of s.children.values()) emit(child, s.objects);
  };
  for (const s of root.values()) emit(s, records.length);
  return out;
}
