/**
 * The evaluator agrees with a real ingest engine: edge-case records (wrong types, 0x/+ numbers,
 * zoned and zero-padded IPs, impossible dates, supplementary characters, non-object parents,
 * lookups, ids) go through mapc's generated pipelines both in ./processors.ts and on the OpenSearch
 * 2.19 node of test/engines/opensearch (Elasticsearch 7.10-derived ingest-common and Painless),
 * and must give identical documents and `_id`s. This checks the evaluator's model of the
 * processors and of the Painless subset where the two engines share code; the Elasticsearch-only
 * `copy_from` options go through that suite's reviewed dialect rewrite.
 */
import { datePatternFormat } from '../../compiler/ir.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationIR, TransformIR } from '../../compiler/ir.ts';
import { buildPipeline } from '../../targets/elastic/pipeline.ts';
import type { OpenSearchNode } from '../engines/opensearch/node.ts';
import { sharedOpenSearch } from '../engines/opensearch/shared.ts';
import { toOpenSearch } from '../engines/opensearch/dialect.ts';
import { ACME_LOC as LOC, acmeIR, field, rule } from '../support/ir.ts';
import { loadFixtureIR, loadFixtureRecords } from '../support/fixtures.ts';
import { withValue } from './tiers.ts';
import { simulate, type PipelineDefinition } from '../emulated/ingest/processors.ts';
import type { Json, JsonMap } from '../emulated/ingest/document.ts';

let node: OpenSearchNode;
beforeAll(async () => {
  node = await sharedOpenSearch();
});

function oneTransform(...transforms: TransformIR[]): IntegrationIR {
  return acmeIR({
    rules: [rule('out.v', field('x', ...transforms), { vendor: true })],
    consumed: [{ path: ['x'], whenDestinationSet: ['out', 'v'] }],
  });
}

const VALUES: Json[] = [
  '42',
  '-7',
  '0x10',
  '+5',
  '010',
  '1.5',
  '1e3',
  ' 1',
  'NaN',
  'true',
  'FALSE',
  'yes',
  7,
  -3,
  2.5,
  true,
  null,
  [1, 2],
  ['A'],
  { a: 1 },
  '',
  'Ab😀cdé',
  '9223372036854775807',
  '9223372036854775808',
  // Long inputs: the guard regexes must stay within Painless's `limited` regex budget (6 x input length).
  '-0',
  '-0.0',
  '1E310',
  '-1e999',
  '1e-400',
  `${'9'.repeat(5000)}x`,
  `${'1'.repeat(3000)}.${'2'.repeat(3000)}e`,
  'é'.repeat(5000),
];
const EPOCHS: Json[] = [
  '1.001',
  '-1.0005',
  1700000000.123,
  '1700000000123.9',
  -1,
  0,
  '253402300799.999',
  '253402300800',
  '-62167219200',
  '-62135596800',
  '-62135596800.001',
  '0000-01-01T00:00:00Z',
  1e-7,
  123456789.987654,
  '00012',
];
const CASED: Json[] = ['straße', 'ǆ ǅ Ǆ', 'i ı İ I', 'ﬀ ﬃ ŉ ǰ', 'ᾳ ᾀ ᾈ ῲ ΐ ᾷ', 'ΟΔΟΣ ΣΑΣ Σ', 'ÀÉÎ àéî', 'Ⅻ ⓐ 𐐀 𐐨'];
const IPS: Json[] = [
  '10.0.0.1',
  '01.2.3.4',
  '1.2.3',
  '256.0.0.1',
  '2001:db8::1',
  '::ffff:192.0.2.1',
  'fe80::1%eth0',
  '::',
  '1::2::3',
  'host',
  4,
];
const DATES: Json[] = [
  `${'1'.repeat(4000)}-`,
  '01/03/2024',
  '31/02/2024',
  '1/3/2024',
  '2024-11-13T15:30:45.123456Z',
  '2024-11-13T15:30:45+02:00',
  '2024-11-13',
  '2024-11-13T15:30:45',
  1700000000123,
  '1700000000123',
  'x',
  12.5,
];

/** The Elastic Agent's collection time, sent with an event as Beats do (compiler/ir.ts step 8). */
const AGENT_STAMP = '2026-11-23T12:00:00.000Z';

/** A path longer than `LONG_PATH` (targets/elastic/painless.ts): read through the `mapcGet` function. */
const LONG = Array.from({ length: 15 }, (_, i) => `l${i}`);
const nested = (path: readonly string[], leaf: Json): Json =>
  path.reduceRight<Json>((inner, key) => ({ [key]: inner }), leaf);

