/**
 * The lean remap's write and read planning (`targets/vector/vrl/plan.ts`) on hand-built maps with
 * a record schema, where the bundled maps do not go: a target whose parent an earlier rule wrote
 * as a non-object, `append` after a `set` and after earlier appends, targets inside the kept
 * record, a consumed path that a later condition still reads, shared reads with a redaction in
 * the group, declared types other than strings, constants joined under one condition. Random values of every JSON kind at every read
 * path (conforming or not), on both VRL runtimes: documents and ids equal the interpreter's
 * (which implements both tiers of compiler/ir.ts, "Record schemas"). The first case (a write
 * below a target an earlier rule wrote) also runs guarded, without the schema, on records of
 * strings: VRL types a parent from an earlier write, so both forms write below it with `set`.
 */
import { datePatternFormat } from '../../../compiler/ir.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import { stripSchemas } from '../../../compiler/schema/strip.ts';
import type {
  FieldPath,
  FieldTypeIR,
  IntegrationIR,
  RuleIR,
  StreamIR,
  TransformIR,
  ValueType,
} from '../../../compiler/ir.ts';
import { canonical } from '../../agreement/compare.ts';
import { remapOf, RUNTIMES, withoutCollectionTime } from './harness.ts';
import { constant, field, LOC, path, rule, vectorIR } from '../../support/ir.ts';

const SEED = 8_2027;

function declared(types: ValueType[], extra: Partial<FieldTypeIR> = {}): FieldTypeIR {
  return { origin: 'declared', types, optional: true, nullable: true, formats: [], ...extra };
}

/** The IR with a schema declaring `types` per read path, and each field rule's source typed. */
function withSchema(ir: IntegrationIR, types: Record<string, FieldTypeIR>): IntegrationIR {
  const [plain] = ir.streams as [StreamIR];
  const rules: RuleIR[] = plain.mapping.rules.map((r) => {
    if (r.value.kind !== 'field') return r;
    const source = types[r.value.path.join('.')];
    if (!source) throw new Error(`no type for ${r.value.path.join('.')}`);
    return { ...r, value: { ...r.value, source } };
  });
  const fields = Object.entries(types).map(([p, t]) => ({ path: path(p), ...t, loc: LOC }));
  return { ...ir, streams: [{ ...plain, schema: { fields, loc: LOC }, mapping: { ...plain.mapping, rules } }] };
}

const append = (r: RuleIR): RuleIR => ({ ...r, op: 'append' });
const STRING = declared(['string']);

const KEYWORD: TransformIR = { kind: 'convert', to: 'keyword' };
/** A table of integer codes by their decimal text (as Bitwarden's event types). */
const CODES: Extract<TransformIR, { kind: 'lookup' }> = {
  kind: 'lookup',
  table: 'codes',
  entries: [
    { from: '7', to: 'seven' },
    { from: '0', to: 'zero' },
    { from: '-3', to: 'minus three' },
    { from: '2', to: 'two' },
    { from: '1.5', to: 'never: no integer has this text' },
  ],
};

