/**
 * The ingest evaluator's `kv` processor (modelled from OpenSearch 2.19 `KeyValueProcessor.java`;
 * the same texts run on the real node in test/engines/opensearch/kv.test.ts): one test per
 * behaviour of the processor's source.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from './processors.ts';

const run = (t: unknown, fs = '\\ ', vs = '\\=', extra: Record<string, unknown> = {}) =>
  simulate(
    {
      processors: [
        {
          kv: {
            field: 't',
            field_split: fs,
            value_split: vs,
            target_field: 'out',
            ...extra,
            on_failure: [{ set: { field: 'failed', value: true } }],
          },
        },
      ],
    } as never,
    t === undefined ? {} : { t: t as never },
  );

describe('kv processor model', () => {
  it('writes each pair under the target, a repeated key as the list of its values', () => {
    expect(run('a=1 b=2 a=3')).toMatchObject({ ok: true, doc: { out: { a: ['1', '3'], b: '2' } } });
  });
  it('splits a piece at the first value separator (limit 2)', () => {
    expect(run('a=b=c')).toMatchObject({ doc: { out: { a: 'b=c' } } });
  });
  it('drops trailing empty pieces (String.split, limit 0) but throws on an inner or leading one', () => {
    expect(run('a=1 ')).toMatchObject({ doc: { out: { a: '1' } } });
    expect(run('a=1  b=2')).toMatchObject({ doc: { out: { a: '1' }, failed: true } });
    expect(run(' a=1')).toMatchObject({ doc: { failed: true } });
  });
  it('nests a dotted key', () => {
    expect(run('a.b=1')).toMatchObject({ doc: { out: { a: { b: '1' } } } });
  });
  it('throws on a missing, null or non-String field, and on the empty text', () => {
    for (const t of [undefined, null, 5, '']) expect(run(t)).toMatchObject({ doc: { failed: true } });
  });
  it('reads the separators as quoted literal regexes only', () => {
    expect(run('a:1;b:2', '\\;', '\\:')).toMatchObject({ doc: { out: { a: '1', b: '2' } } });
    expect(run('a=>1, b=>2', '\\,\\ ', '\\=\\>')).toMatchObject({ doc: { out: { a: '1', b: '2' } } });
    expect(() => run('a=1', '\\s+')).toThrow(/not a quoted literal/);
  });
  it('refuses options it does not model', () => {
    expect(() => run('a=1', '\\ ', '\\=', { trim_key: ' ' })).toThrow();
  });
});