const CASES: {
  name: string;
  ir: IntegrationIR;
  records: Json[];
  agentStamp?: boolean;
  raw?: string[];
  real?: (docs: JsonMap[]) => void;
}[] = [
  ...(['keyword', 'long', 'double', 'boolean'] as const).map((to) => ({
    name: `convert ${to}`,
    ir: oneTransform({ kind: 'convert', to }),
    records: VALUES.map((x) => ({ x })),
  })),
  { name: 'convert ip', ir: oneTransform({ kind: 'convert', to: 'ip' }), records: IPS.map((x) => ({ x })) },
  {
    name: 'date pattern+iso',
    ir: oneTransform({ kind: 'date', formats: [datePatternFormat('dd/MM/yyyy'), { kind: 'iso8601' }] }),
    records: DATES.map((x) => ({ x })),
  },
  {
    name: 'date unix_ms',
    ir: oneTransform({ kind: 'date', formats: [{ kind: 'unix_ms' }] }),
    records: [...DATES, ...EPOCHS].map((x) => ({ x })),
  },
  {
    name: 'date unix',
    ir: oneTransform({ kind: 'date', formats: [{ kind: 'unix' }] }),
    records: [...DATES, ...EPOCHS].map((x) => ({ x })),
  },
  {
    name: 'date pattern, unix, iso8601',
    ir: oneTransform({
      kind: 'date',
      formats: [datePatternFormat('yyyyMMdd'), { kind: 'unix' }, { kind: 'iso8601' }],
    }),
    records: [...DATES, ...EPOCHS, '20241113', 20241113, '20240230'].map((x) => ({ x })),
  },
  { name: 'lowercase', ir: oneTransform({ kind: 'lowercase' }), records: VALUES.map((x) => ({ x })) },
  { name: 'uppercase', ir: oneTransform({ kind: 'uppercase' }), records: [...VALUES, ...CASED].map((x) => ({ x })) },
  { name: 'lowercase (cased scripts)', ir: oneTransform({ kind: 'lowercase' }), records: CASED.map((x) => ({ x })) },
  // Edges of the 2 × keep rule: 6 and 7 characters, astral ones counted as one, a final line
  // terminator (Java's `$` also matches before one), the empty string, keep 0.
  {
    name: 'mask',
    ir: oneTransform({ kind: 'redact', mode: 'mask', keep: 3 }),
    records: [
      ...VALUES,
      'a\nb\nc\nd',
      '𝔸𝔹ℂ𝔻𝔼',
      '𝔸𝔹ℂ𝔻𝔼𝔽',
      '𝔸𝔹ℂ𝔻𝔼𝔽𝔾',
      'abcdef',
      'abcdefg',
      'abcde\n',
      'abcdef\n',
      '\n\n\n\n\n\n\n',
    ].map((x) => ({ x })),
  },
  {
    name: 'mask 0',
    ir: oneTransform({ kind: 'redact', mode: 'mask', keep: 0 }),
    records: ['', 'a', '\n', '😀', 'ab', 7].map((x) => ({ x })),
  },
  { name: 'hash', ir: oneTransform({ kind: 'redact', mode: 'hash' }), records: VALUES.map((x) => ({ x })) },
  {
    name: 'lookup',
    ir: oneTransform({
      kind: 'lookup',
      table: 't',
      entries: [
        { from: 'A', to: 'B' },
        { from: 'B', to: 'C' },
      ],
      default: 'D',
    }),
    records: ['A', 'B', 'Z', 5, null].map((x) => ({ x })),
  },
  {
    name: 'document id and conditions over odd shapes',
    ir: acmeIR({
      rules: [
        rule(
          'event.outcome',
          { kind: 'const', value: 'success' },
          { when: { kind: 'equals', path: ['a', 'ok'], value: 1 } },
        ),
        rule('user.name', field('a.b')),
        rule('related.user', field('a.b'), { op: 'append' }),
        rule(
          'event.kind',
          { kind: 'const', value: 'event' },
          { when: { kind: 'not', condition: { kind: 'exists', path: ['a', 'b'] } } },
        ),
      ],
      documentId: { fields: [['a', 'b'], ['n'], ['a', 'ok']], loc: LOC },
      consumed: [{ path: ['a', 'b'], whenDestinationSet: ['user', 'name'] }],
    }),
    records: [
      { a: { b: 'u', ok: 1 }, n: 3 },
      { a: 'text' },
      { a: [{ b: 'x' }] },
      { a: { b: null, ok: '1' } },
      { a: { ok: 1.0 }, n: -2 },
      {},
    ],
  },
  // Field names the dotted syntax cannot name (read and removed by params scripts), a getter name
  // (`empty`), a long path (the `mapcGet` condition), and Mustache syntax in constants and lookups.
  {
    name: 'odd field names, a long path, Mustache text',
    ir: acmeIR({
      rules: [
        rule('user.name', { kind: 'field', path: ['a.b'], transforms: [] }),
        rule('user.id', { kind: 'field', path: ['', 'x'], transforms: [{ kind: 'lowercase' }] }),
        rule('user.domain', field('m.empty')),
        rule(
          'event.action',
          { kind: 'const', value: '{{ctx._id}} {{{message}}} <%x%>' },
          { when: { kind: 'exists', path: LONG } },
        ),
        rule('event.reason', { kind: 'field', path: LONG, transforms: [] }),
        rule(
          'labels.x',
          field('k', {
            kind: 'lookup',
            table: 't',
            entries: [{ from: '{{a}}', to: '{{b}}' }],
            default: '{{=<% %>=}}',
          }),
        ),
      ],
      remove: [['r.s'], ['{{x}}']],
      documentId: { fields: [['a.b'], ['']], loc: LOC },
      consumed: [{ path: ['a.b'], whenDestinationSet: ['user', 'name'] }],
    }),
    records: [
      {
        'a.b': 'dotted',
        a: { b: 'nested' },
        '': { x: 'EMPTY' },
        m: { empty: 'e', size: 3 },
        k: '{{a}}',
        r: { s: 1 },
        'r.s': 2,
        '{{x}}': 3,
        ...(nested(LONG, 'deep') as JsonMap),
      },
      { k: 'other', m: 'str', '': 'not a map', ...(nested(LONG.slice(0, 14), 'short') as JsonMap) },
      {},
    ],
    real: (docs) => {
      const [first, second] = docs as [JsonMap, JsonMap];
      expect(first['user']).toEqual({ name: 'dotted', id: 'empty', domain: 'e' });
      expect(first['event']).toEqual({ action: '{{ctx._id}} {{{message}}} <%x%>', reason: 'deep' });
      expect(first['labels']).toEqual({ x: '{{b}}' });
      const kept = (first['acme'] as JsonMap)['logs'] as JsonMap;
      expect(Object.keys(kept).sort()).toEqual(['', 'a', 'k', 'l0', 'm', 'r'].sort());
      expect(kept['r']).toEqual({ s: 1 });
      expect(second['labels']).toEqual({ x: '{{=<% %>=}}' });
      expect(second['event']).toBeUndefined();
    },
  },
  // An agent `@timestamp` on the event: a failed or skipped date keeps its consumed source and the
  // stamp; a parsed one replaces the stamp; a pipeline failure (message not JSON) keeps the stamp.
  {
    name: '@timestamp date with the agent stamp',
    ir: acmeIR({
      rules: [rule('@timestamp', field('at', { kind: 'date', formats: [{ kind: 'iso8601' }] }))],
      consumed: [{ path: ['at'], whenDestinationSet: ['@timestamp'] }],
    }),
    agentStamp: true,
    records: [{ at: '2024-02-30T00:00:00Z' }, { at: '2024-02-28T00:00:00Z' }, { at: null }, {}, { at: 5 }],
    raw: ['{not json'],
    real: (docs) => {
      expect(docs.map((d) => d['@timestamp'])).toEqual([
        AGENT_STAMP,
        '2024-02-28T00:00:00.000Z',
        AGENT_STAMP,
        AGENT_STAMP,
        AGENT_STAMP,
        AGENT_STAMP,
      ]);
      expect(docs.map((d) => (d['acme'] as JsonMap | undefined)?.['logs'])).toEqual([
        { at: '2024-02-30T00:00:00Z' },
        {},
        { at: null },
        {},
        { at: 5 },
        undefined,
      ]);
      expect((docs[5]!['event'] as JsonMap)['kind']).toBe('pipeline_error');
    },
  },
  {
    name: 'lean Enpass pipeline (record schema): the lowercase processor or script, the lookup group, derived appends',
    ir: loadFixtureIR('enpass'),
    agentStamp: true,
    records: leanEnpassRecords(),
  },
  {
    name: 'lean Endor Labs pipeline (record schema): the lowercase processor, the lookups script with its İ/Σ fix-up, derived appends, the report',
    ir: loadFixtureIR('endor_labs'),
    agentStamp: true,
    records: leanEndorRecords(),
  },
];

