/**
 * The `accepts` of each transform in the registry (dsl/transforms.ts) is what the interpreter
 * does: a value of a type it does not take always fails (lookup: never yields a table entry),
 * and each type it takes has a value that converts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTransform } from '../../../compiler/interpret/index.ts';
import type { TransformIR } from '../../../compiler/ir.ts';
import { acceptedInputs, takes, TRANSFORMS, type DateFormatKind, type InputType } from '../../../dsl/transforms.ts';
import { datePatternFormat } from '../../../compiler/ir.ts';
import { parseRegex, type ParsedRegex } from '../../../dsl/regex.ts';

const SEED = 1_408;

function parsed(pattern: string): ParsedRegex {
  const r = parseRegex(pattern);
  if (r.kind !== 'regex') throw new Error(r.message);
  return r;
}

/** Each transform as IR, `date` once per format kind. */
const CASES: { name: string; ir: TransformIR; formats?: DateFormatKind[] }[] = [
  { name: 'keyword', ir: { kind: 'convert', to: 'keyword' } },
  { name: 'long', ir: { kind: 'convert', to: 'long' } },
  { name: 'double', ir: { kind: 'convert', to: 'double' } },
  { name: 'boolean', ir: { kind: 'convert', to: 'boolean' } },
  { name: 'ip', ir: { kind: 'convert', to: 'ip' } },
  { name: 'date', ir: { kind: 'date', formats: [{ kind: 'iso8601' }] }, formats: ['iso8601'] },
  { name: 'date', ir: { kind: 'date', formats: [{ kind: 'unix' }] }, formats: ['unix'] },
  { name: 'date', ir: { kind: 'date', formats: [{ kind: 'unix_ms' }] }, formats: ['unix_ms'] },
  { name: 'date', ir: { kind: 'date', formats: [datePatternFormat('dd/MM/yyyy')] }, formats: ['pattern'] },
  { name: 'lowercase', ir: { kind: 'lowercase' } },
  { name: 'uppercase', ir: { kind: 'uppercase' } },
  { name: 'lookup', ir: { kind: 'lookup', table: 't', entries: [{ from: 'a', to: 'A' }], default: 'D' } },
  { name: 'hash', ir: { kind: 'redact', mode: 'hash' } },
  { name: 'mask', ir: { kind: 'redact', mode: 'mask', keep: 2 } },
  { name: 'split', ir: { kind: 'split', separator: ',' } },
  { name: 'json', ir: { kind: 'json' } },
  { name: 'kv', ir: { kind: 'kv', fieldSeparator: ' ', valueSeparator: '=' } },
  { name: 'extract', ir: { kind: 'extract', pattern: '(.+)', regex: parsed('(.+)') } },
];

const VALUES: Record<InputType, fc.Arbitrary<unknown>> = {
  string: fc.oneof(
    fc.string(),
    fc.constantFrom('a', '17', 'true', '203.0.113.1', '2024-11-13T00:00:00Z', '13/11/2024'),
  ),
  integer: fc.oneof(fc.integer(), fc.constantFrom(0, 1_700_000_000)),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  boolean: fc.boolean(),
  object: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
  array: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }),
};

/** A value of each type the transform takes and converts. */
const WITNESS: Record<InputType, unknown> = {
  string: 'x',
  integer: 17,
  number: 1.5,
  boolean: true,
  object: {},
  array: [],
};
const STRING_WITNESS: Record<string, string> = {
  long: '17',
  double: '1.5',
  boolean: 'true',
  ip: '203.0.113.1',
  date: '2024-11-13T00:00:00Z',
  lookup: 'a',
  json: '{}',
  kv: 'a=1',
};

function converts(c: (typeof CASES)[number], value: unknown): boolean {
  const out = applyTransform(value, c.ir);
  // lookup "takes" a value when it can match an entry (its default is no match).
  return out.kind === 'value' && !(c.ir.kind === 'lookup' && out.value === 'D');
}

describe('the registry says which input types each transform takes', () => {
  it('covers every transform', () => {
    expect(new Set(CASES.map((c) => c.name))).toEqual(new Set(TRANSFORMS.map((t) => t.identifier)));
  });

  for (const c of CASES) {
    const spec = TRANSFORMS.find((t) => t.identifier === c.name)!;
    const accepted = acceptedInputs(spec, c.formats);
    const label = c.formats ? `${c.name}(${c.formats[0]})` : c.name;
    for (const type of Object.keys(VALUES) as InputType[]) {
      const verdict = takes(accepted, type);
      if (verdict === 'none') {
        it(`${label} always fails on ${type} values (seed ${SEED})`, () => {
          fc.assert(
            fc.property(VALUES[type], (v) => {
              expect(converts(c, v)).toBe(false);
            }),
            { seed: SEED, numRuns: 200 },
          );
        });
      } else {
        it(`${label} converts some ${type} value`, () => {
          let witness: unknown = WITNESS[type];
          if (type === 'string')
            witness =
              c.formats?.[0] === 'pattern'
                ? '13/11/2024'
                : c.formats?.[0] === 'unix' || c.formats?.[0] === 'unix_ms'
                  ? '1700000000'
                  : (STRING_WITNESS[c.name] ?? 'x');
          // `some`: only numbers without a fraction convert.
          if (verdict === 'some') witness = 2;
          expect(converts(c, witness), JSON.stringify(witness)).toBe(true);
        });
      }
    }
  }
});