const CASES: { name: string; ir: IntegrationIR }[] = [
  {
    name: 'a target below an earlier constant, a consumed path read by a later condition',
    ir: withSchema(
      vectorIR({
        rules: [
          rule('x', constant('scalar')),
          rule('x.y', field('a')),
          rule('event.id', field('id')),
          rule('event.kind', constant('alert'), { when: { kind: 'exists', path: path('id') } }),
        ],
        consumed: [
          { path: path('a'), whenDestinationSet: path('x.y') },
          { path: path('id'), whenDestinationSet: path('event.id') },
        ],
      }),
      { a: STRING, id: STRING },
    ),
  },
  {
    name: 'append after set, appends after appends, duplicates',
    ir: withSchema(
      vectorIR({
        rules: [
          rule('related.user', field('a')),
          append(rule('related.user', field('b'))),
          append(rule('related.ip', field('b'))),
          append(rule('related.ip', field('a'))),
          append(rule('related.ip', field('b', { kind: 'lowercase' }))),
        ],
      }),
      { a: STRING, b: STRING },
    ),
  },
  {
    name: 'targets inside the kept record, shared reads with a redaction in the group',
    ir: withSchema(
      vectorIR({
        rules: [
          append(rule('related.hash', field('s', { kind: 'redact', mode: 'hash' }))),
          rule('test.events.s', field('s', { kind: 'redact', mode: 'mask', keep: 2 }), { vendor: true }),
          rule('test.events.n.copy', field('n'), { vendor: true }),
          rule('user.name', field('n')),
          rule('user.id', field('n', { kind: 'uppercase' })),
        ],
        consumed: [{ path: path('n'), whenDestinationSet: path('user.name') }],
      }),
      { s: STRING, n: STRING },
    ),
  },
  {
    name: 'declared types other than string: numbers, booleans, objects, arrays, several types',
    ir: withSchema(
      vectorIR({
        rules: [
          rule('out.long', field('i', { kind: 'convert', to: 'long' })),
          rule('out.double', field('f', { kind: 'convert', to: 'double' })),
          rule('out.flag', field('b')),
          rule('out.obj', field('o')),
          rule('out.list', field('l')),
          rule('out.kw', field('m', { kind: 'convert', to: 'keyword' })),
          rule('out.bool', field('m', { kind: 'convert', to: 'boolean' })),
          rule(
            'out.when',
            field('d', { kind: 'date', formats: [datePatternFormat('dd/MM/yyyy'), { kind: 'iso8601' }] }),
          ),
        ],
      }),
      {
        i: declared(['integer', 'string']),
        f: declared(['number']),
        b: declared(['boolean']),
        o: declared(['object']),
        l: declared(['array'], { items: { types: ['string'] } }),
        m: declared(['string', 'integer', 'boolean']),
        d: STRING,
      },
    ),
  },
  {
    name: 'keyword of integers read once per path, tables read by the decimal text',
    ir: withSchema(
      vectorIR({
        rules: [
          append(rule('event.type', field('c', KEYWORD, CODES))),
          rule('event.outcome', field('c', KEYWORD, { ...CODES, table: 'outcomes', default: 'unknown' })),
          rule('out.code', field('c', KEYWORD)),
          rule('out.name', field('d', KEYWORD, CODES)),
        ],
        consumed: [{ path: path('c'), whenDestinationSet: path('event.outcome') }],
      }),
      { c: declared(['integer']), d: declared(['integer']) },
    ),
  },
  {
    name: 'constants on one condition or its negation, joined across rules that change what they read or write',
    ir: withSchema(
      vectorIR({
        rules: [
          rule('event.kind', constant('alert'), { when: { kind: 'exists', path: path('id') } }),
          rule('event.category', constant('iam'), { when: { kind: 'equals', path: path('s'), value: 'Text' } }),
          rule('x', constant('scalar')),
          rule('event.kind', constant('event'), {
            when: { kind: 'not', condition: { kind: 'exists', path: path('id') } },
          }),
          rule('test.events.s', field('s', { kind: 'redact', mode: 'mask', keep: 1 }), { vendor: true }),
          rule('event.type', constant('info'), { when: { kind: 'equals', path: path('s'), value: 'Text' } }),
          rule('x.y', constant('below'), { when: { kind: 'exists', path: path('id') } }),
          rule('event.action', constant('seen'), { when: { kind: 'exists', path: path('id') } }),
        ],
      }),
      { s: STRING },
    ),
  },
];

const VALUES: unknown[] = [
  null,
  'Text',
  'ÉLAN İ',
  '',
  '42',
  '-7',
  '+1',
  '1.5',
  '1e999',
  'true',
  'False',
  '203.0.113.7',
  '12/11/2024',
  '2024-11-13T08:21:07.250+05:30',
  '0000-01-01T00:30:00+01:00',
  'abcdefgh-secret',
  7,
  -3,
  0,
  1.5,
  2.0,
  true,
  false,
  { k: 'v' },
  [],
  ['a', 'b'],
  ['a', 1],
];

