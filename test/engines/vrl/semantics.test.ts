/**
 * Every transform, condition and write of the generated VRL against the reference interpreter
 * (`compiler/interpret/`), on the real VRL runtime: a table of edge values, then random values.
 */
import { datePatternFormat } from '../../../compiler/ir.ts';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapRecord } from '../../../compiler/interpret/index.ts';
import type { IntegrationIR, TransformIR } from '../../../compiler/ir.ts';
import { checkVrl, remapOf, runRemapBatch, withoutCollectionTime } from './harness.ts';
import { constant, field, rule, vectorIR } from '../../support/ir.ts';

const TRANSFORMS: Record<string, TransformIR[]> = {
  keyword: [{ kind: 'convert', to: 'keyword' }],
  long: [{ kind: 'convert', to: 'long' }],
  double: [{ kind: 'convert', to: 'double' }],
  boolean: [{ kind: 'convert', to: 'boolean' }],
  ip: [{ kind: 'convert', to: 'ip' }],
  iso: [{ kind: 'date', formats: [{ kind: 'iso8601' }] }],
  unix_ms: [{ kind: 'date', formats: [{ kind: 'unix_ms' }] }],
  unix: [{ kind: 'date', formats: [{ kind: 'unix' }] }],
  pattern: [
    {
      kind: 'date',
      formats: [datePatternFormat('dd/MM/yyyy HH:mm:ss.SSS'), datePatternFormat('yyyy.MM.dd'), { kind: 'iso8601' }],
    },
  ],
  lower: [{ kind: 'lowercase' }],
  upper: [{ kind: 'uppercase' }],
  lookup: [
    {
      kind: 'lookup',
      table: 't',
      entries: [
        { from: 'A', to: 'x' },
        { from: 'B', to: 'y' },
        { from: 'A', to: 'z' },
      ],
    },
  ],
  lookup_default: [{ kind: 'lookup', table: 't', entries: [{ from: 'A', to: 'x' }], default: 'other' }],
  hash: [{ kind: 'redact', mode: 'hash' }],
  mask: [{ kind: 'redact', mode: 'mask', keep: 3 }],
  mask_0: [{ kind: 'redact', mode: 'mask', keep: 0 }],
  chain_long_keyword: [
    { kind: 'convert', to: 'long' },
    { kind: 'convert', to: 'keyword' },
  ],
  chain_lower_lookup: [{ kind: 'lowercase' }, { kind: 'lookup', table: 't', entries: [{ from: 'a', to: 'hit' }] }],
  chain_double_date: [
    { kind: 'convert', to: 'double' },
    { kind: 'date', formats: [{ kind: 'unix' }] },
  ],
};

/** One rule per transform, all reading `v` and writing `out.<name>`; the record is kept. */
function transformIR(): IntegrationIR {
  return vectorIR({
    rules: [
      ...Object.entries(TRANSFORMS).map(([name, ts]) => rule(`out.${name}`, field('v', ...ts))),
      rule('copy.value', field('v')),
      { ...rule('related.values', field('v')), op: 'append' },
      { ...rule('related.values', field('v', { kind: 'convert', to: 'keyword' })), op: 'append' },
      rule('cond.eq_one', constant(true), { when: { kind: 'equals', path: ['v'], value: 1 } }),
      rule('cond.eq_text', constant(true), { when: { kind: 'equals', path: ['v'], value: 'A' } }),
      rule('cond.eq_true', constant(true), { when: { kind: 'equals', path: ['v'], value: true } }),
      rule('cond.exists', constant(true), { when: { kind: 'exists', path: ['v'] } }),
      rule('cond.not_exists', constant(true), { when: { kind: 'not', condition: { kind: 'exists', path: ['v'] } } }),
    ],
    consumed: [{ path: ['v'], whenDestinationSet: ['out', 'long'] }],
  });
}

/**
 * Runs all records in one batch and compares each document and id with the interpreter's;
 * reports every mismatching leaf of every record at once.
 */
