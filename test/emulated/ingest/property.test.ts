/**
 * Property test: random records shaped like each vendor's fixture records (leaves replaced by
 * missing, null, wrong-typed, unicode, long, odd IP and odd timestamp values) give the same
 * document and `_id` through the generated ingest pipeline (run by ./processors.ts) as through
 * the reference interpreter (`compiler/interpret`, the semantics of `mapc preview`), and never
 * make the pipeline fail.
 *
 * One documented difference is tolerated: a document-id field whose value is an object, an array
 * or a non-integral number outside [1e-3, 1e7). The IR defines id text for scalars only (the
 * reference writes other values as compact JSON); the Painless id script writes Java's
 * `toString()` (`{k=v}`, `[a, b]`, `4.9E-324`), and Elasticsearch's parsed Maps do not even keep
 * key order. For those records the documents must still agree and `_id` is a SHA-256 hex.
 */
import { datePatternFormat, documentIdFields } from '../../../compiler/ir.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSettings, mapRecord, type MappedRecord } from '../../../compiler/interpret/index.ts';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { defaultTags } from '../../../targets/elastic/devtests.ts';
import { listFixtureStreams, loadFixtureIR, loadFixtureRecords } from '../../support/fixtures.ts';
import { simulate, type PipelineDefinition, type SimulateResult } from './processors.ts';
import type { Json, JsonMap } from './document.ts';
import type { StreamIR, TransformIR } from '../../../compiler/ir.ts';
import { ACME_LOC as LOC, acmeIR, field, rule } from '../../support/ir.ts';

type Path = string[];

function leafPaths(value: Json, prefix: Path = []): Path[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const out: Path[] = prefix.length > 0 ? [prefix] : [];
    for (const [k, v] of Object.entries(value)) out.push(...leafPaths(v, [...prefix, k]));
    return out;
  }
  return [prefix];
}

const REMOVE = Symbol('remove');

/** Whether `value` holds an integral number outside ±(2^53 - 1) anywhere (walked with a stack). */
function hasUnsafeInteger(value: Json): boolean {
  const stack: Json[] = [value];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) return true;
    if (v !== null && typeof v === 'object') for (const item of Object.values(v)) stack.push(item);
  }
  return false;
}

/** Whether every id field of the record is a value whose text both engines write alike. */
function portableId(record: JsonMap, fields: readonly (readonly string[])[]): boolean {
  return fields.every((path) => {
    let v: Json = record;
    for (const k of path)
      v = v !== null && typeof v === 'object' && !Array.isArray(v) ? ((v as JsonMap)[k] ?? null) : null;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
    if (typeof v === 'number') return Number.isSafeInteger(v) || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e7);
    return false;
  });
}

function replaced(record: JsonMap, path: Path, value: Json | typeof REMOVE): JsonMap {
  const copy = structuredClone(record);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return copy;
    node = (node as JsonMap)[key] ?? null;
  }
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return copy;
  if (value === REMOVE) delete (node as JsonMap)[path.at(-1)!];
  else (node as JsonMap)[path.at(-1)!] = value;
  return copy;
}

const oddValue: fc.Arbitrary<Json | typeof REMOVE> = fc.oneof(
  fc.constant(REMOVE),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ minLength: 2000, maxLength: 3000 }),
  fc.constantFrom('10.0.0.1', '2001:db8::1', 'fe80::1%eth0', '01.2.3.4', '999.1.1.1', '::', '1.2.3'),
  fc.constantFrom(
    '2024-02-30T00:00:00Z',
    '2024-11-13T15:30:45.123456789Z',
    '2024-11-13',
    '13/11/2024',
    '31/02/2024',
    '1700000000000',
    '0x10',
    '+5',
    'USER_LOGIN',
    'OPERATION_DELETE',
    'İSTANBUL',
    'ΟΔΟΣ ΣΑΣ',
    'straße',
    'ﬀ',
    'ᾳ',
  ),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxKeys: 3 }),
);

/**
 * One record text through the reference interpreter and the ingest evaluator (with `tags` on the
 * event, as the Agent sends them). A failed pipeline throws: every property expects a document.
 */
