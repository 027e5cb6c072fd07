/**
 * An index over the field definitions of one ECS release ({@link EcsSchema}; the releases are in
 * `./releases.ts`: ECS 9.4.0, the default, and 8.11.0; field reference:
 * https://www.elastic.co/docs/reference/ecs/ecs-field-reference).
 *
 * Answers the questions the checks ask of ECS: does a field exist, what is its data type, is it
 * an array (`normalize: ["array"]`), which values may it hold (`allowed_values`, e.g.
 * `event.kind`), and which real field did the author probably mean.
 *
 * @module
 */
import { closest } from '../../dsl/suggest.ts';
import { ECS_RELEASES } from './releases.ts';

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

/**
 * The field definitions of one ECS release, indexed (built on first use of a release by
 * {@link ecsSchema}: about 2,000 fields).
 */
export class EcsSchema {
  /** The ECS version, `MAJOR.MINOR.PATCH` (`9.4.0`): every output's `ecs.version`. */
  readonly version: string;
  readonly #flat: Readonly<Record<string, RawEcsField>>;
  readonly #fields: ReadonlyMap<string, EcsField>;
  readonly #names: readonly string[];
  /** The most segments a field name has. */
  readonly #maxSegments: number;
  /** Every proper prefix of a field name (`source`, `user.changes`, ...). */
  readonly #prefixes: ReadonlySet<string>;
  /** How many `core`-level fields each top-level field set holds (`host` 42 in ECS 9.4.0). */
  readonly #coreFields: ReadonlyMap<string, number>;

  constructor(version: string, flat: Readonly<Record<string, RawEcsField>>) {
    this.version = version;
    this.#flat = flat;
    this.#fields = buildIndex(flat);
    this.#names = [...this.#fields.keys()].sort();
    this.#maxSegments = Math.max(...this.#names.map((n) => n.split('.').length));
    this.#prefixes = new Set(
      this.#names.flatMap((n) => {
        const segments = n.split('.');
        return segments.slice(1).map((_, i) => segments.slice(0, i + 1).join('.'));
      }),
    );
    const counts = new Map<string, number>();
    for (const [name, raw] of Object.entries(flat)) {
      const top = name.split('.')[0]!;
      counts.set(top, (counts.get(top) ?? 0) + (raw.level === 'core' ? 1 : 0));
    }
    this.#coreFields = counts;
  }

  /** The field named exactly `name` (dotted), or `undefined`. */
  field(name: string): EcsField | undefined {
    return this.#fields.get(name);
  }

  /**
   * Resolves a rule's destination field, including keys below ECS `object`/`flattened` fields
   * (`labels.env`, ECS: "all values are stored as keyword"). Returns `undefined` when `name` is
   * not ECS at all.
   */
  resolve(name: string): EcsField | undefined {
    const exact = this.#fields.get(name);
    if (exact) return exact;
    const segments = name.split('.');
    // Only prefixes as long as some ECS field can match: linear in the name's length.
    for (let i = Math.min(segments.length - 1, this.#maxSegments); i > 0; i--) {
      const parent = this.#fields.get(segments.slice(0, i).join('.'));
      if (!parent) continue;
      if (parent.type === 'object') return { name, type: 'keyword', array: false, short: parent.short };
      if (parent.type === 'flattened') return { name, type: 'flattened', array: false, short: parent.short };
      return undefined;
    }
    return undefined;
  }

  /** True when some field is `name` or lies below it (`source` → `source.ip`). */
  isFieldSet(name: string): boolean {
    return this.#fields.has(name) || this.#prefixes.has(name);
  }

  /** The `allowed_values` of a field (`event.kind`, `event.category`, `event.type`, `event.outcome`), if it has any. */
  allowedValues(name: string): readonly string[] | undefined {
    return this.#fields.get(name)?.allowedValues;
  }

  /**
   * The `event.type` values ECS expects with an `event.category` value (its allowed value's
   * `expected_event_types`, e.g. `authentication` → `start`, `end`, `info`), or `undefined` for
   * a value that is not an ECS category.
   */
  expectedEventTypes(category: string): readonly string[] | undefined {
    return this.#flat['event.category']?.allowed_values?.find((v) => v.name === category)?.expected_event_types;
  }

  /**
   * Up to `max` field names the author probably meant by the unknown `name`, for "did you mean"
   * notes. A field that ends with the whole of `name` (a field set written without the field set
   * it is placed under: `os.version` → `host.os.version`) ranks before any edit-distance guess
   * ({@link closest}: `source.ipp` → `source.ip`); both only return plausible candidates,
   * possibly none.
   */
  suggest(name: string, max = 1): readonly string[] {
    const bySuffix = this.#suffixMatches(name);
    if (bySuffix.length >= max) return bySuffix.slice(0, max);
    const rest = closest(name, this.#names, max).filter((n) => !bySuffix.includes(n));
    return [...bySuffix, ...rest].slice(0, max);
  }

  /** Every field name, sorted. */
  names(): readonly string[] {
    return this.#names;
  }

  /**
   * Fields that end with the whole dotted `name` (at a segment boundary): `os.name` is
   * `host.os.name`, `observer.os.name` or `user_agent.os.name`, the `os` field set that ECS
   * places only under others. Best first: fewest segments added; then a reuse of the field set
   * `name` starts with (ECS `original_fieldset`); then the top-level field set with more core
   * fields; then by name.
   */
  #suffixMatches(name: string): string[] {
    const segments = name.split('.');
    if (segments.length < 2) return [];
    const first = segments[0];
    const matches = this.#names.filter((n) => n.endsWith(`.${name}`));
    const key = (n: string): [number, number, number] => [
      n.split('.').length,
      this.#flat[n]?.original_fieldset === first ? 0 : 1,
      -(this.#coreFields.get(n.split('.')[0]!) ?? 0),
    ];
    return matches.sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || (a < b ? -1 : a > b ? 1 : 0);
    });
  }
}

function buildIndex(flat: Readonly<Record<string, RawEcsField>>): Map<string, EcsField> {
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

/** The ECS versions a map may choose (`ecs "VERSION"`), newest first. */
export const ECS_VERSIONS: readonly string[] = ECS_RELEASES.map((r) => r.version);

/** The ECS version of a map that chooses none: the newest mapc ships (`9.4.0`). */
export const DEFAULT_ECS_VERSION: string = ECS_VERSIONS[0]!;

const schemas = new Map<string, EcsSchema>();

/**
 * The indexed fields of ECS `version` (default {@link DEFAULT_ECS_VERSION}), or `undefined` for
 * a version mapc does not ship (see {@link ECS_VERSIONS}).
 */
export function ecsSchema(version: string = DEFAULT_ECS_VERSION): EcsSchema | undefined {
  const cached = schemas.get(version);
  if (cached) return cached;
  const release = ECS_RELEASES.find((r) => r.version === version);
  if (!release) return undefined;
  const schema = new EcsSchema(release.version, release.flat as Readonly<Record<string, RawEcsField>>);
  schemas.set(version, schema);
  return schema;
}

/** The schema of a version {@link ecsSchema} knows, else of the default (a map whose version the checks refuse, E0193). */
export function ecsSchemaOrDefault(version: string | undefined): EcsSchema {
  return (version !== undefined ? ecsSchema(version) : undefined) ?? ecsSchema()!;
}
