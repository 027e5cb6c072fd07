/**
 * The generated ingest pipeline against the IR's mapping semantics (compiler/ir.ts module comment
 * and TransformIR), run by the evaluator of test/emulated/ingest. Expected documents are derived
 * from those rules, case by case.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IntegrationIR, TransformIR } from '../../../compiler/ir.ts';
import { buildPipeline } from '../../../targets/elastic/pipeline.ts';
import { simulate, type PipelineDefinition } from '../../emulated/ingest/processors.ts';
import { evalCondition } from '../../emulated/ingest/painless.ts';
import type { Json, JsonMap } from '../../emulated/ingest/document.ts';
import { ACME_LOC as LOC, acmeIR, field, rule } from '../../support/ir.ts';
import { loadFixtureIR } from '../../support/fixtures.ts';
import { datePatternFormat } from '../../../compiler/ir.ts';

const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

function run(ir: IntegrationIR, record: Json, extra: JsonMap = {}): { doc: JsonMap; _id?: string } {
  const { pipeline, diagnostics } = buildPipeline(ir, ir.streams[0]!);
  expect(diagnostics).toEqual([]);
  const r = simulate(pipeline as unknown as PipelineDefinition, { message: JSON.stringify(record), ...extra });
  if (!r.ok) throw new Error(r.error);
  return r._id === undefined ? { doc: r.doc } : { doc: r.doc, _id: r._id };
}

/** One rule `out.v = x | transforms` (x consumed by out.v), as the lowering would produce it. */
function oneTransform(...transforms: TransformIR[]): IntegrationIR {
  return acmeIR({
    rules: [rule('out.v', field('x', ...transforms), { vendor: true })],
    consumed: [{ path: ['x'], whenDestinationSet: ['out', 'v'] }],
  });
}

const FAIL = 'mapc: cannot map x to out.v';
const ok = (v: Json): JsonMap => ({ acme: { logs: {} }, out: { v } });
const failed = (x: Json): JsonMap => ({ acme: { logs: { x } }, error: { message: [FAIL] } });
/** A redaction that failed: the source is deleted too (compiler/ir.ts step 4, redaction fails closed). */
const failedClosed: JsonMap = { acme: { logs: {} }, error: { message: [FAIL] } };