function bothOn(
  stream: StreamIR,
  pipeline: unknown,
  message: string,
  settings: Readonly<Record<string, unknown>> = {},
  tags: readonly string[] = [],
): { expected: MappedRecord; got: Extract<SimulateResult, { ok: true }> } {
  const expected = mapRecord(stream, message, settings);
  const event: JsonMap = tags.length > 0 ? { message, tags: [...tags] } : { message };
  const got = simulate(pipeline as PipelineDefinition, event);
  if (!got.ok) throw new Error(`pipeline failed: ${got.error}`);
  return { expected, got };
}

describe('generated ingest pipelines agree with the reference interpreter on random records', () => {
  for (const { vendor, stream } of listFixtureStreams()) {
    const ir = loadFixtureIR(vendor);
    const streamIR = ir.streams.find((s) => s.name === stream);
    if (!streamIR) continue;
    const templates = loadFixtureRecords(vendor, stream) as JsonMap[];
    it(`${vendor}/${stream}`, () => {
      const { pipeline } = buildPipeline(ir, streamIR);
      const settings = defaultSettings(ir);
      const tags = defaultTags(ir);
      const record = fc
        .tuple(fc.constantFrom(...templates), fc.array(fc.tuple(fc.nat(), oddValue), { minLength: 1, maxLength: 4 }))
        .map(([template, edits]) => {
          const paths = leafPaths(template);
          return edits.reduce((r, [i, v]) => replaced(r, paths[i % paths.length]!, v), template);
        });
      fc.assert(
        fc.property(record, (rec) => {
          // Documented difference (docs/target-differences.md, "Integers beyond 2^53"): such an
          // integer is exact in Elasticsearch (a Long) but already rounded in the JavaScript
          // reference; fast-check draws another record instead.
          fc.pre(!hasUnsafeInteger(rec));
          const { expected, got } = bothOn(streamIR, pipeline, JSON.stringify(rec), settings, tags);
          const doc = { ...got.doc };
          if (tags.length > 0) delete doc['tags'];
          if (streamIR.mapping.documentId && !portableId(rec, documentIdFields(streamIR.mapping.documentId))) {
            expect(doc).toEqual(expected.doc);
            expect(got._id).toMatch(/^[0-9a-f]{64}$/);
          } else {
            expect({ doc, _id: got._id }).toEqual({ doc: expected.doc, _id: expected.id });
          }
        }),
        { numRuns: 500, seed: 20261123 },
      );
    });
  }
});

describe('epoch and mixed-format dates agree with the reference interpreter', () => {
  const epochText = fc.oneof(
    fc.double({ min: -7e10, max: 3e11, noNaN: true }),
    fc.integer(),
    fc.bigInt({ min: -62167219200000n, max: 253402300799999n }).map((n) => n.toString()),
    fc
      .tuple(fc.bigInt({ min: -99999999999n, max: 99999999999n }), fc.stringMatching(/^[0-9]{1,7}$/))
      .map(([w, f]) => `${w}.${f}`),
    fc.constantFrom('20241113', '20240230', '2024-11-13T01:02:03.456789Z', '1e3', '+5', ''),
  );
  const cases: [string, TransformIR][] = [
    ['unix', { kind: 'date', formats: [{ kind: 'unix' }] }],
    ['unix_ms', { kind: 'date', formats: [{ kind: 'unix_ms' }] }],
    [
      'yyyyMMdd, unix, iso8601',
      { kind: 'date', formats: [datePatternFormat('yyyyMMdd'), { kind: 'unix' }, { kind: 'iso8601' }] },
    ],
  ];
  for (const [name, transform] of cases) {
    it(name, () => {
      const ir = acmeIR({
        rules: [rule('out.v', field('x', transform), { vendor: true })],
        consumed: [{ path: ['x'], whenDestinationSet: ['out', 'v'] }],
      });
      const stream = ir.streams[0]!;
      const { pipeline } = buildPipeline(ir, stream);
      fc.assert(
        fc.property(epochText, (x) => {
          const { expected, got } = bothOn(stream, pipeline, JSON.stringify({ x }));
          // Documented difference: the Elastic target refuses year 0000 (see EPOCH_MS_SCRIPT).
          if (JSON.stringify(expected.doc).includes('"0000-')) return;
          expect(got.doc).toEqual(expected.doc);
        }),
        { numRuns: 1000, seed: 20261123 },
      );
    });
  }
});

