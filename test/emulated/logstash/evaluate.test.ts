/**
 * The evaluator's documented Logstash behaviours, one test each, so that a wrong model fails here
 * and not only through the fixtures.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { APPEND_INIT, appendCode } from '../../../targets/logstash/append.ts';
import { PROBE_INIT, probeCode } from '../../../targets/logstash/probe.ts';
import { optionText, OWN, quoted } from '../../../targets/logstash/quote.ts';
import { ref } from '../../../targets/logstash/scratch.ts';

const quoteString = (text: string): string => quoted(optionText(text, OWN));
import {
  newEvent,
  outputDocument,
  parseJsonRuby,
  rubyFloat,
  RFloat,
  runStatements,
  substituteStatements,
  Timestamp,
  type LsEvent,
} from './evaluate.ts';
import { parseConfig } from './parse.ts';
import {
  expandWhole,
  IllegalFieldReference,
  parseFieldReference,
  placeholders,
  sprintfIsLive,
  sprintfParts,
  substituteOption,
} from './interpolation.ts';

function run(filter: string, data: Record<string, unknown>, env: Record<string, string> = {}): LsEvent {
  const body = parseConfig(`filter {\n${filter}\n}\n`).sections[0]!.body;
  const e = newEvent('m');
  Object.assign(e.data, data);
  const out = runStatements(e, substituteStatements(body, env));
  if (out.length !== 1 || out[0] !== e) throw new Error('expected the same single event');
  return e;
}

describe('mutate (plugins-filters-mutate.html, mutate.rb)', () => {
  it('runs replace before convert inside one block (documented processing order)', () => {
    const e = run('mutate { convert => { "[n]" => "integer" } replace => { "[n]" => "42" } }', {});
    expect(e.data['n']).toBe(42);
  });
  it('copy skips a null or missing source', () => {
    const e = run('mutate { copy => { "[a]" => "[b]" "[z]" => "[c]" } }', { a: null });
    expect(e.data).not.toHaveProperty('b');
    expect(e.data).not.toHaveProperty('c');
  });
  it('merge turns a missing or scalar destination into an array', () => {
    const e = run('mutate { merge => { "[d]" => "[v]" "[s]" => "[v]" } }', { v: 'x', s: 'y' });
    expect(e.data['d']).toEqual(['x']);
    expect(e.data['s']).toEqual(['y', 'x']);
  });
  it('convert boolean is case-insensitive; lowercase leaves non-strings alone', () => {
    const e = run('mutate { convert => { "[b]" => "boolean" } lowercase => [ "[n]" ] }', { b: 'TRUE', n: 5 });
    expect(e.data['b']).toBe(true);
    expect(e.data['n']).toBe(5);
  });
  it('mapc mask: a length condition in code points, then gsub or replace', () => {
    const conf = [
      'if [v] =~ /\\A(?:[\\s\\S]{5,})\\z/ { mutate { gsub => [ "[v]", "\\A((?m:.){2})(?m:.)*\\z", "\\1********" ] } }',
      'else { mutate { replace => { "[v]" => "********" } } }',
    ].join('\n');
    expect(run(conf, { v: '😀😀😀😀😀' }).data['v']).toBe('😀😀********');
    expect(run(conf, { v: '😀😀😀😀' }).data['v']).toBe('********');
    expect(run(conf, { v: 'ab\ncd' }).data['v']).toBe('ab********');
    expect(run(conf, { v: 'abc\n' }).data['v']).toBe('********');
    expect(run(conf, { v: '' }).data['v']).toBe('********');
  });
  it('gsub with mapc mask regex keeps the first code points', () => {
    const e = run('mutate { gsub => [ "[v]", "\\A((?m:.){0,4})(?m:.)*\\z", "\\1********" ] }', { v: '😀ab\ncdef' });
    expect(e.data['v']).toBe('😀ab\n********');
  });
});

describe('conditionals (EventCondition)', () => {
  it('truthiness: "", "false" and false are false; 0 is true', () => {
    const e = run(
      'if [a] { mutate { replace => { "[ra]" => "1" } } }\nif [b] { mutate { replace => { "[rb]" => "1" } } }\nif [c] { mutate { replace => { "[rc]" => "1" } } }\nif [z] { mutate { replace => { "[rz]" => "1" } } }',
      { a: '', b: 'false', c: 0, z: false },
    );
    expect(Object.keys(e.data).filter((k) => k.startsWith('r'))).toEqual(['rc']);
  });
  it('in: list membership by string form, substring on strings', () => {
    const e = run(
      'if [v] in [list] { mutate { replace => { "[l]" => "1" } } }\nif [v] in [text] { mutate { replace => { "[t]" => "1" } } }',
      {
        v: 'ab',
        list: ['abc'],
        text: 'xaby',
      },
    );
    expect(e.data).not.toHaveProperty('l');
    expect(e.data['t']).toBe('1');
  });
  it('== with a string literal needs a string field', () => {
    const e = run('if [n] == "5" { mutate { replace => { "[hit]" => "1" } } }', { n: 5 });
    expect(e.data).not.toHaveProperty('hit');
  });
});

describe('sprintf, environment, json', () => {
  it('a missing field leaves its %{} reference; a list is comma-joined', () => {
    const e = run('mutate { replace => { "[a]" => "<%{[nope]}>" "[b]" => "%{[l]}" } }', { l: ['x', 1] });
    expect(e.data['a']).toBe('<%{[nope]}>');
    expect(e.data['b']).toBe('x,1');
  });
  it('${VAR:default} uses the environment, else the default', () => {
    expect(run('mutate { replace => { "[a]" => "${X:d}" } }', {}).data['a']).toBe('d');
    expect(run('mutate { replace => { "[a]" => "${X:d}" } }', {}, { X: 'e' }).data['a']).toBe('e');
    expect(() => run('mutate { replace => { "[a]" => "${X}" } }', {})).toThrow(/Cannot evaluate/);
  });
  it('json keeps 5.0 a float and 5 an integer', () => {
    expect(parseJsonRuby('{"a":5.0,"b":5}')).toEqual({ a: new RFloat(5), b: 5 });
  });
});

describe('date, translate, fingerprint, ruby', () => {
  it('date: ISO8601 truncated to milliseconds, patterns read in UTC, tag_on_failure [] adds no tag', () => {
    const e = run(
      'date { match => [ "[a]", "ISO8601" ] target => "[ta]" }\ndate { match => [ "[b]", "dd/MM/yyyy" ] target => "[tb]" timezone => "UTC" }\ndate { match => [ "[c]", "ISO8601" ] target => "[tc]" tag_on_failure => [] }',
      { a: '2024-11-13T15:30:45.123999+01:00', b: '12/11/2024', c: 'nope' },
    );
    expect(String(e.data['ta'])).toBe('2024-11-13T14:30:45.123Z');
    expect(e.data['tb']).toEqual(new Timestamp(Date.UTC(2024, 10, 12)));
    expect(e.data).not.toHaveProperty('tc');
    expect(e.data).not.toHaveProperty('tags');
  });
  it('date: years 0000-0099 stay as written', () => {
    const e = run(
      'date { match => [ "[a]", "ISO8601" ] target => "[ta]" }\ndate { match => [ "[b]", "dd/MM/yyyy" ] target => "[tb]" }',
      { a: '0050-03-01T00:00:00Z', b: '01/03/0007' },
    );
    expect(String(e.data['ta'])).toBe('0050-03-01T00:00:00.000Z');
    expect(String(e.data['tb'])).toBe('0007-03-01T00:00:00.000Z');
  });
  it('translate: exact hit, else fallback; add_field only on success', () => {
    const f =
      'translate { source => "[s]" target => "[t]" dictionary => { "A" => "a" } fallback => "other" add_field => { "[hit]" => "1" } }';
    expect(run(f, { s: 'A' }).data).toMatchObject({ t: 'a', hit: '1' });
    expect(run(f, { s: 'B' }).data).toMatchObject({ t: 'other' });
    expect(
      run(
        'translate { source => "[s]" target => "[t]" dictionary => { "A" => "a" } add_field => { "[hit]" => "1" } }',
        { s: 'B' },
      ).data,
    ).not.toHaveProperty('hit');
  });
  it('fingerprint without key: plain lowercase hex SHA-256 of the value', () => {
    const e = run('fingerprint { source => [ "[v]" ] target => "[h]" method => "SHA256" }', { v: 'héllo' });
    expect(e.data['h']).toBe(createHash('sha256').update('héllo', 'utf8').digest('hex'));
  });
  it('ruby: the type probe classifies as Ruby case/when does; other Ruby code is refused', () => {
    const code = probeCode(
      ['n', 's', 'i', 'f', 't', 'o', 'a', 'e', 'x'].map((k) => [ref(['r', k]), ref([k])] as const),
    );
    const e = run(`ruby { init => ${quoteString(PROBE_INIT)} code => ${quoteString(code)} }`, {
      n: null,
      s: 's',
      i: 3,
      f: new RFloat(1.5),
      t: true,
      o: {},
      a: [1],
      e: [],
    });
    expect(e.data['r']).toEqual({
      n: 'null',
      s: 'string',
      i: 'integer',
      f: 'float',
      t: 'true',
      o: 'object',
      a: 'array',
      e: 'empty',
      x: 'null',
    });
    expect(() => run('ruby { code => "event.cancel" }', {})).toThrow(/not modelled/);
  });
  it('ruby: the += write adds values absent by Ruby ==-based JSON equality; altered append code is refused', () => {
    const filter = (code: string) => `ruby { init => ${quoteString(APPEND_INIT)} code => ${quoteString(code)} }`;
    const code = appendCode(ref(['t']), ref(['v']));
    // A present scalar becomes the first element; 1 and 1.0 are one Numeric; "1" is a String; hashes ignore key order.
    const e = run(filter(code), {
      t: 1,
      v: [new RFloat(1), '1', { a: 1, b: 2 }, { b: 2, a: new RFloat(1) }, null, null],
    });
    expect(e.data['t']).toEqual([1, '1', { a: 1, b: 2 }, null]);
    expect(run(filter(code), { v: [] }).data['t']).toEqual([]);
    expect(() => run(filter(code.replace('list <<', 'list.push')), { v: 1 })).toThrow(/not modelled/);
  });
  it('gsub before uppercase in one mutate; Onigmo \\u{H} escapes and \\1 references', () => {
    const e = run(`mutate { gsub => [ "[v]", "([\\u{DF}])", "{\\1}" ] uppercase => [ "[v]" ] }`, { v: 'aß' });
    expect(e.data['v']).toBe('A{SS}');
  });
  it('the output drops @metadata and an untouched @timestamp, and takes the id from [@metadata][_id]', () => {
    const e = run('mutate { replace => { "[@metadata][_id]" => "abc" "[x]" => "1" } }', {});
    expect(outputDocument(e)).toEqual({ _id: 'abc', doc: { '@version': '1', message: 'm', x: '1' } });
  });
});

describe('split, drop, rename (split.rb, mutate.rb)', () => {
  const runAll = (filter: string, data: Record<string, unknown>) => {
    const e = newEvent('m');
    Object.assign(e.data, data);
    return runStatements(e, parseConfig(`filter {\n${filter}\n}\n`).sections[0]!.body);
  };
  it("split yields one clone per element and cancels the original; [] yields nothing (hence mapc's guard)", () => {
    const out = runAll('split { field => "[a]" }', { a: [{ x: 1 }, { x: 2 }], k: 'v' });
    expect(out.map((e) => e.data['a'])).toEqual([{ x: 1 }, { x: 2 }]);
    expect(out.every((e) => e.data['k'] === 'v')).toBe(true);
    expect(runAll('split { field => "[a]" }', { a: [] })).toEqual([]);
  });
  it('split skips empty elements', () => {
    expect(runAll('split { field => "[a]" }', { a: [{}, 's', ''] }).map((e) => e.data['a'])).toEqual(['s']);
  });
  it('drop removes the event; rename moves a field', () => {
    expect(runAll('drop {}', {})).toEqual([]);
    const [e] = runAll('mutate { rename => { "[a]" => "[b][c]" } }', { a: 1 });
    expect(e!.data).toMatchObject({ b: { c: 1 } });
    expect(e!.data).not.toHaveProperty('a');
  });
});

describe('Ruby float text (Float#to_s), as conditionals and sprintf see floats', () => {
  it('plain within [1e-4, 1e16), E notation outside, always a fraction digit', () => {
    expect([5, 1.5, 31536000, 0.0001, 1e16, 1.5e-5, -2.25, 1e15].map(rubyFloat)).toEqual([
      '5.0',
      '1.5',
      '31536000.0',
      '0.0001',
      '1.0e+16',
      '1.5e-05',
      '-2.25',
      '1000000000000000.0',
    ]);
  });
});

describe('Logstash readings of config text (interpolation.ts, from the Logstash sources)', () => {
  it('${NAME} in an option: anywhere, keystore before environment before default; unresolved stops the load', () => {
    const vars = { keystore: { K: 'from-keystore' }, env: { K: 'from-env', E: 'e' } };
    expect(substituteOption('a${K}b${E}c${D:dflt}d${a.b_c:x}', vars)).toBe('afrom-keystorebecdflt' + 'dx');
    expect(() => substituteOption('${MISSING}', vars)).toThrow(/not defined/);
    // Not placeholders: `$` alone, `${` of another shape, a name starting with a digit, `$${`'s first `$`.
    expect(substituteOption('$ ${ } ${1A} ${-x} $${E}', vars)).toBe('$ ${ } ${1A} ${-x} $e');
    expect(placeholders('x${A:1}y${B}')).toEqual([
      [1, 7],
      [8, 12],
    ]);
  });
  it('${NAME} in a conditional operand: the whole string only (ExpressionSubstitution)', () => {
    expect(expandWhole('${E}', { env: { E: 'e' } })).toBe('e');
    expect(expandWhole('a${E}', { env: { E: 'e' } })).toBe('a${E}');
  });
  it('sprintf: field references, the three time formats, and text with no closing brace', () => {
    expect(sprintfParts('a%{[x][y]}b%{+YYYY}%{{yyyy}}%{+%s}%{}c%{d')).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'field', reference: '[x][y]' },
      { kind: 'text', text: 'b' },
      { kind: 'joda-time', pattern: 'YYYY' },
      { kind: 'java-time', pattern: 'yyyy' },
      { kind: 'epoch' },
      { kind: 'epoch' },
      { kind: 'text', text: 'c%{d' },
    ]);
    expect(sprintfIsLive('100% %{ x')).toBe(false);
    expect(sprintfIsLive('} %{x')).toBe(false);
    expect(sprintfIsLive('%{ a } b')).toBe(true);
    // `%{{` as the last reference: Java reads past the end and throws.
    expect(sprintfIsLive('%{{x}')).toBe(true);
  });
  it('field references: strict Logstash 8 syntax', () => {
    expect(parseFieldReference('[a][b c]')).toEqual(['a', 'b c']);
    expect(parseFieldReference('top')).toEqual(['top']);
    for (const bad of ['[a]b', '[a', 'a]', '[]', '[a[b]]'])
      expect(() => parseFieldReference(bad), bad).toThrow(IllegalFieldReference);
  });
});