describe('conversions follow the IR rules, not the looser processors', () => {
  it('convert long: integers and ^-?[0-9]+$ strings within 64 bits; 0x10, +5, 1.5, lists fail', () => {
    const ir = oneTransform({ kind: 'convert', to: 'long' });
    expect(run(ir, { x: '42' }).doc).toEqual(ok(42));
    expect(run(ir, { x: '-7' }).doc).toEqual(ok(-7));
    expect(run(ir, { x: 7 }).doc).toEqual(ok(7));
    for (const bad of ['0x10', '+5', '1.5', 1.5, [1, 2], true, '9223372036854775808', '']) {
      expect(run(ir, { x: bad }).doc).toEqual(failed(bad));
    }
  });
  it('missing or null source: the rule does nothing, no error, nothing consumed', () => {
    const ir = oneTransform({ kind: 'convert', to: 'long' });
    expect(run(ir, {}).doc).toEqual({ acme: { logs: {} } });
    expect(run(ir, { x: null }).doc).toEqual({ acme: { logs: { x: null } } });
    // A parent that is not an object reads as missing instead of failing the pipeline.
    const nested = acmeIR({ rules: [rule('out.v', field('a.b', { kind: 'convert', to: 'long' }), { vendor: true })] });
    expect(run(nested, { a: 'text' }).doc).toEqual({ acme: { logs: { a: 'text' } } });
    expect(run(nested, { a: [{ b: 1 }] }).doc).toEqual({ acme: { logs: { a: [{ b: 1 }] } } });
  });
  it('convert keyword: strings, integers and booleans; doubles and objects fail', () => {
    const ir = oneTransform({ kind: 'convert', to: 'keyword' });
    expect(run(ir, { x: 42 }).doc).toEqual(ok('42'));
    expect(run(ir, { x: true }).doc).toEqual(ok('true'));
    expect(run(ir, { x: 'a' }).doc).toEqual(ok('a'));
    expect(run(ir, { x: 2.5 }).doc).toEqual(failed(2.5));
    expect(run(ir, { x: { a: 1 } }).doc).toEqual(failed({ a: 1 }));
  });
  it('convert double: numbers and decimal strings; NaN, padded and hex strings fail', () => {
    const ir = oneTransform({ kind: 'convert', to: 'double' });
    expect(run(ir, { x: '1e3' }).doc).toEqual(ok(1000));
    expect(run(ir, { x: '-2.50' }).doc).toEqual(ok(-2.5));
    expect(run(ir, { x: 3 }).doc).toEqual(ok(3));
    for (const bad of ['NaN', ' 1', '1.', '.5', 'Infinity']) expect(run(ir, { x: bad }).doc).toEqual(failed(bad));
  });
  it('convert boolean: booleans and "true"/"false" in any case', () => {
    const ir = oneTransform({ kind: 'convert', to: 'boolean' });
    expect(run(ir, { x: 'TRUE' }).doc).toEqual(ok(true));
    expect(run(ir, { x: false }).doc).toEqual(ok(false));
    expect(run(ir, { x: 'yes' }).doc).toEqual(failed('yes'));
    expect(run(ir, { x: 1 }).doc).toEqual(failed(1));
  });
  it('convert ip: IPv4 and IPv6 text kept as written; zones, short and zero-padded quads fail', () => {
    const ir = oneTransform({ kind: 'convert', to: 'ip' });
    for (const good of ['10.0.0.1', '2001:db8::1', '::ffff:192.0.2.1', '::'])
      expect(run(ir, { x: good }).doc).toEqual(ok(good));
    for (const bad of ['fe80::1%eth0', '1.2.3', '01.2.3.4', '256.1.1.1', 'host', 7])
      expect(run(ir, { x: bad }).doc).toEqual(failed(bad));
  });
  it('convert ip: non-ASCII decimal digits never reach the processor (OpenSearch 2.19 reads "١٢٣.1.1.1" as an IPv4)', () => {
    const ir = oneTransform({ kind: 'convert', to: 'ip' });
    for (const bad of ['\u0661\u0662\u0663.1.1.1', '1.1.1.\uff11', '::ffff:\u0967.2.3.4'])
      expect(run(ir, { x: bad }).doc).toEqual(failed(bad));
    // The guard itself, not only the evaluator's (Elasticsearch 9.x) parser, refuses them.
    const processors = (buildPipeline(ir, ir.streams[0]!).pipeline as unknown as PipelineDefinition).processors;
    const convert = processors
      .map((p) => (p as { convert?: { type: string; if?: string } }).convert)
      .find((c) => c?.type === 'ip');
    expect(convert?.if).toBeDefined();
    const ctx = (v: string): JsonMap => ({ _mapc: { v } });
    expect(evalCondition(convert!.if!, ctx('123.1.1.1'))).toBe(true);
    expect(evalCondition(convert!.if!, ctx('2001:DB8::1'))).toBe(true);
    for (const bad of ['\u0661\u0662\u0663.1.1.1', 'fe80::1%eth0', ' 1.1.1.1'])
      expect(evalCondition(convert!.if!, ctx(bad)), bad).toBe(false);
  });
  it('date: first matching format wins, UTC millisecond output, extra digits truncated', () => {
    const ir = oneTransform({
      kind: 'date',
      formats: [datePatternFormat('dd/MM/yyyy'), { kind: 'iso8601' }],
    });
    expect(run(ir, { x: '01/03/2024' }).doc).toEqual(ok('2024-03-01T00:00:00.000Z'));
    expect(run(ir, { x: '2024-11-13T15:30:45.123999+02:00' }).doc).toEqual(ok('2024-11-13T13:30:45.123Z'));
    // Elasticsearch's ISO8601 parser would accept a bare date; the IR's iso8601 (RFC 3339 date-time) does not.
    for (const bad of ['31/02/2024', '2024-11-13', '13/11/24', 20241113])
      expect(run(ir, { x: bad }).doc).toEqual(failed(bad));
    const ms = oneTransform({ kind: 'date', formats: [{ kind: 'unix_ms' }] });
    expect(run(ms, { x: 1700000000123 }).doc).toEqual(ok('2023-11-14T22:13:20.123Z'));
    expect(run(ms, { x: '1700000000123' }).doc).toEqual(ok('2023-11-14T22:13:20.123Z'));
    const s = oneTransform({ kind: 'date', formats: [{ kind: 'unix' }] });
    expect(run(s, { x: 1700000000 }).doc).toEqual(ok('2023-11-14T22:13:20.000Z'));
  });
  it('epoch dates are exact decimals rounded down, within years 0000-9999', () => {
    const s = oneTransform({ kind: 'date', formats: [{ kind: 'unix' }] });
    // 1.001 * 1000.0 is 1000.9999999999999 in binary floating point: the processor alone gave .000.
    expect(run(s, { x: '1.001' }).doc).toEqual(ok('1970-01-01T00:00:01.001Z'));
    expect(run(s, { x: 1700000000.123 }).doc).toEqual(ok('2023-11-14T22:13:20.123Z'));
    expect(run(s, { x: '-1.0005' }).doc).toEqual(ok('1969-12-31T23:59:58.999Z'));
    // Year 0000 is refused (Elasticsearch's year-of-era output would write it as 0001).
    for (const bad of ['253402300800', '-62135596800.001', '1e3', '+5', ' 1', true])
      expect(run(s, { x: bad }).doc).toEqual(failed(bad));
    expect(run(s, { x: '-62135596800' }).doc).toEqual(ok('0001-01-01T00:00:00.000Z'));
    const ms = oneTransform({ kind: 'date', formats: [{ kind: 'unix_ms' }] });
    expect(run(ms, { x: '1700000000123.9' }).doc).toEqual(ok('2023-11-14T22:13:20.123Z'));
    expect(run(ms, { x: -1 }).doc).toEqual(ok('1969-12-31T23:59:59.999Z'));
    // A text format before the epoch one wins for the strings it shapes; numbers are epochs.
    const mixed = oneTransform({
      kind: 'date',
      formats: [datePatternFormat('yyyyMMdd'), { kind: 'unix' }, { kind: 'iso8601' }],
    });
    expect(run(mixed, { x: '20241113' }).doc).toEqual(ok('2024-11-13T00:00:00.000Z'));
    expect(run(mixed, { x: 20241113 }).doc).toEqual(ok('1970-08-23T06:31:53.000Z'));
    expect(run(mixed, { x: '1700000000' }).doc).toEqual(ok('2023-11-14T22:13:20.000Z'));
    expect(run(mixed, { x: '2024-11-13T01:02:03Z' }).doc).toEqual(ok('2024-11-13T01:02:03.000Z'));
  });
  it('lowercase/uppercase: simple case mapping (one code point each, no context); strings only', () => {
    expect(run(oneTransform({ kind: 'lowercase' }), { x: 'OPERATION_Create' }).doc).toEqual(ok('operation_create'));
    // Full mappings would give `i̇` (i + U+0307) and a final `ς`.
    expect(run(oneTransform({ kind: 'lowercase' }), { x: 'İSTANBUL ΟΔΟΣ' }).doc).toEqual(ok('istanbul οδοσ'));
    // Full mappings would give `STRASSE`, `FF` and `ΑΙ`; ß and ﬀ have no simple uppercase.
    expect(run(oneTransform({ kind: 'uppercase' }), { x: 'straße ﬀ ᾳ ǆ' }).doc).toEqual(ok('STRAßE ﬀ ᾼ Ǆ'));
    expect(run(oneTransform({ kind: 'lowercase' }), { x: ['A'] }).doc).toEqual(failed(['A']));
  });
  it('lookup: an entry output never matches a later key; default; no default writes nothing', () => {
    const table = {
      kind: 'lookup',
      table: 't',
      entries: [
        { from: 'A', to: 'B' },
        { from: 'B', to: 'C' },
      ],
    } as const;
    const withDefault = oneTransform({ ...table, default: 'D' });
    expect(run(withDefault, { x: 'A' }).doc).toEqual(ok('B'));
    expect(run(withDefault, { x: 'B' }).doc).toEqual(ok('C'));
    expect(run(withDefault, { x: 'Z' }).doc).toEqual(ok('D'));
    expect(run(withDefault, { x: 5 }).doc).toEqual(ok('D'));
    expect(run(oneTransform(table), { x: 'Z' }).doc).toEqual({ acme: { logs: { x: 'Z' } } });
  });
  it('redact mask keeps the first characters as code points only beyond 2 × keep; redact hash is hex SHA-256', () => {
    const mask = oneTransform({ kind: 'redact', mode: 'mask', keep: 2 });
    expect(run(mask, { x: '😀😀😀😀😀' }).doc).toEqual(ok('😀😀********'));
    expect(run(mask, { x: '😀😀😀😀' }).doc).toEqual(ok('********'));
    expect(run(mask, { x: 'a\nbcdef' }).doc).toEqual(ok('a\n********'));
    // At most 2 × keep characters: nothing is kept (4 here, the last a line terminator).
    expect(run(mask, { x: 'abc\n' }).doc).toEqual(ok('********'));
    expect(run(mask, { x: 'abcd' }).doc).toEqual(ok('********'));
    expect(run(mask, { x: 'abcde' }).doc).toEqual(ok('ab********'));
    expect(run(mask, { x: '' }).doc).toEqual(ok('********'));
    expect(run(mask, { x: 12345 }).doc).toEqual(failedClosed);
    const hash = oneTransform({ kind: 'redact', mode: 'hash' });
    expect(run(hash, { x: 'abc' }).doc).toEqual(ok('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'));
    expect(run(hash, { x: { password: 'p' } }).doc).toEqual(failedClosed);
  });
  it('chained transforms stop at the first failure with one error', () => {
    const ir = oneTransform({ kind: 'convert', to: 'long' }, { kind: 'convert', to: 'keyword' });
    expect(run(ir, { x: '12' }).doc).toEqual(ok('12'));
    expect(run(ir, { x: 'z' }).doc).toEqual(failed('z'));
  });
});