describe('every transform agrees with the reference interpreter on random values', () => {
  const anyValue: fc.Arbitrary<Json> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.stringMatching(/^[-+]?[0-9]{0,20}(\.[0-9]{0,3})?([eE][-+]?[0-9]{1,3})?$/),
    fc.stringMatching(/^[0-9a-fA-F:.%]{0,20}$/),
    fc.constantFrom('true', 'FALSE', 'True', 'İΣß', 'ǅ', '::ffff:1.2.3.4', '1.2.3.4', '0x1F', 'A', 'B', 'Z'),
    fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
  );
  const transforms: [string, TransformIR][] = [
    ['keyword', { kind: 'convert', to: 'keyword' }],
    ['long', { kind: 'convert', to: 'long' }],
    ['double', { kind: 'convert', to: 'double' }],
    ['boolean', { kind: 'convert', to: 'boolean' }],
    ['ip', { kind: 'convert', to: 'ip' }],
    ['lowercase', { kind: 'lowercase' }],
    ['uppercase', { kind: 'uppercase' }],
    [
      'lookup',
      {
        kind: 'lookup',
        table: 't',
        entries: [
          { from: 'A', to: 'B' },
          { from: 'B', to: 'C' },
        ],
        default: 'D',
      },
    ],
    ['hash', { kind: 'redact', mode: 'hash' }],
    ['mask', { kind: 'redact', mode: 'mask', keep: 2 }],
  ];
  for (const [name, transform] of transforms) {
    it(name, () => {
      const ir = acmeIR({
        rules: [rule('out.v', field('x', transform), { vendor: true })],
        consumed: [{ path: ['x'], whenDestinationSet: ['out', 'v'] }],
      });
      const stream = ir.streams[0]!;
      const { pipeline } = buildPipeline(ir, stream);
      fc.assert(
        fc.property(anyValue, (x) => {
          // Documented difference: an integer beyond ±2^53 is exact in Elasticsearch (a Long) but
          // already rounded in the JavaScript reference, so their texts differ.
          if (typeof x === 'number' && Number.isInteger(x) && !Number.isSafeInteger(x)) return;
          const { expected, got } = bothOn(stream, pipeline, JSON.stringify({ x }));
          expect(got.doc).toEqual(expected.doc);
        }),
        { numRuns: 1000, seed: 20261123 },
      );
    });
  }
});

describe('conditions, appends and ids agree with the reference interpreter on random records', () => {
  const leaf: fc.Arbitrary<Json> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(1.5, 1.0, 'a', '1', 'true', ''),
    fc.array(fc.constantFrom('a', 'b', 1), { maxLength: 2 }),
  );
  const record = fc.record(
    { a: fc.oneof(leaf, fc.record({ b: leaf, c: leaf }, { requiredKeys: [] })), d: leaf },
    { requiredKeys: [] },
  );
  it('equals / exists / not, append with duplicates, document id over odd shapes', () => {
    const ir = acmeIR({
      rules: [
        rule(
          'event.outcome',
          { kind: 'const', value: 'success' },
          { when: { kind: 'equals', path: ['a', 'b'], value: 1 } },
        ),
        rule('event.kind', { kind: 'const', value: 'alert' }, { when: { kind: 'equals', path: ['d'], value: 'a' } }),
        rule(
          'event.action',
          { kind: 'const', value: 'x' },
          { when: { kind: 'not', condition: { kind: 'equals', path: ['a', 'c'], value: true } } },
        ),
        rule(
          'event.reason',
          { kind: 'const', value: 'y' },
          { when: { kind: 'not', condition: { kind: 'exists', path: ['a', 'b'] } } },
        ),
        rule('related.user', field('a.b'), { op: 'append' }),
        rule('related.user', field('a.c'), { op: 'append' }),
        rule('related.user', field('d'), { op: 'append' }),
        rule('user.name', field('a.b')),
      ],
      documentId: { fields: [['a', 'b'], ['d']], loc: LOC },
      remove: [['a', 'c']],
      consumed: [{ path: ['a', 'b'], whenDestinationSet: ['user', 'name'] }],
    });
    const stream = ir.streams[0]!;
    const { pipeline } = buildPipeline(ir, stream);
    fc.assert(
      fc.property(record, (rec) => {
        const { expected, got } = bothOn(stream, pipeline, JSON.stringify(rec));
        if (portableId(rec as JsonMap, [['a', 'b'], ['d']]))
          expect({ doc: got.doc, _id: got._id }).toEqual({ doc: expected.doc, _id: expected.id });
        else expect(got.doc).toEqual(expected.doc);
      }),
      { numRuns: 2000, seed: 20261123 },
    );
  });
});
