/**
 * The JSON Schema that ajv validates records with and the interpreter's own conformance test
 * (tier 2 of the module doc of `compiler/ir.ts`) say the same thing about every value: random
 * declarations (types, arrays, formats, nullable) and random values, many of them at the edges
 * of the formats. Both read dates and IPs with the interpreter's parsers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conforms } from '../../../compiler/interpret/conform.ts';
import type { ElementTypeIR, FieldFormat, FieldTypeIR, RecordSchemaIR, ValueType } from '../../../compiler/ir.ts';
import { recordJsonSchema } from '../../../compiler/schema/json-schema.ts';
import { RecordValidator } from '../../../compiler/schema/validate.ts';
import { conformingValue } from './arbitraries.ts';
import { datePatternFormat } from '../../../compiler/ir.ts';

const SEED = 20_250_801;
const LOC = { file: 't.map', offset: 0, length: 0, line: 1, column: 1 };

const scalar = fc.constantFrom<ValueType>('string', 'integer', 'number', 'boolean', 'object', 'any');
const formats: fc.Arbitrary<FieldFormat[]> = fc.oneof(
  fc.constant<FieldFormat[]>([]),
  fc.constant<FieldFormat[]>([{ kind: 'ip' }]),
  fc.subarray<FieldFormat>(
    [
      { kind: 'iso8601' },
      { kind: 'unix' },
      { kind: 'unix_ms' },
      datePatternFormat('dd/MM/yyyy'),
      datePatternFormat('yyyy-MM-dd HH:mm:ss.SSS'),
    ],
    { minLength: 1 },
  ),
);
const element: fc.Arbitrary<ElementTypeIR> = fc.oneof(
  scalar.map((t) => ({ types: [t] })),
  scalar.map((t) => ({ types: ['array' as ValueType], items: { types: [t] } })),
);

interface Decl {
  readonly types: ValueType[];
  readonly items?: ElementTypeIR;
  readonly nullable: boolean;
  readonly formats: FieldFormat[];
}

/** Declarations the checks accept (E0147): `any` alone, no number with integer, formats on types they apply to. */
const declaration: fc.Arbitrary<Decl> = fc
  .record({
    types: fc.subarray<ValueType>(['string', 'integer', 'number', 'boolean', 'object', 'array'], { minLength: 1 }),
    any: fc.boolean(),
    items: fc.option(element, { nil: undefined }),
    nullable: fc.boolean(),
    formats,
  })
  .map(({ types, any, items, nullable, formats: fs }) => {
    if (any) return { types: ['any' as ValueType], nullable: false, formats: [] };
    const t = types.includes('number') ? types.filter((x) => x !== 'integer') : types;
    const takesFormats =
      t.includes('string') ||
      (t.some((x) => x === 'integer' || x === 'number') && fs.every((f) => f.kind === 'unix' || f.kind === 'unix_ms'));
    return {
      types: t,
      ...(t.includes('array') && items ? { items } : {}),
      nullable,
      formats: takesFormats ? fs : [],
    };
  });

const EDGE_NUMBERS = [
  -62_167_219_200,
  -62_167_219_200.001,
  253_402_300_799.999,
  253_402_300_800,
  -62_167_219_200_000,
  -62_167_219_200_001,
  253_402_300_799_999,
  253_402_300_800_000,
  0,
  -0.5,
  1.5,
  1e21,
  1e-7,
  -1e-7,
  2 ** 53,
];
const EDGE_STRINGS = [
  '2024-11-13T15:30:45.123456Z',
  '2024-11-13T15:30:45+05:30',
  '2024-11-13t15:30:45Z',
  '2024-02-30T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59-00:01',
  '2024-11-13T23:59:60Z',
  '13/11/2024',
  '31/02/2024',
  '2024-11-13 15:30:45.123',
  '1700000000',
  '1700000000.5',
  '-1',
  '1e3',
  ' 1',
  '203.0.113.42',
  '01.2.3.4',
  '::1',
  'fe80::1%eth0',
  '[::1]',
  '2001:DB8::1',
  '::ffff:1.2.3.4',
  '',
  'x',
  ...EDGE_NUMBERS.map(String),
];
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(...EDGE_NUMBERS, ...EDGE_STRINGS),
  fc.array(fc.constantFrom<unknown>(...EDGE_STRINGS.slice(0, 6), 1, 'a', null, [], {}), { maxLength: 3 }),
);

/** ajv's verdict and the interpreter's on each value, for one declaration (one ajv compile). */
function verdicts(decl: Decl, values: readonly unknown[]): { v: unknown; ajv: boolean; interpreter: boolean }[] {
  const schema: RecordSchemaIR = {
    fields: [{ path: ['v'], ...decl, optional: false, loc: LOC }],
    loc: LOC,
  };
  const validator = new RecordValidator(recordJsonSchema(schema), schema.fields);
  const type: FieldTypeIR = { origin: 'declared', optional: false, ...decl };
  return values.map((v) => ({
    v,
    ajv: validator.violations({ v }).length === 0,
    interpreter: v === null ? decl.nullable || decl.types.includes('any') : conforms(v, type),
  }));
}

describe('ajv and the interpreter agree on conformance', () => {
  it(`on random declarations and values (seed ${SEED})`, () => {
    fc.assert(
      fc.property(declaration, fc.array(value, { minLength: 1, maxLength: 20 }), (decl, values) => {
        const disagreements = verdicts(decl, values).filter((x) => x.ajv !== x.interpreter);
        expect(disagreements, JSON.stringify(decl)).toEqual([]);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it(`on values generated to conform, which both accept (seed ${SEED})`, () => {
    fc.assert(
      fc.property(
        declaration.chain((decl) =>
          fc.tuple(fc.constant(decl), fc.array(conformingValue(decl), { minLength: 1, maxLength: 10 })),
        ),
        ([decl, values]) => {
          const rejected = verdicts(decl, values).filter((x) => !x.ajv || !x.interpreter);
          expect(rejected, JSON.stringify(decl)).toEqual([]);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('reject often enough to mean something: a third of the random values at least', () => {
    const sample = fc.sample(fc.tuple(declaration, value), { seed: SEED, numRuns: 300 });
    const rejected = sample.filter(([decl, v]) => !verdicts(decl, [v])[0]!.ajv).length;
    expect(rejected).toBeGreaterThan(100);
  });

  it('on the epoch bounds: exactly the years 0000-9999, fractions truncated toward the past', () => {
    const unix: Decl = { types: ['number', 'string'], nullable: false, formats: [{ kind: 'unix' }] };
    const ms: Decl = { types: ['number', 'string'], nullable: false, formats: [{ kind: 'unix_ms' }] };
    const ajv = (decl: Decl, values: unknown[]): boolean[] =>
      verdicts(decl, values).map((x) => {
        expect(x.ajv, JSON.stringify(x.v)).toBe(x.interpreter);
        return x.ajv;
      });
    expect(ajv(unix, [-62_167_219_200, -62_167_219_200.001, 253_402_300_799.999, 253_402_300_800])).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(ajv(unix, ['-62167219200', '-62167219200.001', '253402300799.999', '253402300800'])).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(ajv(ms, [-62_167_219_200_000, -62_167_219_200_000.5, 253_402_300_799_999.5, 253_402_300_800_000])).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });
});