describe('record semantics', () => {
  it('document id: "|path|value|" framing of original values, missing as empty, stored as _id', () => {
    const ir = acmeIR({
      rules: [rule('event.id', field('a', { kind: 'redact', mode: 'hash' }))],
      documentId: { fields: [['a'], ['b', 'c'], ['n']], loc: LOC },
    });
    const r = run(ir, { a: 'x', b: { c: true }, n: 12 });
    expect(r._id).toBe(sha('|a|x|b.c|true|n|12|'));
    expect(r.doc['_id']).toBeUndefined();
    expect(run(ir, { a: 'x' })._id).toBe(sha('|a|x|b.c||n||'));
  });
  it('conditions: equals is strict across types, not exists, setting via agent tags', () => {
    const ir = acmeIR({
      rules: [
        rule(
          'event.outcome',
          { kind: 'const', value: 'success' },
          { when: { kind: 'equals', path: ['ok'], value: 1 } },
        ),
        rule(
          'event.kind',
          { kind: 'const', value: 'event' },
          { when: { kind: 'not', condition: { kind: 'exists', path: ['k'] } } },
        ),
        rule('event.action', { kind: 'const', value: 'tagged' }, { when: { kind: 'setting', name: 'keep_original' } }),
      ],
    });
    expect(run(ir, { ok: 1, k: null }).doc).toEqual({
      acme: { logs: { ok: 1, k: null } },
      event: { outcome: 'success', kind: 'event' },
    });
    expect(run(ir, { ok: '1', k: 0 }).doc).toEqual({ acme: { logs: { ok: '1', k: 0 } } });
    expect(run(ir, { ok: 1.0 }, { tags: ['keep_original'] }).doc).toEqual({
      acme: { logs: { ok: 1 } },
      event: { outcome: 'success', kind: 'event', action: 'tagged' },
      tags: ['keep_original'],
    });
  });
  it('event.original only when the preserve_original_event tag is present; message never kept', () => {
    // Lowering always writes event.dataset, so `event` is never left empty by the removal.
    const dataset = rule('event.dataset', { kind: 'const', value: 'acme.logs' });
    const ir = acmeIR({ rules: [dataset], original: { setting: 'keep_original' } });
    expect(run(ir, { a: 1 }).doc).toEqual({ acme: { logs: { a: 1 } }, event: { dataset: 'acme.logs' } });
    // The map's setting name is not the tag: the stream template turns it into the convention's tag.
    expect(run(ir, { a: 1 }, { tags: ['keep_original'] }).doc['event']).toEqual({ dataset: 'acme.logs' });
    expect(run(ir, { a: 1 }, { tags: ['preserve_original_event'] }).doc).toEqual({
      acme: { logs: { a: 1 } },
      event: { dataset: 'acme.logs', original: '{"a":1}' },
      tags: ['preserve_original_event'],
    });
  });
  it('event.original holds the text only with the tag, on a mapped and on a failed document; a text that is not JSON stays in message', () => {
    const dataset = rule('event.dataset', { kind: 'const', value: 'acme.logs' });
    const ir = acmeIR({ rules: [dataset], original: { setting: 'keep_original' } });
    const { pipeline } = buildPipeline(ir, ir.streams[0]!);
    const docOf = (message: string, tags: string[]): JsonMap => {
      const r = simulate(pipeline as unknown as PipelineDefinition, { message, tags });
      if (!r.ok) throw new Error(r.error);
      return r.doc;
    };
    expect(docOf('not json', [])['event']).toEqual({ kind: 'pipeline_error' });
    expect(docOf('not json', ['preserve_original_event'])['event']).toEqual({
      kind: 'pipeline_error',
      original: 'not json',
    });
    for (const tags of [[], ['preserve_original_event']]) expect(docOf('not json', tags)['message']).toBe('not json');
    expect(docOf('{"a":1}', [])['event']).toEqual({ dataset: 'acme.logs' });
    expect(docOf('{"a":1}', ['preserve_original_event'])['event']).toEqual({
      dataset: 'acme.logs',
      original: '{"a":1}',
    });
    expect(docOf('{"a":1}', ['preserve_original_event'])['message']).toBeUndefined();
    // No processor removes it: the copy is made only with the tag.
    expect(JSON.stringify(pipeline)).not.toContain('remove_original_event');
  });
  it("the Agent's own error events stop at the first processor (terminate), records do not", () => {
    const ir = acmeIR({ rules: [rule('event.dataset', { kind: 'const', value: 'acme.logs' })] });
    const { pipeline } = buildPipeline(ir, ir.streams[0]!);
    expect(Object.keys(pipeline.processors[0]!)).toEqual(['terminate']);
    const agentError = { '@timestamp': '2026-01-01T00:00:00Z', error: { message: 'GET /v1/events: 503' } };
    expect(simulate(pipeline as unknown as PipelineDefinition, agentError)).toEqual({ ok: true, doc: agentError });
    // A record next to an error message is still mapped, as is one with event.original set.
    expect(run(ir, { a: 1 }, { error: { message: 'x' } }).doc).toEqual({
      acme: { logs: { a: 1 } },
      event: { dataset: 'acme.logs' },
      error: { message: 'x' },
    });
  });
  it('consumed copies stay with the preserve_duplicate_custom_fields tag, except sources of redactions', () => {
    const ir = acmeIR({
      rules: [rule('user.name', field('u')), rule('related.hash', field('s', { kind: 'redact', mode: 'hash' }))],
      consumed: [
        { path: ['u'], whenDestinationSet: ['user', 'name'] },
        { path: ['s'], whenDestinationSet: ['related', 'hash'] },
      ],
    });
    const sha = createHash('sha256').update('secret').digest('hex');
    expect(run(ir, { u: 'bob', s: 'secret' }).doc).toEqual({
      acme: { logs: {} },
      user: { name: 'bob' },
      related: { hash: sha },
    });
    expect(run(ir, { u: 'bob', s: 'secret' }, { tags: ['preserve_duplicate_custom_fields'] }).doc).toEqual({
      acme: { logs: { u: 'bob' } },
      user: { name: 'bob' },
      related: { hash: sha },
      tags: ['preserve_duplicate_custom_fields'],
    });
  });
  it('append skips values already present; unmapped drop removes the record', () => {
    const ir = acmeIR({
      keepUnmapped: false,
      rules: [
        rule('related.user', field('u'), { op: 'append' }),
        rule('related.user', field('v'), { op: 'append' }),
        rule('user.name', field('u')),
      ],
    });
    expect(run(ir, { u: 'bob', v: 'bob', w: 1 }).doc).toEqual({ related: { user: ['bob'] }, user: { name: 'bob' } });
  });
  it('remove, then consumed paths only when their target exists; parents stay', () => {
    const ir = acmeIR({
      rules: [rule('user.name', field('a.b')), rule('source.ip', field('c', { kind: 'convert', to: 'ip' }))],
      remove: [['secret']],
      consumed: [
        { path: ['a', 'b'], whenDestinationSet: ['user', 'name'] },
        { path: ['c'], whenDestinationSet: ['source', 'ip'] },
      ],
    });
    expect(run(ir, { a: { b: 'x' }, c: 'nope', secret: 's' }).doc).toEqual({
      acme: { logs: { a: {}, c: 'nope' } },
      user: { name: 'x' },
      error: { message: ['mapc: cannot map c to source.ip'] },
    });
  });
  it('a message that is not JSON becomes a pipeline error document', () => {
    const { pipeline } = buildPipeline(acmeIR({ rules: [] }), acmeIR({ rules: [] }).streams[0]!);
    const r = simulate(pipeline as unknown as PipelineDefinition, { message: '{oops' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.doc['event']).toEqual({ kind: 'pipeline_error' });
    expect((r.doc['error'] as JsonMap)['message']).toEqual([
      expect.stringMatching(/^Processor json with tag parse_message in pipeline default failed with message: /),
    ]);
    expect(r.doc['message']).toBe('{oops');
  });
});

describe('constructs without an ingest form are E0400 errors at the rule', () => {
  it('a target segment with a dot, a metadata target', () => {
    const ir = acmeIR({
      rules: [
        rule('user.name', { kind: 'field', path: ['a.b'], transforms: [] }),
        rule('event.action', { kind: 'const', value: 'x{{y}}' }),
        { ...rule('x', field('a')), destination: ['hostile', 'a.b'] },
        rule('_id', field('a')),
      ],
    });
    const { diagnostics } = buildPipeline(ir, ir.streams[0]!);
    expect(diagnostics.map((d) => [d.code, d.severity, d.message, d.primary.span.line, d.primary.span.column])).toEqual(
      [
        ['E0400', 'error', 'field path hostile.a.b cannot be addressed by ingest processors', 1, 1],
        ['E0400', 'error', 'field _id would write ingest metadata _id', 1, 1],
      ],
    );
  });

  it('reads a source segment with a dot by script and stores Mustache braces literally', () => {
    const ir = acmeIR({
      rules: [
        rule('user.name', { kind: 'field', path: ['a.b'], transforms: [] }),
        rule('event.action', { kind: 'const', value: 'x{{y}}{{{_id}}}' }),
      ],
    });
    const { pipeline, diagnostics } = buildPipeline(ir, ir.streams[0]!);
    expect(diagnostics).toEqual([]);
    const r = simulate(pipeline as unknown as PipelineDefinition, {
      message: '{"a.b": "dotted", "a": {"b": "nested"}}',
    });
    expect(r.ok && r.doc['user']).toEqual({ name: 'dotted' });
    expect(r.ok && r.doc['event']).toEqual({ action: 'x{{y}}{{{_id}}}' });
  });
});

describe('pipeline shape', () => {
  it('every processor, nested on_failure ones included, has a tag unique in its pipeline', () => {
    for (const vendor of ['entro', 'endor_labs', 'enpass', 'bitwarden']) {
      const ir = loadFixtureIR(vendor);
      for (const stream of ir.streams) {
        const { pipeline } = buildPipeline(ir, stream);
        const tags: string[] = [];
        const walk = (list: readonly unknown[]): void => {
          for (const container of list) {
            const [type, options] = Object.entries(container as object)[0] as [
              string,
              { tag?: string; on_failure?: unknown[] },
            ];
            expect(options.tag, `${vendor}: a ${type} processor without a tag`).toMatch(/^[a-z0-9_]+$/);
            tags.push(options.tag!);
            if (options.on_failure) walk(options.on_failure);
          }
        };
        walk(pipeline.processors);
        walk(pipeline.on_failure);
        expect(new Set(tags).size).toBe(tags.length);
        expect(JSON.stringify(pipeline)).not.toContain('"fingerprint"');
      }
    }
  });
});
