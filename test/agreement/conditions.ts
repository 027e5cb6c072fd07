/**
 * Random record conditions (compiler/ir.ts `ConditionIR`, every kind: `exists`, `equals`, `in`,
 * `compare`, `text`, `not`, `and`, `or`, `setting`) and random records to test them on, for the
 * cross-engine condition suite (./conditions.suite.ts). The values are chosen to sit on the
 * edges of each test: a number and its text (`5` and `"5"`), integers and floats around the
 * compared numbers, prefixes, suffixes and inner parts of the tested texts, multi-byte and astral
 * characters, texts that Logstash, Mustache or Painless would read as syntax, objects, arrays,
 * `null` and missing values.
 *
 * @module
 */
import fc from 'fast-check';
import type { ConditionIR, FieldPath, RuleIR } from '../../compiler/ir.ts';
import type { Json } from './generate.ts';

/** The record paths conditions read (one below an object that may be a string instead). */
export const CONDITION_FIELDS: readonly FieldPath[] = [['a'], ['b'], ['n', 'x'], ['s']];

/** Texts the text tests look for; each engine receives them through its own quoting. */
export const TEST_TEXTS: readonly string[] = [
  '',
  'a',
  'ab',
  'B',
  'é',
  '😀',
  'x/y',
  '"q"',
  "it's",
  '\\',
  '${HOME}',
  '%{a}',
  '{{a}}',
  '.*',
  '[a]',
  ' ',
  '5',
];

/** Numbers the comparisons compare with (exact in a double, no exponent form in the map). */
const COMPARED: readonly number[] = [-1, 0, 2.5, 5, 10, 1000.25, 9007199254740991];

/** Literals of `==` and `in` (no `${...}`: Logstash would substitute it, so the target refuses it: E0603). */
const EQUAL_TO: readonly (string | number | boolean)[] = ['a', 'ab', '5', 'é😀', 'true', true, false, 5, 0, 2.5, -1];

const field = fc.constantFrom(...CONDITION_FIELDS);

/** One random condition, nested at most 4 levels; `setting` names a bool setting of the map when given. */
export function conditionArbitrary(setting?: string): fc.Arbitrary<ConditionIR> {
  const leaves: fc.Arbitrary<ConditionIR>[] = [
    field.map((path): ConditionIR => ({ kind: 'exists', path })),
    fc
      .tuple(field, fc.constantFrom(...EQUAL_TO))
      .map(([path, value]): ConditionIR => ({ kind: 'equals', path, value })),
    fc
      .tuple(field, fc.uniqueArray(fc.constantFrom(...EQUAL_TO), { minLength: 1, maxLength: 3 }))
      .map(([path, values]): ConditionIR => ({ kind: 'in', path, values })),
    fc
      .tuple(field, fc.constantFrom('lt', 'le', 'gt', 'ge' as const), fc.constantFrom(...COMPARED))
      .map(([path, op, value]): ConditionIR => ({ kind: 'compare', op, path, value })),
    fc
      .tuple(field, fc.constantFrom('prefix', 'suffix', 'contains' as const), fc.constantFrom(...TEST_TEXTS))
      .map(([path, op, value]): ConditionIR => ({ kind: 'text', op, path, value })),
    ...(setting ? [fc.constant<ConditionIR>({ kind: 'setting', name: setting })] : []),
  ];
  const { c } = fc.letrec<{ c: ConditionIR }>((tie) => ({
    c: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      ...leaves,
      tie('c').map((condition): ConditionIR => ({ kind: 'not', condition })),
      fc.array(tie('c'), { minLength: 2, maxLength: 3 }).map((all): ConditionIR => ({ kind: 'and', all })),
      fc.array(tie('c'), { minLength: 2, maxLength: 3 }).map((any): ConditionIR => ({ kind: 'or', any })),
    ),
  }));
  return c;
}

/** A value near the tests: the texts and their neighbours, numbers around the compared ones, other types. */
const conditionValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 'true', 0, -0.5, 5, 5.5, '5', 10, 1000.25, 1001, 9007199254740991),
  fc.constantFrom(...TEST_TEXTS),
  fc.tuple(fc.constantFrom(...TEST_TEXTS), fc.constantFrom(...TEST_TEXTS)).map(([x, y]) => x + y),
  fc.constantFrom<Json>('aB', 'abc', 'xab', 'é😀', '😀é', 'ab\ncd', 'A', 'ba'),
  fc.integer({ min: -20, max: 20 }),
  // Two decimals: the float texts every engine prints alike (longer ones are a difference class).
  fc.integer({ min: -2000, max: 2000 }).map((n) => n / 100),
  fc.constantFrom<Json>({ x: 'a' }, ['a'], [5], [], {}),
);

/** A record with any of the condition fields, `n` an object or a plain value. */
export const conditionRecord: fc.Arbitrary<{ [k: string]: Json }> = fc.record(
  {
    a: conditionValue,
    b: conditionValue,
    n: fc.oneof(fc.record({ x: conditionValue }, { requiredKeys: [] }), conditionValue),
    s: conditionValue,
  },
  { requiredKeys: [] },
);

/** A rule `labels.cond_<i> = "yes" when <condition>` (a constant keyword, so only the condition decides). */
export function conditionRule(i: number, when: ConditionIR, loc: RuleIR['loc']): RuleIR {
  return {
    destination: ['labels', `cond_${i}`],
    destinationType: { ecsType: 'keyword', array: false, vendor: false },
    op: 'set',
    value: { kind: 'const', value: 'yes' },
    when,
    loc,
  };
}

// ---------------------------------------------------------------------------------------------
// The write constructs (docs/language.md "Writes"): id raw, copy, several sources, remove ... when
// ---------------------------------------------------------------------------------------------

