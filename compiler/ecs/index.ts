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
  readonly level?: string;
  /** Set on a reused copy: the field set it comes from (`host.os.name` → `os`). */
  readonly original_fieldset?: string;
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
 * Resolves a rule's destination field against ECS, including keys below ECS `object`/`flattened` fields
 * (`labels.env`, ECS: "all values are stored as keyword").
 * Returns `undefined` when `name` is not ECS at all.
 */
export function resolveEcsField(name: string): EcsField | undefined {
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

/**
 * How many `core`-level fields each top-level field set holds (`host` 42, `observer` 16,
 * `user_agent` 0 in ECS 9.4.0): among places a reused field set lives, the more central one
 * ranks first.
 */
const CORE_FIELDS: ReadonlyMap<string, number> = (() => {
  const counts = new Map<string, number>();
  for (const [name, raw] of Object.entries(FLAT)) {
    const top = name.split('.')[0]!;
    counts.set(top, (counts.get(top) ?? 0) + (raw.level === 'core' ? 1 : 0));
  }
  return counts;
})();

/**
 * ECS fields that end with the whole dotted `name` (at a segment boundary): `os.name` is
 * `host.os.name`, `observer.os.name` or `user_agent.os.name`, the `os` field set that ECS places
 * only under others. Best first: fewest segments added; then a reuse of the field set `name`
 * starts with (ECS `original_fieldset`); then the top-level field set with more core fields;
 * then by name.
 */
function suffixMatches(name: string): string[] {
  const segments = name.split('.');
  if (segments.length < 2) return [];
  const first = segments[0];
  const matches = NAMES.filter((n) => n.endsWith(`.${name}`));
  const key = (n: string): [number, number, number] => [
    n.split('.').length,
    FLAT[n]?.original_fieldset === first ? 0 : 1,
    -(CORE_FIELDS.get(n.split('.')[0]!) ?? 0),
  ];
  return matches.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || (a < b ? -1 : a > b ? 1 : 0);
  });
}

/**
 * Up to `max` ECS field names the author probably meant by the unknown `name`, for "did you
 * mean" notes. A field that ends with the whole of `name` (a field set written without the
 * field set it is placed under: `os.version` → `host.os.version`, see {@link suffixMatches})
 * ranks before any edit-distance guess ({@link closest}: `source.ipp` → `source.ip`); both only
 * return plausible candidates, possibly none.
 */
export function suggestEcsFields(name: string, max = 1): readonly string[] {
  const bySuffix = suffixMatches(name);
  if (bySuffix.length >= max) return bySuffix.slice(0, max);
  const rest = closest(name, NAMES, max).filter((n) => !bySuffix.includes(n));
  return [...bySuffix, ...rest].slice(0, max);
}

/** Every ECS field name, sorted. */
export function ecsFieldNames(): readonly string[] {
  return NAMES;
}
