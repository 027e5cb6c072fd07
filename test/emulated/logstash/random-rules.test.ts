/**
 * The lowering on random mappings: random rules (every transform kind, chains, `when`
 * conditions, set and append, consumed paths, a document id) over random records, each record run
 * through the generated Logstash filters (parsed back from the printed text) and through the
 * reference interpreter; documents and ids must be equal. The printed text must also stay what
 * `mustache format` prints (checked once per run on a sample, see pipeline.test.ts for the tool).
 *
 * Values avoid no input: `+=` of objects, arrays and same-text values of different types,
 * multi-code-point case mappings and lenient date forms (all once Logstash differences) are
 * generated on purpose; only the id is not compared when an id field holds an array (documented).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSettings, mapRecord } from '../../../compiler/interpret/index.ts';
import type {
  ConditionIR,
  ConsumedIR,
  DateFormat,
  FieldPath,
  IntegrationIR,
  RuleIR,
  StreamIR,
  TransformIR,
} from '../../../compiler/ir.ts';
import { logstashBackend } from '../../../targets/logstash/index.ts';
import { loadFixtureIR } from '../../support/fixtures.ts';
import { MUSTACHE, MUSTACHE_MISSING, runPipeline } from './support.ts';
import { datePatternFormat } from '../../../compiler/ir.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const FIELDS: FieldPath[] = [['a'], ['b'], ['n', 'x'], ['n', 'y'], ['list']];
const loc = { file: 'random.map', offset: 0, length: 1, line: 1, column: 1 };

const date = fc.date({
  min: new Date('1971-01-01T00:00:00Z'),
  max: new Date('2090-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const p2 = (n: number) => String(n).padStart(2, '0');
const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: 0, max: 2_000_000_000 }),
  fc
    .integer({ min: 1, max: 99_999 })
    .filter((n) => n % 100 !== 0)
    .map((n) => n / 100),
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    'USER_LOGIN',
    'Mixed Case',
    'true',
    'False',
    '12',
    '007',
    '-3',
    '2.5e2',
    '10.0.0.1',
    '2001:db8::1',
    '1.2.3',
    'héllo 😀',
    'secret-value',
  ),
  date.map((d) => d.toISOString()),
  date.map((d) => `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`),
  date.map((d) => String(Math.floor(d.getTime() / 1000))),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 1 }),
  fc.constantFrom<Json>(
    '2024-11-13',
    '2024-11-13T15:30:45',
    '2024-11-13 15:30:45Z',
    '1/3/2024',
    '2024-11-13 1:02:03',
    'İSTANBUL',
    'straße ﬃ ᾀ {ß}{}',
    '\ufb06\u1fd3 {0}',
    0,
    '0',
    5.0,
    { a: 1 },
    ['a', 'a'],
    [0, '0'],
    [],
  ),
);
const record: fc.Arbitrary<{ [k: string]: Json }> = fc.record(
  { a: leaf, b: leaf, n: fc.oneof(fc.record({ x: leaf, y: leaf }, { requiredKeys: [] }), leaf), list: leaf },
  { requiredKeys: [] },
);

const dateFormat: fc.Arbitrary<DateFormat> = fc.constantFrom<DateFormat>(
  { kind: 'iso8601' },
  { kind: 'unix' },
  { kind: 'unix_ms' },
  datePatternFormat('dd/MM/yyyy'),
  datePatternFormat('yyyy-MM-dd HH:mm:ss'),
);
const transform: fc.Arbitrary<TransformIR> = fc.oneof(
  fc.constantFrom('keyword', 'long', 'double', 'boolean', 'ip').map((to) => ({ kind: 'convert', to }) as TransformIR),
  fc.array(dateFormat, { minLength: 1, maxLength: 2 }).map((formats) => ({ kind: 'date', formats }) as TransformIR),
  fc.constantFrom<TransformIR>({ kind: 'lowercase' }, { kind: 'uppercase' }, { kind: 'redact', mode: 'hash' }),
  fc.integer({ min: 0, max: 5 }).map((keep) => ({ kind: 'redact', mode: 'mask', keep }) as TransformIR),
  fc.option(fc.constantFrom('dflt', 'other'), { nil: undefined }).map(
    (d) =>
      ({
        kind: 'lookup',
        table: 't',
        entries: [
          { from: 'USER_LOGIN', to: 'login' },
          { from: 'true', to: 'yes' },
          { from: '12', to: 'twelve' },
        ],
        ...(d === undefined ? {} : { default: d }),
      }) as TransformIR,
  ),
);
const condition: fc.Arbitrary<ConditionIR> = fc.letrec<{ c: ConditionIR }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...FIELDS).map((path) => ({ kind: 'exists', path }) as ConditionIR),
    fc
      .tuple(
        fc.constantFrom(...FIELDS),
        fc.constantFrom<string | number | boolean>('USER_LOGIN', 'true', true, false, 12, 2.5),
      )
      .map(([path, value]) => ({ kind: 'equals', path, value }) as ConditionIR),
    tie('c').map((c) => ({ kind: 'not', condition: c }) as ConditionIR),
    fc.constant({ kind: 'setting', name: 'flag' } as ConditionIR),
  ),
})).c;
const SET_DESTINATIONS: FieldPath[] = [
  ['o', 'p'],
  ['o', 'q'],
  ['rec', 'a'],
  ['rec', 'n', 'x'],
];
/** Append targets only appends write; values of any type and transform. */
const APPEND_DESTINATIONS: FieldPath[] = [
  ['o', 'list'],
  ['o', 'tags'],
];
const fieldValue = fc.record({
  kind: fc.constant('field' as const),
  path: fc.constantFrom(...FIELDS),
  transforms: fc.array(transform, { maxLength: 3 }),
});
const setRule = fc.record({
  destination: fc.constantFrom(...SET_DESTINATIONS),
  op: fc.constant('set' as const),
  value: fc.oneof(
    { weight: 4, arbitrary: fieldValue },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('const' as const),
        value: fc.constantFrom<string | number | boolean>('k', 7, 1.5, true),
      }),
    },
  ),
  when: fc.option(condition, { nil: undefined }),
});
const appendRule = fc.record({
  destination: fc.constantFrom(...APPEND_DESTINATIONS),
  op: fc.constant('append' as const),
  value: fc.oneof(
    { weight: 4, arbitrary: fieldValue },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('const' as const),
        value: fc.constantFrom<string | number | boolean>('k', 'USER_LOGIN', '12', 12, true),
      }),
    },
  ),
  when: fc.option(condition, { nil: undefined }),
});
const rule: fc.Arbitrary<RuleIR> = fc
  .oneof({ weight: 3, arbitrary: setRule }, { weight: 2, arbitrary: appendRule })
  .map(
    (r) => ({ ...r, destinationType: { ecsType: 'keyword', array: r.op === 'append', vendor: false }, loc }) as RuleIR,
  );