function agree(
  ir: IntegrationIR,
  program: string,
  records: readonly unknown[],
  settings: Record<string, unknown> = {},
): void {
  const messages = records.map((r) => JSON.stringify(r));
  const outputs = runRemapBatch(
    program,
    messages.map((message) => ({ message })),
  );
  const mismatches: string[] = [];
  messages.forEach((message, i) => {
    const events = outputs[i] ?? [];
    const expected = mapRecord(ir.streams[0]!, message, settings);
    const want = expected.id === undefined ? expected.doc : { ...expected.doc, _id: expected.id };
    const actual = events.length === 1 ? withoutCollectionTime(events[0], want) : { events };
    for (const d of leafDiffs(actual, want, '')) mismatches.push(`${message}: ${d}`);
  });
  expect(mismatches).toEqual([]);
}

/** `path: vrl=<json> interpreter=<json>` for each differing leaf. */
function leafDiffs(a: unknown, b: unknown, at: string): string[] {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => leafDiffs(a[k], b[k], at === '' ? k : `${at}.${k}`));
  }
  return isDeepStrictEqual(a, b) ? [] : [`${at}: vrl=${JSON.stringify(a)} interpreter=${JSON.stringify(b)}`];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const EDGE_VALUES: unknown[] = [
  'A',
  'B',
  'a',
  'abc',
  '',
  'ß',
  'İstanbul',
  'ΣΑΣ',
  'ᾳ ᾀ',
  'ﬀ',
  'héllo wörld',
  '😀😀😀😀',
  'line\nbreak',
  '42',
  '-7',
  '007',
  '+5',
  ' 5',
  '9223372036854775808',
  '-9223372036854775808',
  '1.5',
  '1e3',
  '-2.5E-3',
  '1e999',
  '.5',
  '5.',
  'true',
  'FALSE',
  'True',
  'yes',
  '192.168.0.1',
  '01.2.3.4',
  '256.1.1.1',
  '::1',
  '2001:db8::1',
  '::ffff:192.0.2.1',
  'fe80::1%eth0',
  '[::1]',
  '1.2.3',
  '2024-11-13T15:30:45Z',
  '2024-11-13T15:30:45.123456789Z',
  '2024-11-13T15:30:45.9+02:00',
  '2024-11-13T15:30:45-23:59',
  '2024-11-13t15:30:45z',
  '2024-02-30T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2024-11-13T24:00:00Z',
  '2024-11-13T15:30:60Z',
  '2024-11-13T15:30:45+24:00',
  '0000-01-01T00:00:00Z',
  '0000-01-01T00:30:00+01:00',
  '9999-12-31T23:59:59.999-00:01',
  '2024-11-13T15:30:45.1234567890123456789Z',
  '2024-11-13 15:30:45Z',
  '13/11/2024 08:21:07.250',
  '1/11/2024 08:21:07.250',
  '31/04/2024 00:00:00.000',
  '2024.11.13',
  '2024.13.01',
  '1700000000123',
  '1700000000.5',
  '-1.0001',
  '-0.0000001',
  '253402300799.999',
  '253402300800',
  '-62167219200',
  '-62167219201',
  '12345678901234567890123',
  0,
  1,
  -1,
  1.0,
  1.5,
  -0.5,
  42,
  1700000000123,
  1700000000.123,
  1e21,
  -1e-7,
  2 ** 53 - 1,
  1e18,
  -(2 ** 53),
  253402300800000,
  true,
  false,
  null,
  [],
  ['A', 'B', 'A'],
  [1, 'x'],
  {},
  { a: 1 },
  // mask(3) edges: 2 × keep and 2 × keep + 1 characters, astral ones counted as one.
  'abcdef',
  'abcdefg',
  '😀😀😀😀😀😀',
  '😀😀😀😀😀😀😀',
  'ab\ncd\n',
  'ab\ncd\ne',
];

