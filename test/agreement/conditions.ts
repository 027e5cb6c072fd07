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