function streamWith(base: StreamIR, rules: RuleIR[], keep: boolean, remove: FieldPath[]): StreamIR {
  const consumed: ConsumedIR[] = [];
  for (const r of rules) {
    if (r.op !== 'set' || r.value.kind !== 'field' || r.destination[0] === 'rec') continue;
    const path = r.value.path;
    if (!consumed.some((c) => c.path.join('.') === path.join('.')))
      consumed.push({ path, whenDestinationSet: r.destination });
  }
  return {
    ...base,
    mapping: {
      namespace: ['rec'],
      keepUnmapped: keep,
      original: { setting: 'orig' },
      rules,
      remove,
      consumed,
      documentId: { fields: [['a'], ['n', 'x']], loc },
    },
  };
}

describe('random mappings: generated Logstash filters agree with the reference interpreter', () => {
  const base = loadFixtureIR('endor_labs');
  const settings = [
    ...base.settings,
    {
      name: 'flag',
      type: 'bool',
      title: 'f',
      description: '',
      required: false,
      default: false,
      envVar: 'RANDOM_FLAG',
      loc,
    },
    {
      name: 'orig',
      type: 'bool',
      title: 'o',
      description: '',
      required: false,
      default: true,
      envVar: 'RANDOM_ORIG',
      loc,
    },
  ] as IntegrationIR['settings'];

  it('same documents and ids', () => {
    fc.assert(
      fc.property(
        fc.array(rule, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.subarray(FIELDS, { maxLength: 1 }),
        fc.array(record, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (rules, keep, remove, records, flag) => {
          const stream = streamWith(base.streams[0]!, rules, keep, remove);
          const ir: IntegrationIR = { ...base, settings, streams: [stream] };
          const { files, diagnostics } = logstashBackend.emit(ir, {});
          expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const conf = files.find((f) => f.path.endsWith('.conf'))!.content;
          for (const r of records) {
            const message = JSON.stringify(r);
            const expected = mapRecord(stream, message, { ...defaultSettings(ir), flag });
            const actual = runPipeline(conf, message, { RANDOM_FLAG: String(flag) });
            expect(actual.doc).toEqual(expected.doc);
            // Documented difference: sprintf joins an array id field with "," where the IR writes JSON.
            const n = r['n'];
            const arrayId =
              Array.isArray(r['a']) ||
              (n !== null && typeof n === 'object' && !Array.isArray(n) && Array.isArray(n['x']));
            if (!arrayId) expect(actual._id).toBe(expected.id);
          }
        },
      ),
      { numRuns: 300, seed: 4242 },
    );
  });

  it('random pipelines parse with mustache and are already in its format', () => {
    if (!existsSync(MUSTACHE)) throw new Error(MUSTACHE_MISSING);
    const dir = mkdtempSync(join(tmpdir(), 'mapc-ls-random-'));
    const samples = fc.sample(
      fc.tuple(fc.array(rule, { minLength: 1, maxLength: 8 }), fc.boolean(), fc.subarray(FIELDS, { maxLength: 2 })),
      { numRuns: 25, seed: 7 },
    );
    samples.forEach(([rules, keep, remove], i) => {
      const stream = streamWith(base.streams[0]!, rules, keep, remove);
      const conf = logstashBackend
        .emit({ ...base, settings, streams: [stream] }, {})
        .files.find((f) => f.path.endsWith('.conf'))!.content;
      const file = join(dir, `p${i}.conf`);
      writeFileSync(file, conf);
      expect(execFileSync(MUSTACHE, ['format', file], { encoding: 'utf8' })).toBe(conf);
    });
  });
});
