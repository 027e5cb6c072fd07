/**
 * An index over the ECS field definitions shipped in `@elastic/ecs` 9.4.0 (`EcsFlat`, generated
 * from ECS's `ecs_flat.yml`; https://www.elastic.co/docs/reference/ecs/ecs-field-reference).
 *
 * Answers the questions the checks ask of ECS: does a field exist, what is its data type, is it
 * an array (`normalize: ["array"]`), which values may it hold (`allowed_values`, e.g.
 * `event.kind`), and which real field did the author probably mean.
 *
 * @module
 */
import { EcsFlat, EcsVersion } from '@elastic/ecs';
import { closest } from '../../dsl/suggest.ts';

/** The ECS version every check runs against and every output's `ecs.version` carries (`9.4.0`). */
export const ECS_VERSION: string = EcsVersion;

/** What mapc needs of one ECS field definition. */
export interface EcsField {
  /** Dotted name, e.g. `source.ip`, `@timestamp`. */
  readonly name: string;
  /** ECS data type: `keyword`, `ip`, `date`, `long`, `match_only_text`, `object`, ... */
  readonly type: string;
  /** ECS `normalize: ["array"]`: the field holds an array of values. */
  readonly array: boolean;
  /** ECS `allowed_values` names (categorisation fields only), else absent. */
  readonly allowedValues?: readonly string[];
  /** ECS `short` description. */
  readonly short: string;
}

/** The subset of an `EcsFlat` entry this module reads (the package's own type is one literal per field). */
interface RawEcsField {
  readonly type: string;
  readonly short?: string;
  readonly normalize?: readonly string[];
  readonly allowed_values?: readonly { readonly name: string; readonly expected_event_types?: readonly string[] }[];
}

const FLAT = EcsFlat as unknown as Record<string, RawEcsField>;
const FIELDS: ReadonlyMap<string, EcsField> = buildIndex(FLAT);
const NAMES: readonly string[] = [...FIELDS.keys()].sort();

function buildIndex(flat: Record<string, RawEcsField>): Map<string, EcsField> {
  const index = new Map<string, EcsField>();
  for (const [name, raw] of Object.entries(flat)) {
    const allowed = raw.allowed_values?.map((v) => v.name);
    index.set(name, {
      name,
      type: raw.type,
      array: raw.normalize?.includes('array') ?? false,
      ...(allowed ? { allowedValues: allowed } : {}),
      short: raw.short ?? '',
    });
  }
  return index;
}

/** The ECS field named exactly `name` (dotted), or `undefined`. */
export function ecsField(name: string): EcsField | undefined {
  return FIELDS.get(name);
}

/**
 * Resolves a mapping target against ECS, including keys below ECS `object`/`flattened` fields
 * (`labels.env`, ECS: "all values are stored as keyword").
 * Returns `undefined` when `name` is not ECS at all.
 */
export function resolveEcsTarget(name: string): EcsField | undefined {
  const exact = FIELDS.get(name);
  if (exact) return exact;
  const segments = name.split('.');
  // Only prefixes as long as some ECS field can match: linear in the name's length.
  for (let i = Math.min(segments.length - 1, MAX_SEGMENTS); i > 0; i--) {
    const parent = FIELDS.get(segments.slice(0, i).join('.'));
    if (!parent) continue;
    if (parent.type === 'object') return { name, type: 'keyword', array: false, short: parent.short };
    if (parent.type === 'flattened') return { name, type: 'flattened', array: false, short: parent.short };
    return undefined;
  }
  return undefined;
}

/** The most segments an ECS field name has. */
const MAX_SEGMENTS = Math.max(...NAMES.map((n) => n.split('.').length));

/** Every proper prefix of an ECS field name (`source`, `user.changes`, ...). */
const PREFIXES: ReadonlySet<string> = new Set(
  NAMES.flatMap((n) => {
    const segments = n.split('.');
    return segments.slice(1).map((_, i) => segments.slice(0, i + 1).join('.'));
  }),
);

/** True when some ECS field is `name` or lies below it (`source` → `source.ip`). */
export function isEcsFieldSet(name: string): boolean {
  return FIELDS.has(name) || PREFIXES.has(name);
}

/** The ECS `allowed_values` of a field (`event.kind`, `event.category`, `event.type`, `event.outcome`), if it has any. */
export function allowedValues(name: string): readonly string[] | undefined {
  return FIELDS.get(name)?.allowedValues;
}

/**
 * The `event.type` values ECS expects with an `event.category` value (its allowed value's
 * `expected_event_types`, e.g. `authentication` → `start`, `end`, `info`), or `undefined` for a
 * value that is not an ECS category.
 */
export function expectedEventTypes(category: string): readonly string[] | undefined {
  return FLAT['event.category']?.allowed_values?.find((v) => v.name === category)?.expected_event_types;
}

/** ECS data types whose fields accept any copied value (strings stay strings). */
const TEXT_LIKE = new Set(['keyword', 'constant_keyword', 'wildcard', 'text', 'match_only_text', 'flattened']);

/** Whether an ECS data type is a string type that any copied value fits. */
export function isTextLike(type: string): boolean {
  return TEXT_LIKE.has(type);
}

/**
 * Up to `max` ECS field names closest to `name` by edit distance, for "did you mean" notes.
 * Only candidates within a distance that keeps suggestions plausible are returned.
 */
export function suggestEcsFields(name: string, max = 1): readonly string[] {
  return closest(name, NAMES, max);
}

/** Every ECS field name, sorted. */
export function ecsFieldNames(): readonly string[] {
  return NAMES;
}
