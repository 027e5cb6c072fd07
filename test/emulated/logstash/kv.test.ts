/**
 * The evaluator's model of the kv filter (logstash-filter-kv 4.7 `lib/logstash/filters/kv.rb`) in
 * the form mapc writes (`field_split_pattern`, `value_split_pattern`, `whitespace => "strict"`,
 * `include_brackets => false`): one test per behaviour of the plugin's `register`/`parse`, many of
 * them the plugin's own spec cases (`spec/filters/kv_spec.rb`), so that a wrong model fails here.
 * The generated pipeline's guard keeps most of these texts away from the filter.
 */
import { describe, expect, it } from 'vitest';
import { newEvent, runStatements, substituteStatements } from './evaluate.ts';
import { parseConfig } from './parse.ts';

function kv(text: unknown, fs = ' ', vs = '[=]'): unknown {
  const filter = `kv {
  source => "[m]"
  target => "[out]"
  field_split_pattern => "${fs}"
  value_split_pattern => "${vs}"
  whitespace => "strict"
  include_brackets => false
}`;
  const body = parseConfig(`filter {\n${filter}\n}\n`).sections[0]!.body;
  const e = newEvent('x');
  e.data['m'] = text;
  runStatements(e, substituteStatements(body, {}));
  return e.data['out'];
}

describe('kv filter model', () => {
  it('parses pairs into the target Hash', () => {
    expect(kv('user=alice action=login')).toEqual({ user: 'alice', action: 'login' });
  });
  it('makes a repeated key the Array of its values, equal ones kept (allow_duplicate_values)', () => {
    expect(kv('a=1 a=2 a=1')).toEqual({ a: ['1', '2', '1'] });
  });
  it('takes a key up to the first value separator and the value up to the field separator', () => {
    expect(kv('a=b=c x==y')).toEqual({ a: 'b=c', x: '=y' });
  });
  it('drops a pair whose value is empty, and sets no target when nothing is left', () => {
    expect(kv('a= b=2')).toEqual({ b: '2' });
    expect(kv('a=')).toBeUndefined();
  });
  it('skips text no pair starts at (String#scan), such as a standalone key or a leading separator', () => {
    expect(kv('a=1 b c=3')).toEqual({ a: '1', c: '3' });
    expect(kv(' a=1')).toEqual({ a: '1' });
    expect(kv('a=1  b=2')).toEqual({ a: '1', b: '2' });
  });
  it('unquotes double- and single-quoted values, keeping a separator inside', () => {
    expect(kv('a="x y" b=\'z w\'')).toEqual({ a: 'x y', b: 'z w' });
  });
  it('reads brackets as text with include_brackets => false', () => {
    expect(kv('k[x]=(v) q=<z w>')).toEqual({ 'k[x]': '(v)', q: '<z' });
  });
  it('keeps a dotted key as one key', () => {
    expect(kv('a.b=1')).toEqual({ 'a.b': '1' });
  });
  it('reads multi-character separators as patterns', () => {
    expect(kv('a=>1, b=>2', ', ', '=>')).toEqual({ a: '1', b: '2' });
    expect(kv('a:1;b:x:y', '[;]', '[:]')).toEqual({ a: '1', b: 'x:y' });
  });
  it('leaves a text without the value separator, and a non-String, alone', () => {
    expect(kv('abc')).toBeUndefined();
    expect(kv(5)).toBeUndefined();
  });
  it('refuses options it does not model', () => {
    const body = parseConfig('filter {\nkv {\n source => "[m]"\n target => "[o]"\n field_split => " "\n}\n}\n')
      .sections[0]!.body;
    expect(() => runStatements(newEvent('x'), substituteStatements(body, {}))).toThrow(/not modelled/);
  });
});