describe('generated VRL agrees with the reference interpreter', () => {
  const ir = transformIR();
  const program = remapOf(ir);

  it('compiles with no error and no warning', () => {
    expect(checkVrl(program)).toEqual({ errors: [], warnings: [] });
  });

  it(`${EDGE_VALUES.length} edge values, and a missing value`, () => {
    agree(ir, program, [...EDGE_VALUES.map((v) => ({ v, other: 'kept' })), { other: 'kept' }]);
  });

  it('random values of every JSON type', () => {
    const scalar = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.integer(),
      // At most 15 significant digits, no exponent: see the serde_json difference below.
      fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((d) => Number(d.toFixed(6))),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom(
        'A',
        'a',
        'true',
        '10.0.0.1',
        '2024-01-02T03:04:05.6789Z',
        '1700000000',
        '02/01/2024 03:04:05.006',
      ),
      fc
        .date({ min: new Date(-62167219200000), max: new Date(253402300799999), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.integer({ min: -62167219200000, max: 253402300799999 }).map(String),
    );
    const values = fc.sample(fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { numRuns: 300, seed: 20261123 });
    agree(
      ir,
      program,
      values.map((v) => ({ v })),
    );
  });
});

describe('record placement, settings and the document id', () => {
  it('without keepUnmapped the record never reaches the document', () => {
    const ir = vectorIR({
      keepUnmapped: false,
      rules: [rule('event.id', field('id'))],
      documentId: { fields: [['id'], ['n'], ['missing']], loc: rule('x', constant(1)).loc },
    });
    const program = remapOf(ir);
    expect(checkVrl(program)).toEqual({ errors: [], warnings: [] });
    agree(ir, program, [
      { id: 'abc', n: 1.5, other: { deep: true } },
      { id: 7, n: true },
    ]);
  });

  it('an empty namespace makes the record the document root', () => {
    const ir = vectorIR({
      namespace: [],
      rules: [rule('event.id', field('id'))],
      consumed: [{ path: ['id'], whenDestinationSet: ['event', 'id'] }],
    });
    const program = remapOf(ir);
    agree(ir, program, [{ id: 'abc', rest: 1 }]);
  });

  it('rules see earlier writes under the namespace; remove deletes after mapping', () => {
    const ir = vectorIR({
      rules: [
        rule('test.events.secret', field('secret', { kind: 'redact', mode: 'mask', keep: 2 }), { vendor: true }),
        rule('user.name', field('secret')),
      ],
      remove: [['drop', 'me']],
    });
    agree(ir, remapOf(ir), [{ secret: 'hunter2', drop: { me: 1, keep: 2 } }]);
  });

  it('a write under a non-object parent fails with error.message, as in the interpreter', () => {
    const ir = vectorIR({ rules: [rule('test.events.scalar.x', field('v'), { vendor: true })] });
    agree(ir, remapOf(ir), [{ v: 'x', scalar: 'not an object' }]);
  });

  it.each([
    [{}, {}],
    [
      { TEST_PRESERVE: 'true', TEST_FLAG: 'TRUE' },
      { preserve: true, flag: 'TRUE' },
    ],
    [{ TEST_PRESERVE: 'no' }, { preserve: 'no' }],
  ])('bool settings from the environment %j', (env, settings) => {
    const ir = vectorIR({
      original: { setting: 'preserve' },
      rules: [rule('labels.flag', constant('on'), { when: { kind: 'setting', name: 'flag' } })],
    });
    const program = remapOf(ir, env);
    expect(checkVrl(program)).toEqual({ errors: [], warnings: [] });
    agree(ir, program, [{ a: 1 }], settings);
  });

  it('a message that is not a JSON object becomes a pipeline_error document', () => {
    const ir = vectorIR({ rules: [] });
    const messages = ['not json', '[1]', '"text"', ''];
    for (const [event] of runRemapBatch(
      remapOf(ir),
      messages.map((message) => ({ message })),
    )) {
      expect(event?.event).toEqual({ kind: 'pipeline_error', dataset: 'test.events' });
      expect(event?.error).toEqual({ message: ['mapc: the record is not the JSON text of an object'] });
      expect(typeof event?.['@timestamp']).toBe('string');
    }
  });
});

describe('known differences from the interpreter (reported, not hidden)', () => {
  const ir = vectorIR({
    rules: [
      rule('out.long', field('v', { kind: 'convert', to: 'long' }, { kind: 'convert', to: 'keyword' })),
      rule('copy.value', field('v')),
    ],
  });
  const program = remapOf(ir);

  it('VRL keeps 64-bit integers exact where JavaScript rounds them to a double', () => {
    const [[event]] = runRemapBatch(program, [{ message: '{"v":"9223372036854775807"}' }]) as [
      [Record<string, unknown>],
    ];
    expect((event.out as Record<string, unknown>).long).toBe('9223372036854775807');
    expect(mapRecord(ir.streams[0]!, '{"v":"9223372036854775807"}', {}).doc.out).toEqual({
      long: '9223372036854775808',
    });
  });

  it('VRL parses some JSON numbers with extreme exponents one unit in the last place away (serde_json without float_roundtrip)', () => {
    const outputs = runRemapBatch(program, [
      { message: '{"v":-1.9078214934685742e-295}' },
      { message: '{"v":1.79511664440986e-45}' },
    ]);
    expect(outputs.map(([e]) => (e?.copy as Record<string, unknown>).value)).toEqual([
      -1.9078214934685744e-295, 1.7951166444098602e-45,
    ]);
  });

  it('keyword of an integral number beyond 2^63 has the shortest round-trip digits, not the exact binary value', () => {
    const ir2 = vectorIR({ rules: [rule('out.k', field('v', { kind: 'convert', to: 'keyword' }))] });
    const [[event]] = runRemapBatch(remapOf(ir2), [{ message: '{"v":1e300}' }]) as [[Record<string, unknown>]];
    expect((event.out as Record<string, unknown>).k).toBe(`1${'0'.repeat(300)}`);
    expect((mapRecord(ir2.streams[0]!, '{"v":1e300}', {}).doc.out as Record<string, string>).k).toMatch(
      /^10000000000000000525/,
    );
  });

  it('appending objects dedupes regardless of key order, in VRL as in the interpreter', () => {
    const ir2 = vectorIR({ rules: [{ ...rule('related.items', field('v')), op: 'append' }] });
    const message = '{"v":[{"a":1,"b":2},{"b":2,"a":1}]}';
    const [[event]] = runRemapBatch(remapOf(ir2), [{ message }]) as [[Record<string, unknown>]];
    expect((event.related as Record<string, unknown>).items).toEqual([{ a: 1, b: 2 }]);
    expect((mapRecord(ir2.streams[0]!, message, {}).doc.related as Record<string, unknown[]>).items).toEqual([
      { a: 1, b: 2 },
    ]);
  });

  it('a lone surrogate makes the record unreadable for VRL (pipeline_error), not for the interpreter', () => {
    const message = JSON.stringify({ v: 'x\ud800y' });
    const [[event]] = runRemapBatch(program, [{ message }]) as [[Record<string, unknown>]];
    expect(event.event).toEqual({ kind: 'pipeline_error', dataset: 'test.events' });
    expect(mapRecord(ir.streams[0]!, message, {}).doc.copy).toEqual({ value: 'x\ud800y' });
  });

  it('an integer literal beyond 2^53 in the record stays exact in VRL, JavaScript rounds it', () => {
    const [[event]] = runRemapBatch(program, [{ message: '{"v":4611686018427388001}' }]) as [[Record<string, unknown>]];
    expect((event.out as Record<string, unknown>).long).toBe('4611686018427388001');
  });
});

describe('odd field names', () => {
  it('quoted path segments (spaces, quotes, braces, dots, unicode) read and write as in the interpreter', () => {
    const names = ['Date & Time', 'a"b', 'x{{y}}z', 'back\\slash', 'ünï', '0lead', 'tab\there', 'with.dot', '@at'];
    const ir = vectorIR({
      rules: names.map((n, i) => rule(`labels.v${i}`, { kind: 'field', path: ['odd', n], transforms: [] })),
      consumed: names.map((n, i) => ({ path: ['odd', n], whenDestinationSet: ['labels', `v${i}`] })),
    });
    const program = remapOf(ir);
    expect(checkVrl(program)).toEqual({ errors: [], warnings: [] });
    agree(ir, program, [{ odd: Object.fromEntries(names.map((n, i) => [n, `value ${i}`])) }]);
  });
});