/** The record field a raw document id mostly reads (the condition fields are also drawn). */
export const ID_FIELD: FieldPath = ['id'];

/**
 * The write constructs of one random map: `id raw PATH`; `copy(...)` of fields earlier rules
 * wrote (a constant under a condition, and a field read from the record); `related.user +=`
 * several sources (each lowercased or not); `remove PATHS when COND` items.
 */
export interface Writes {
  readonly rawId?: FieldPath;
  readonly copy: boolean;
  readonly sources: readonly FieldPath[];
  readonly lowercase: boolean;
  readonly removeWhen: readonly { readonly when: ConditionIR; readonly paths: readonly FieldPath[] }[];
}

/** Every record path a condition reads. */
export function conditionPaths(c: ConditionIR): FieldPath[] {
  switch (c.kind) {
    case 'not':
      return conditionPaths(c.condition);
    case 'and':
      return c.all.flatMap(conditionPaths);
    case 'or':
      return c.any.flatMap(conditionPaths);
    case 'setting':
      return [];
    default:
      return [c.path];
  }
}

/** `a` is `b`, or one is a prefix of the other (removing one changes the other). */
const related = (a: FieldPath, b: FieldPath): boolean =>
  a.slice(0, b.length).join('.') === b.slice(0, a.length).join('.');

const WRITE_FIELDS: readonly FieldPath[] = [...CONDITION_FIELDS, ID_FIELD];

/**
 * Random write constructs, each present about half the time. A `remove ... when` never removes a
 * path any such condition reads (the checks refuse it, E0172, so every condition can be tested
 * before any removal: compiler/ir.ts `MappingIR.removeWhen`); such a path is left out of the item.
 */
export function writesArbitrary(setting?: string): fc.Arbitrary<Writes> {
  return fc
    .record({
      rawId: fc.option(fc.constantFrom(ID_FIELD, ID_FIELD, ['a'], ['n', 'x']), { freq: 2, nil: undefined }),
      copy: fc.boolean(),
      sources: fc.oneof(
        fc.constant<FieldPath[]>([]),
        fc.shuffledSubarray([...WRITE_FIELDS], { minLength: 2, maxLength: 4 }),
      ),
      lowercase: fc.boolean(),
      removeWhen: fc.oneof(
        fc.constant<{ when: ConditionIR; paths: FieldPath[] }[]>([]),
        fc.array(
          fc.record({
            when: conditionArbitrary(setting),
            paths: fc.shuffledSubarray([...WRITE_FIELDS, ['n']], { minLength: 1, maxLength: 2 }),
          }),
          { minLength: 1, maxLength: 2 },
        ),
      ),
    })
    .map((w): Writes => {
      const read = w.removeWhen.flatMap((r) => conditionPaths(r.when));
      const removeWhen = w.removeWhen
        .map((r) => ({ when: r.when, paths: r.paths.filter((p) => !read.some((q) => related(p, q))) }))
        .filter((r) => r.paths.length > 0);
      return { ...w, removeWhen };
    });
}

/**
 * A value for the {@link ID_FIELD} of a record: strings around Elasticsearch's 512-byte `_id`
 * limit (1- to 4-byte characters), the empty string, integers around ±(2^53 − 1), fractions,
 * booleans, `null`, objects and arrays; `{ text }` is a JSON number written as that text in the
 * message (`1.0`, `-0.0`, `1e3`: a float each engine's JSON reader keeps as a float).
 */
export type IdCase = { readonly value: Json } | { readonly text: string };

/**
 * Not `9007199254740991.0`: VRL 0.25's `parse_json` reads it as 9007199254740990 (a float parser
 * that is not correctly rounded near 2^53), the record's value as well as the id: a JSON reading
 * difference of the engine, not of the id.
 */
export const ID_NUMBER_TEXTS: readonly string[] = ['1.0', '-0.0', '1e3', '2.50', '9007199254740992'];

export const idCase: fc.Arbitrary<IdCase> = fc.oneof(
  fc
    .constantFrom<Json>(
      'e1',
      'é😀',
      '',
      ' ',
      'a/b?c#d',
      '${HOME}',
      '%{a}',
      'x'.repeat(512),
      'x'.repeat(513),
      'é'.repeat(256),
      `${'é'.repeat(256)}x`,
      '😀'.repeat(128),
      `${'😀'.repeat(127)}xé`,
      0,
      1,
      -1,
      42,
      2 ** 53 - 1,
      -(2 ** 53 - 1),
      2 ** 53,
      1e18,
      1.5,
      -0.5,
      true,
      false,
      null,
      {},
      [],
      ['e1'],
      { x: 'e1' },
    )
    .map((value): IdCase => ({ value })),
  fc.integer().map((value): IdCase => ({ value })),
  // Printable ASCII: a character assigned after Unicode 13 has no case mapping on the JDK 17
  // that runs the OpenSearch harness (a `+=` source may be lowercased); non-ASCII ids are above.
  fc.string({ maxLength: 8 }).map((value): IdCase => ({ value })),
  fc.constantFrom(...ID_NUMBER_TEXTS).map((text): IdCase => ({ text })),
);

/** The message of `record` with its {@link ID_FIELD} set to the case (`undefined`: left out). */
export function messageWithId(record: { [k: string]: Json }, id: IdCase | undefined): string {
  if (id === undefined) return JSON.stringify(record);
  if ('value' in id) return JSON.stringify({ ...record, id: id.value });
  const placeholder = 'mapc-number-text';
  return JSON.stringify({ ...record, id: placeholder }).replace(`"${placeholder}"`, id.text);
}