/**
 * Records for the lean Endor Labs pipeline (its record schema: targets/elastic/lean.ts): the first
 * fixture record with `spec.operation` (the `lowercase` processor, one script for both lookups
 * that also writes the simple lowercase of a value holding İ or Σ, typed report entries), `meta.created_by` (a rename and the append copying `user.name`) and
 * `spec.remote_address` (a `convert` and the append copying `source.ip`) set to cased text, odd
 * addresses and values of other types; the failure report decides each error and consumed path.
 */
function leanEndorRecords(): JsonMap[] {
  const base = loadFixtureRecords('endor_labs', 'audit')[0] as Record<string, unknown>;
  const at = (path: string, values: readonly Json[]): JsonMap[] =>
    values.map((v) => withValue(base, path.split('.'), v) as JsonMap);
  return [
    ...at('spec.operation', [
      ...CASED,
      'Σ',
      'ΣΑΣ',
      'İ',
      'USER_LOGIN',
      'OPERATION_CREATE',
      5,
      ['A'],
      { a: 1 },
      true,
      null,
      '',
    ]),
    ...at('meta.created_by', ['Jane', 7, ['x'], null, '']),
    ...at('spec.remote_address', ['10.0.0.1', '256.0.0.1', 'fe80::1%eth0', '::ffff:192.0.2.1', 4, ['10.0.0.1']]),
    withValue(withValue(base, ['spec', 'operation'], 9), ['spec', 'remote_address'], 'host') as JsonMap,
  ];
}

