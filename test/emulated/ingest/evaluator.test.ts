/**
 * The evaluator against documented Elasticsearch ingest behaviours (each case cites its page), so
 * that the fixture proof rests on an engine model that was itself checked.
 */
import { describe, expect, it } from 'vitest';
import { simulate, type ProcessorConfig } from './processors.ts';
import { evalCondition, parseCondition } from './painless.ts';
import {
  SOURCE_GROUP_SCRIPT,
  SOURCE_LOOKUPS_SCRIPT,
  SOURCE_LOOKUPS_LOWER_SCRIPT,
  LOWERCASE_WRITE_SCRIPT,
  renderCond,
  REPORT_SCRIPT,
  DOC_ID_SCRIPT,
  type Cond,
} from '../../../targets/elastic/painless.ts';
import type { Json, JsonMap } from './document.ts';

const run = (processors: ProcessorConfig[], source: JsonMap, on_failure?: ProcessorConfig[]) =>
  simulate(on_failure ? { processors, on_failure } : { processors }, source);
const docOf = (r: ReturnType<typeof run>): JsonMap => {
  if (!r.ok) throw new Error(r.error);
  return r.doc;
};

describe('processor behaviours', () => {
  it('rename: an `_ingest.` path is ingest metadata, not indexed, readable again (ingest.html#access-ingest-metadata)', () => {
    const aside: ProcessorConfig[] = [
      { rename: { field: '@timestamp', target_field: '_ingest.mapc_collected', ignore_missing: true } },
      { set: { field: 'seen', value: '{{{_ingest.mapc_collected}}}' } },
      {
        rename: {
          field: '_ingest.mapc_collected',
          target_field: '@timestamp',
          ignore_missing: true,
          if: "ctx['@timestamp'] == null",
        },
      },
    ];
    expect(docOf(run(aside, { '@timestamp': 'T' }))).toEqual({ '@timestamp': 'T', seen: 'T' });
    expect(docOf(run(aside.slice(0, 1), { '@timestamp': 'T' }))).toEqual({});
    expect(docOf(run(aside, {}))).toEqual({ seen: '' });
  });
  it('the failure report script: outcomes in order, error.message as append writes it, consumed sources (same cases on OpenSearch 2.19 with _simulate)', () => {
    const report: ProcessorConfig[] = [
      {
        script: {
          lang: 'painless',
          source: REPORT_SCRIPT,
          params: {
            preserve: 'preserve_duplicate_custom_fields',
            rules: [
              { source: ['a', 'b'], target: ['x', 'y'], message: 'm1', consume: true, keepable: true },
              { source: ['c'], message: 'm2', consume: false, keepable: false },
              { source: ['d'], target: ['@timestamp'], message: 'm3', consume: true, keepable: true },
            ],
          },
        },
      },
    ];
    expect(docOf(run(report, { a: { b: 1 }, x: { y: 2 }, c: 3, d: 'x' }))).toEqual({
      a: {},
      x: { y: 2 },
      c: 3,
      d: 'x',
      error: { message: ['m2', 'm3'] },
    });
    expect(docOf(run(report, { a: { b: 1 }, c: null, error: { message: 'pre' } }))).toEqual({
      a: { b: 1 },
      c: null,
      error: { message: ['pre', 'm1'] },
    });
    const tags = ['preserve_duplicate_custom_fields'];
    expect(docOf(run(report, { a: 'str', tags, x: { y: 1 }, d: 4, error: { message: ['p'] } }))).toEqual({
      a: 'str',
      tags,
      x: { y: 1 },
      d: 4,
      error: { message: ['p', 'm3'] },
    });
    expect(docOf(run(report, { a: { b: 1 }, x: { y: 2 }, tags }))).toEqual({ a: { b: 1 }, x: { y: 2 }, tags });
    expect(run(report, { a: { b: 1 }, error: 'oops' }).ok).toBe(false);
    expect(run(report, { a: { b: 1 }, error: null }).ok).toBe(false);
  });
  it('the failure report script: typed entries fail on another class only; consumed paths after the rules (same twin on OpenSearch 2.19: test/agreement/ingest-evaluator.test.ts)', () => {
    const report: ProcessorConfig[] = [
      {
        script: {
          lang: 'painless',
          source: REPORT_SCRIPT,
          params: {
            preserve: 'preserve_duplicate_custom_fields',
            rules: [
              { source: ['op'], types: ['String'], message: 'lower', consume: false, keepable: true },
              { source: ['n'], types: ['Integer', 'Long'], message: 'num', consume: true, keepable: true },
              { source: ['ip'], target: ['source', 'ip'], message: 'ip', consume: false, keepable: true },
            ],
            consumed: [
              { path: ['op'], when: ['event', 'action'], keepable: true },
              { path: ['k', 'x'], when: ['event', 'action'], keepable: false },
            ],
          },
        },
      },
    ];
    // Conforming values: no error; `n` consumed by its entry; `op` and `k.x` by `consumed` since
    // event.action exists.
    expect(
      docOf(run(report, { op: 'A', n: 5, ip: 'x', source: { ip: 'x' }, k: { x: 1 }, event: { action: 'a' } })),
    ).toEqual({ ip: 'x', source: { ip: 'x' }, k: {}, event: { action: 'a' } });
    // Other classes fail in rule order (a Double is not an Integer, a List not a String); nothing
    // is consumed without its `when` field; a non-Map parent leaves the path alone.
    expect(docOf(run(report, { op: ['A'], n: 1.5, ip: 'x', k: 'text' }))).toEqual({
      op: ['A'],
      n: 1.5,
      ip: 'x',
      k: 'text',
      error: { message: ['lower', 'num', 'ip'] },
    });
    // The preserve tag keeps a keepable consumed path, never another one.
    const tags = ['preserve_duplicate_custom_fields'];
    expect(docOf(run(report, { op: 'A', k: { x: 1 }, event: { action: 'a' }, tags }))).toEqual({
      op: 'A',
      k: {},
      event: { action: 'a' },
      tags,
    });
  });
  it('the source group script: one read, each table or the lowercase in order into its own target (set or append without duplicates)', () => {
    const group: ProcessorConfig[] = [
      {
        script: {
          lang: 'painless',
          source: SOURCE_GROUP_SCRIPT,
          params: {
            source: ['op'],
            maps: [
              { table: { A: 'a1' }, default: 'd1', target: ['event', 'category'], append: true },
              { lowercase: true, target: ['event', 'action'], append: false },
              { table: { A: 'a2', B: 'b2' }, target: ['event', 'type'], append: false },
            ],
          },
        },
      },
    ];
    expect(docOf(run(group, { op: 'A', event: { category: 'a1' } }))).toEqual({
      op: 'A',
      event: { category: ['a1'], action: 'a', type: 'a2' },
    });
    expect(docOf(run(group, { op: 'ΣİZ' }))).toEqual({ op: 'ΣİZ', event: { category: ['d1'], action: 'σiz' } });
    expect(run(group, { op: 5 }).ok).toBe(false);
    expect(run(group, { op: 'A', event: 'text' }).ok).toBe(false);
  });
  it('the lookups group script with a lowercase fix-up: the tables, then the simple lowercase at params.lower of a value holding İ or Σ only', () => {
    const group: ProcessorConfig[] = [
      {
        script: {
          lang: 'painless',
          source: SOURCE_LOOKUPS_LOWER_SCRIPT,
          params: {
            source: ['op'],
            maps: [{ table: { A: 'a1' }, default: 'd1', target: ['event', 'category'], append: true }],
            lower: ['event', 'action'],
          },
        },
      },
    ];
    expect(docOf(run(group, { op: 'A', event: { action: 'x' } }))).toEqual({
      op: 'A',
      event: { action: 'x', category: ['a1'] },
    });
    expect(docOf(run(group, { op: 'ΣİZ' }))).toEqual({ op: 'ΣİZ', event: { category: ['d1'], action: 'σiz' } });
    expect(run(group, { op: 5 }).ok).toBe(false);
  });
  it('the lookups group script: one read, each table in order into its own target (set or append without duplicates), a non-String no key', () => {
    const group: ProcessorConfig[] = [
      {
        script: {
          lang: 'painless',
          source: SOURCE_LOOKUPS_SCRIPT,
          params: {
            source: ['op'],
            maps: [
              { table: { A: 'a1' }, default: 'd1', target: ['event', 'category'], append: true },
              { table: { A: 'a2', B: 'b2' }, target: ['event', 'type'], append: false },
            ],
          },
        },
      },
    ];
    expect(docOf(run(group, { op: 'A', event: { category: 'a1' } }))).toEqual({
      op: 'A',
      event: { category: ['a1'], type: 'a2' },
    });
    expect(docOf(run(group, { op: 'Z' }))).toEqual({ op: 'Z', event: { category: ['d1'] } });
    expect(docOf(run(group, { op: 5 }))).toEqual({ op: 5, event: { category: ['d1'] } });
    expect(run(group, { op: 'A', event: 'text' }).ok).toBe(false);
  });
  it('the lowercase script: the simple mapping per code point (İ → i, Σ → σ everywhere, 𐐀 → 𐐨), written at the target', () => {
    const lower: ProcessorConfig[] = [
      {
        script: {
          lang: 'painless',
          source: LOWERCASE_WRITE_SCRIPT,
          params: { source: ['op'], target: ['event', 'action'], append: false },
        },
      },
    ];
    expect(docOf(run(lower, { op: 'İSTANBUL ΟΔΟΣ 𐐀 Straße' }))).toEqual({
      op: 'İSTANBUL ΟΔΟΣ 𐐀 Straße',
      event: { action: 'istanbul οδοσ 𐐨 straße' },
    });
    expect(run(lower, { op: 5 }).ok).toBe(false);
  });
  it('set: dotted field creates objects; copy_from deep-copies; a missing copy_from fails (set-processor.html)', () => {
    expect(docOf(run([{ set: { field: 'a.b', value: 1 } }], {}))).toEqual({ a: { b: 1 } });
    const d = docOf(
      run([{ set: { field: 'y', copy_from: 'x' } }, { set: { field: 'x.k', value: 2 } }], { x: { k: 1 } }),
    );
    expect(d).toEqual({ x: { k: 2 }, y: { k: 1 } });
    expect(run([{ set: { field: 'y', copy_from: 'nope' } }], {})).toEqual({
      ok: false,
      error: 'field [nope] not present as part of path [nope]',
    });
  });
  it('set: value templates render {{{field}}} (ingest.html#template-snippets)', () => {
    expect(docOf(run([{ set: { field: 'b', value: 'v={{{a}}}' } }], { a: 'x' }))).toEqual({ a: 'x', b: 'v=x' });
  });
  it('append: creates an array, converts a scalar, skips duplicates only when allow_duplicates is false (append-processor.html)', () => {
    expect(docOf(run([{ append: { field: 't', value: 'a' } }], {}))).toEqual({ t: ['a'] });
    expect(docOf(run([{ append: { field: 't', value: 'b' } }], { t: 'a' }))).toEqual({ t: ['a', 'b'] });
    expect(docOf(run([{ append: { field: 't', value: 'a' } }], { t: ['a'] }))).toEqual({ t: ['a', 'a'] });
    expect(docOf(run([{ append: { field: 't', value: 'a', allow_duplicates: false } }], { t: ['a'] }))).toEqual({
      t: ['a'],
    });
    expect(
      docOf(run([{ append: { field: 't', copy_from: 's', allow_duplicates: false } }], { s: ['a', 'c'], t: ['a'] })),
    ).toEqual({ s: ['a', 'c'], t: ['a', 'c'] });
  });
  it('convert: lists convert element-wise; long accepts 0x hex (convert-processor.html); null fails', () => {
    expect(docOf(run([{ convert: { field: 'a', type: 'long' } }], { a: ['1', '2'] }))).toEqual({ a: [1, 2] });
    expect(docOf(run([{ convert: { field: 'a', type: 'long' } }], { a: '0x10' }))).toEqual({ a: 16 });
    expect(docOf(run([{ convert: { field: 'a', type: 'boolean' } }], { a: 'True' }))).toEqual({ a: true });
    expect(run([{ convert: { field: 'a', type: 'long' } }], { a: null }).ok).toBe(false);
    expect(docOf(run([{ convert: { field: 'a', type: 'long', ignore_missing: true } }], {}))).toEqual({});
  });
  it('remove: a missing field fails unless ignore_missing; parents stay (remove-processor.html)', () => {
    expect(run([{ remove: { field: 'a.b' } }], {}).ok).toBe(false);
    expect(docOf(run([{ remove: { field: 'a.b', ignore_missing: true } }], { a: 1 }))).toEqual({ a: 1 });
    expect(docOf(run([{ remove: { field: 'a.b' } }], { a: { b: 1 } }))).toEqual({ a: {} });
  });
  it('rename: an existing target fails (rename-processor.html)', () => {
    expect(run([{ rename: { field: 'a', target_field: 'b' } }], { a: 1, b: 2 })).toEqual({
      ok: false,
      error: 'field [b] already exists',
    });
    expect(docOf(run([{ rename: { field: 'a', target_field: 'c.d' } }], { a: 1 }))).toEqual({ c: { d: 1 } });
  });
  it('date: formats in order, default target @timestamp, millisecond UTC output (date-processor.html)', () => {
    expect(
      docOf(
        run([{ date: { field: 'd', formats: ['dd/MM/yyyy', 'ISO8601'] } }], { d: '2024-01-02T03:04:05.678901-01:00' }),
      ),
    ).toEqual({
      d: '2024-01-02T03:04:05.678901-01:00',
      '@timestamp': '2024-01-02T04:04:05.678Z',
    });
    expect(run([{ date: { field: 'd', formats: ['dd/MM/yyyy'] } }], { d: '30/02/2024' }).ok).toBe(false);
  });
  it('date: years 0000-0099 are read as written, not as 19xx (java.time has no two-digit-year window for yyyy)', () => {
    const d = docOf(
      run(
        [
          { date: { field: 'a', target_field: 'ta', formats: ['ISO8601'] } },
          { date: { field: 'b', target_field: 'tb', formats: ['dd/MM/yyyy'] } },
        ],
        { a: '0001-01-01T00:00:00Z', b: '29/02/0096' },
      ),
    );
    expect([d['ta'], d['tb']]).toEqual(['0001-01-01T00:00:00.000Z', '0096-02-29T00:00:00.000Z']);
    // 0097 is not a leap year: strict resolution still refuses 29/02.
    expect(run([{ date: { field: 'b', formats: ['dd/MM/yyyy'] } }], { b: '29/02/0097' }).ok).toBe(false);
  });
  it('convert ip: ASCII text only; a non-ASCII decimal digit is not an IP (Elasticsearch 9.x InetAddresses.ipStringToBytes)', () => {
    expect(docOf(run([{ convert: { field: 'a', type: 'ip' } }], { a: '123.1.1.1' }))).toEqual({ a: '123.1.1.1' });
    expect(run([{ convert: { field: 'a', type: 'ip' } }], { a: '\u0661\u0662\u0663.1.1.1' }).ok).toBe(false);
    expect(run([{ convert: { field: 'a', type: 'ip' } }], { a: '::ffff:\uff11.1.1.1' }).ok).toBe(false);
  });
  it('lowercase/gsub: strings and lists of strings; other types fail (lowercase-processor.html, gsub-processor.html)', () => {
    expect(docOf(run([{ lowercase: { field: 'a' } }], { a: ['X', 'Y'] }))).toEqual({ a: ['x', 'y'] });
    expect(run([{ lowercase: { field: 'a' } }], { a: 1 }).ok).toBe(false);
    const mask1 = (a: Json) =>
      run(
        [{ gsub: { field: 'a', pattern: '^(?:([\\s\\S]{1})[\\s\\S]{2,}|[\\s\\S]{0,2})$', replacement: '$1********' } }],
        { a },
      );
    expect(docOf(mask1('𝔸bc'))).toEqual({ a: '𝔸********' });
    expect(docOf(mask1('𝔸b'))).toEqual({ a: '********' });
    expect(docOf(mask1(''))).toEqual({ a: '********' });
    expect(mask1(3).ok).toBe(false);
    expect(() =>
      run(
        [{ gsub: { field: 'a', pattern: '^(?:([\\s\\S]{1})[\\s\\S]{3,}|[\\s\\S]{0,2})$', replacement: '$1********' } }],
        { a: 'x' },
      ),
    ).toThrow(/outside the mask subset/);
  });
  it('json: parses into target_field; invalid JSON fails (json-processor.html)', () => {
    expect(docOf(run([{ json: { field: 'm', target_field: 'x.y' } }], { m: '{"a":[1,{"b":null}]}' }))).toEqual({
      m: '{"a":[1,{"b":null}]}',
      x: { y: { a: [1, { b: null }] } },
    });
    expect(run([{ json: { field: 'm' } }], { m: 'nope' }).ok).toBe(false);
  });
  it('fail + on_failure: handlers see _ingest.on_failure_* and processing continues (ingest.html#handling-pipeline-failures)', () => {
    const d = docOf(
      run(
        [
          {
            fail: {
              tag: 't1',
              message: 'boom',
              on_failure: [
                {
                  set: {
                    field: 'why',
                    value: '{{{_ingest.on_failure_message}}}/{{{_ingest.on_failure_processor_tag}}}',
                  },
                },
              ],
            },
          },
          { set: { field: 'after', value: true } },
        ],
        {},
      ),
    );
    expect(d).toEqual({ why: 'boom/t1', after: true });
  });
  it('pipeline on_failure: runs after an unhandled failure, later processors are skipped', () => {
    const d = docOf(
      run([{ fail: { message: 'x' } }, { set: { field: 'never', value: 1 } }], {}, [
        { set: { field: 'handled', value: '{{{_ingest.on_failure_message}}}' } },
      ]),
    );
    expect(d).toEqual({ handled: 'x' });
  });
  it("if: false skips the processor; an exception in the condition skips the processor's own on_failure", () => {
    expect(docOf(run([{ set: { field: 'a', value: 1, if: 'ctx.x != null' } }], {}))).toEqual({});
    const d = docOf(
      run(
        [{ set: { field: 'a', value: 1, if: "ctx.x.y == 'z'", on_failure: [{ set: { field: 'own', value: 1 } }] } }],
        { x: 'text' },
        [{ set: { field: 'pipeline', value: 1 } }],
      ),
    );
    expect(d).toEqual({ x: 'text', pipeline: 1 });
  });
  it('script: only the reviewed constant sources run; ctx._id becomes the document id', () => {
    expect(() => run([{ script: { source: 'ctx.a = 1' } }], {})).toThrow(/not one of the reviewed scripts/);
    const r = run([{ script: { lang: 'painless', source: 'ctx._mapc.v = ((String) ctx._mapc.v).sha256();' } }], {
      _mapc: { v: '' },
    });
    expect(r).toEqual({
      ok: true,
      doc: { _mapc: { v: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } },
    });
  });
  it("script and condition reads see a Map's own keys only (no `constructor` of a JavaScript object)", () => {
    const idOf = (path: string[]): Json => {
      const fields = [{ name: 'x', path }];
      const r = run([{ script: { lang: 'painless', source: DOC_ID_SCRIPT, params: { fields } } }], { a: {} });
      return docOf(r)['_id'] ?? null;
    };
    // `|x||`: the field read as missing, as on Elasticsearch.
    expect(idOf(['a', 'constructor'])).toBe(idOf(['a', 'missing']));
    expect(evalCondition('ctx.a.constructor == null', { a: {} })).toBe(true);
  });
});