/** A record with a value (or nothing) at each of `paths`. */
function records(paths: readonly FieldPath[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(...paths.map(() => fc.option(fc.constantFrom(...VALUES), { nil: undefined, freq: 6 })))
    .map((values) => {
      const record: Record<string, unknown> = {};
      paths.forEach((p, i) => {
        if (values[i] !== undefined) record[p.join('.')] = values[i];
      });
      return record;
    });
}

describe.each(RUNTIMES.map((r) => [r.name, r] as const))('lean remap planning on %s', (_name, runtime) => {
  // Each case lean (with its schema) and guarded (the same map without it: the same documents on
  // conforming records, tier 1; the guarded form has no tier 2, so only the lean runs every value).
  const forms = CASES.flatMap((c) => [[`${c.name}, lean`, c.ir, true] as const]);
  it.each(forms)(`%s (seed ${SEED})`, (_case, ir, lean) => {
    const stream = ir.streams[0] as StreamIR;
    const program = remapOf(ir);
    expect(program.includes('# Lean form')).toBe(lean);
    const paths = (stream.schema?.fields ?? []).map((f) => f.path);
    fc.assert(
      fc.property(fc.array(records(paths), { minLength: 40, maxLength: 40 }), (batch) => {
        const messages = batch.map((r) => JSON.stringify(r));
        const outputs = runtime.runBatch(
          program,
          messages.map((message) => ({ message })),
        );
        const failures = messages.flatMap((message, i) => {
          const want = mapRecord(stream, message, {});
          const { _id, ...doc } = outputs[i]?.[0] ?? {};
          const a = canonical({ _id: want.id, doc: want.doc });
          const b = canonical({ _id, doc: withoutCollectionTime(doc, want.doc) });
          return a === b ? [] : [`${message}\n  interpreter: ${a}\n  vrl: ${b}`];
        });
        expect(failures).toEqual([]);
      }),
      { seed: SEED, numRuns: 5, endOnFailure: true },
    );
  });

  it('joins constants only where the document is the same', () => {
    const program = remapOf(CASES[CASES.length - 1]?.ir as IntegrationIR);
    // `event.kind = "event"` and `event.action` join the first rule's test of `id`; `x.y` (its
    // parent an earlier constant wrote: the write may fail) and `event.type` (its condition reads
    // `s`, which the mask rewrites in place between) keep their own place.
    expect(program).toMatch(
      /if \.test\.events\.id != null \{\n\s+\.event\.kind = "alert"\n\s+\.event\.action = "seen"\n\s+\} else \{ \.event\.kind = "event" \}/,
    );
    expect(program.match(/\.event\.type = \["info"\]|\.event\.type = "info"/g)?.length).toBe(1);
    expect(program.indexOf('event.type')).toBeGreaterThan(program.indexOf('.test.events.s ='));
    expect(program.indexOf('["x", "y"], "below"')).toBeGreaterThan(program.indexOf('.x = "scalar"'));
  });

  it('a write below an earlier target, guarded (no schema)', () => {
    const ir = stripSchemas(CASES[0]?.ir as IntegrationIR);
    const stream = ir.streams[0] as StreamIR;
    const program = remapOf(ir);
    expect(runtime.check(program)).toEqual({ errors: [], warnings: [] });
    const messages = [{ a: 'v', id: 'i' }, { a: 'w' }, {}].map((r) => JSON.stringify(r));
    const outputs = runtime.runBatch(
      program,
      messages.map((message) => ({ message })),
    );
    messages.forEach((message, i) => {
      const want = mapRecord(stream, message, {});
      const { _id, ...doc } = outputs[i]?.[0] ?? {};
      expect(canonical({ _id, doc: withoutCollectionTime(doc, want.doc) })).toBe(
        canonical({ _id: want.id, doc: want.doc }),
      );
    });
  });
});