/** The same for Enpass: `activity` (the `lowercase` processor, or the script for İ and Σ), `category`, `actor.*`, `ip_address`. */
function leanEnpassRecords(): JsonMap[] {
  const base = loadFixtureRecords('enpass', 'events')[0] as Record<string, unknown>;
  const at = (path: string, values: readonly Json[]): JsonMap[] =>
    values.map((v) => withValue(base, path.split('.'), v) as JsonMap);
  return [
    ...at('activity', [...CASED, 'Σ', 'ΣΑΣ', 'İ', 'LOGIN', 5, ['A'], null]),
    ...at('category', ['Users', 'App', 'Other', 3, {}]),
    ...at('actor', [{ name: 'N', email: 'E' }, { name: 'N' }, { name: 1, email: ['e'] }, 'text']),
    ...at('ip_address', ['10.0.0.1', '300.1.1.1', 'fe80::1%eth0', 7]),
  ];
}

describe('evaluator and OpenSearch agree on mapc pipelines', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.records.length + (c.raw?.length ?? 0)} records`, async () => {
      const { pipeline, diagnostics } = buildPipeline(c.ir, c.ir.streams[0]!);
      expect(diagnostics).toEqual([]);
      const messages = [...c.records.map((r) => JSON.stringify(r)), ...(c.raw ?? [])];
      const sources = messages.map((message): JsonMap =>
        c.agentStamp ? { '@timestamp': AGENT_STAMP, message } : { message },
      );
      const body = {
        pipeline: {
          processors: toOpenSearch(pipeline.processors as never),
          on_failure: toOpenSearch(pipeline.on_failure as never),
        },
        docs: sources.map((s) => ({ _source: s })),
      };
      const { status, json } = await node.request('POST', '/_ingest/pipeline/_simulate', body);
      expect(status, JSON.stringify(json)).toBe(200);
      const docs = (json as { docs: { doc?: { _id: string; _source: JsonMap }; error?: unknown }[] }).docs;
      sources.forEach((source, i) => {
        const mine = simulate(pipeline as unknown as PipelineDefinition, source);
        const real = docs[i]!;
        const label = `record ${messages[i]}`;
        expect(real.error, label).toBeUndefined();
        if (!mine.ok) throw new Error(`${label}: evaluator error ${mine.error}`);
        // The real `_id` is "_id" (simulate's placeholder) unless a script set one.
        const realId = real.doc!._id === '_id' ? undefined : real.doc!._id;
        // A pipeline failure's error text quotes the engine's JSON parser (Jackson vs JavaScript).
        const comparable = (d: JsonMap): JsonMap => (i < c.records.length ? d : { ...d, error: '(engine text)' });
        expect({ label, doc: comparable(mine.doc), _id: mine._id }).toEqual({
          label,
          doc: comparable(real.doc!._source),
          _id: realId,
        });
      });
      c.real?.(docs.map((d) => d.doc!._source));
    });
  }
});