describe('Painless condition subset', () => {
  const ctx: JsonMap = { a: { b: 'x', n: 1, s: 'a%b', l: [1] }, tags: ['t'], _mapc: { v: 5 } };
  it('evaluates def equality, instanceof, ==~, contains, null-safe access', () => {
    expect(evalCondition("ctx.a instanceof Map && ctx.a.b == 'x'", ctx)).toBe(true);
    expect(evalCondition('ctx.a.n == 1.0', ctx)).toBe(true);
    expect(evalCondition("ctx.a.n == '1'", ctx)).toBe(false);
    expect(evalCondition('ctx.a.l instanceof List && ctx.a.n instanceof Integer', ctx)).toBe(true);
    expect(evalCondition('ctx.a.b ==~ /^[a-z]$/', ctx)).toBe(true);
    expect(evalCondition("ctx.a.s.contains('%') && ctx.tags.contains('t')", ctx)).toBe(true);
    expect(evalCondition('ctx.missing?.v != null || ctx._mapc?.v instanceof Long', ctx)).toBe(false);
    expect(() => evalCondition('ctx.missing.v != null', ctx)).toThrow(/NullPointerException/);
    expect(() => evalCondition('ctx.a.b.c != null', ctx)).toThrow(/dynamic getter/);
  });
  it('parses back every condition form the emitter renders, with awkward keys', () => {
    const conds: Cond[] = [
      { kind: 'present', path: ['a', "it's", 'Date & Time'] },
      { kind: 'equals', path: ['a', 'b'], value: "q'uote\\" },
      { kind: 'matches', path: ['_mapc', 'v'], regex: '^[0-9]{2}/[0-9]{2}$' },
      {
        kind: 'not',
        cond: {
          kind: 'or',
          conds: [
            { kind: 'tag', name: 'x' },
            { kind: 'instanceOf', path: ['a'], types: ['String', 'Long'] },
          ],
        },
      },
    ];
    const doc: JsonMap = { a: { "it's": { 'Date & Time': 1 }, b: "q'uote\\" }, _mapc: { v: '12/34' } };
    expect(conds.map((c) => evalCondition(renderCond(c), doc))).toEqual([true, true, true, true]);
    for (const c of conds) expect(() => parseCondition(renderCond(c))).not.toThrow();
  });
});
