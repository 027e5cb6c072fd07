/** E0178-E0183 (`compiler/check/rules/transforms.ts`), the parse errors of `split` and `extract`, and their interpreter semantics. */
import { describe, expect, it } from 'vitest';
import { parseMap } from '../../../dsl/index.ts';
import { applyTransforms } from '../../../compiler/interpret/index.ts';
import { compileSource } from '../../../compiler/compile.ts';
import { baseMap } from '../helpers.ts';
import { at, brief, check } from './support.ts';
import { parseRegex } from '../../../dsl/regex.ts';

describe('split (E0178-E0180)', () => {
  it('accepts a split into an ECS array field and under the vendor namespace', () => {
    const rules = '    related.user += approvers | lowercase | split(",")\n    acme.audit.parts = path | split("/")';
    expect(check(baseMap({ rules }))).toEqual([]);
  });
  it('refuses an empty separator, at the literal', () => {
    const source = baseMap({ rules: '    related.user += approvers | split("")' });
    expect(brief(check(source))).toEqual([
      `E0178 ${at(source, '"")')} split needs a separator of at least one character`,
    ]);
  });
  it('refuses a transform after split, at that transform', () => {
    const source = baseMap({ rules: '    related.user += approvers | split(",") | lowercase' });
    expect(brief(check(source))).toEqual([
      `E0179 ${at(source, 'lowercase')} no transform can follow split: it yields a list of strings`,
    ]);
  });
  it('refuses a list into an ECS field that holds one value, at the destination', () => {
    const source = baseMap({ rules: '    user.name = approvers | split(",")' });
    expect(brief(check(source))).toEqual([
      `E0180 ${at(source, 'user.name')} user.name holds one value, but split yields a list`,
    ]);
  });
  it('needs a string before it (E0101)', () => {
    const source = baseMap({ rules: '    related.user += count | long | split(",")' });
    expect(check(source).map((d) => d.code)).toEqual(['E0101']);
  });
  it('takes exactly one string', () => {
    const errors = (rules: string): string[] =>
      parseMap(baseMap({ rules }), 'test.map').diagnostics.map((d) => `${d.code} ${d.message}`);
    const message = 'E0010 split takes one separator string: split(",")';
    expect(errors('    related.user += a | split')).toEqual([message]);
    expect(errors('    related.user += a | split(",", ";")')).toEqual([message]);
    expect(errors('    related.user += a | split(comma)')).toEqual([message]);
  });
});

describe('split in the interpreter (TransformIR)', () => {
  const split = (value: unknown, separator: string) => applyTransforms(value, [{ kind: 'split', separator }]);
  it.each([
    ['a,b,,c', ',', ['a', 'b', '', 'c']],
    [',a', ',', ['', 'a']],
    ['a,b,,', ',', ['a', 'b']],
    [',,', ',', []],
    ['', ',', []],
    ['abc', ',', ['abc']],
    ['xaaa', 'aa', ['x', 'a']],
    ['a.*b', '.*', ['a', 'b']],
    ['😀é😀', 'é', ['😀', '😀']],
  ])('%j split on %j is %j', (value, separator, pieces) => {
    expect(split(value, separator)).toEqual({ kind: 'value', value: pieces });
  });
  it.each([[5], [true], [['a,b']], [{ a: 'b' }]])('fails on %j', (value) => {
    expect(split(value, ',')).toEqual({ kind: 'fail' });
  });
});

describe('json (E0179, E0181)', () => {
  it('accepts parsed JSON under the vendor namespace, with = and +=', () => {
    const rules = '    acme.audit.details = details | json\n    acme.audit.items += items_text | json';
    expect(check(baseMap({ rules }))).toEqual([]);
  });
  it('refuses a transform after json, at that transform', () => {
    const source = baseMap({ rules: '    acme.audit.details = details | json | lowercase' });
    expect(brief(check(source))).toEqual([
      `E0179 ${at(source, 'lowercase')} no transform can follow json: it yields a value of any JSON type`,
    ]);
  });
  it('refuses a typed ECS destination, at the destination, without E0101', () => {
    const source = baseMap({ rules: '    user.name = details | json' });
    expect(brief(check(source))).toEqual([
      `E0181 ${at(source, 'user.name')} user.name is an ECS keyword field, but json yields a value of any JSON type`,
    ]);
  });
  it('takes no arguments', () => {
    const { diagnostics } = parseMap(baseMap({ rules: '    acme.audit.d = d | json(x)' }), 'test.map');
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['E0010 "json" takes no arguments']);
  });
});

describe('json in the interpreter (TransformIR)', () => {
  const json = (value: unknown) => applyTransforms(value, [{ kind: 'json' }]);
  it.each([
    ['{"a": [1, "x"]}', { a: [1, 'x'] }],
    [' [1, 2]\n', [1, 2]],
    ['"x"', 'x'],
    ['5', 5],
    ['false', false],
  ])('%j parses to %j', (text, value) => {
    expect(json(text)).toEqual({ kind: 'value', value });
  });
  it('writes nothing for null', () => {
    expect(json('null')).toEqual({ kind: 'skip' });
  });
  it.each([[''], ['  '], ['{'], ["{'a':1}"], ['[1] [2]'], ['/*c*/1'], [5], [{ a: '{}' }]])('fails on %j', (value) => {
    expect(json(value)).toEqual({ kind: 'fail' });
  });
});

describe('extract (E0182, E0183)', () => {
  const refused = (pattern: string) => {
    const source = baseMap({ rules: `    acme.audit.part = message | extract(${JSON.stringify(pattern)})` });
    return { source, found: brief(check(source)), at: at(source, JSON.stringify(pattern)) };
  };
  it('accepts patterns of the subset, chained with later transforms, into typed ECS fields', () => {
    const rules = [
      String.raw`    source.ip = message | extract("from ([0-9.]+) port") | ip`,
      String.raw`    user.name = message | extract("^user=(\\w+)") | lowercase`,
      String.raw`    acme.audit.code = message | extract("(?:code|status)[:=]\\s*(\\d{3})$")`,
      String.raw`    related.user += message | extract("by ([^ ]+?)@")`,
    ].join('\n');
    expect(check(baseMap({ rules }))).toEqual([]);
  });
  it.each([
    ['a(?=b)(c)', 'a lookahead at column 2'],
    ['(?<=a)(b)', 'a lookbehind at column 1'],
    ['(?P<user>\\w+)', 'a named group other than (?<name>...) at column 1'],
    ['(?<a>x(?<b>y))', 'a capturing group inside another at column 7'],
    ['(?<a>x)(?<a>y)', 'a second group named a at column 8'],
    ['(?<1a>x)', 'a group name that is not 1 to 64 ASCII letters, digits or _ (not starting with a digit) at column 1'],
    ['(?i)(a)', 'an inline flag or other (? group at column 1'],
    ['(a)\\1', 'a backreference \\1 at column 4'],
    ['\\b(a)', 'a word boundary \\b at column 1'],
    ['(\\p{L})', 'a Unicode property \\p at column 2'],
    ['(a++)', 'a possessive quantifier at column 4'],
    [
      '(a+)+',
      'a quantifier on a group holding more than characters and classes (a nested quantifier, group, alternation or anchor; engines could backtrack without bound or repeat empty matches differently) at column 5',
    ],
    [
      '(?:a|b)*(c)',
      'a quantifier on a group holding more than characters and classes (a nested quantifier, group, alternation or anchor; engines could backtrack without bound or repeat empty matches differently) at column 8',
    ],
    ['(a*)b*c*d*', 'more than 3 quantifiers of variable length at column 10'],
    ['(a{1,300})', 'a count above 255 at column 3'],
    ['([a&&b])', '&& inside a class (class intersection in Joni and Rust; write \\&) at column 4'],
    ['([[:alpha:]])', 'an unescaped [ inside a class (write \\[) at column 3'],
    ['([z-a])', 'a range out of order at column 4'],
    ['(\\Dx|[\\D])', '\\D inside a class at column 7'],
    ['(a', 'an unclosed ( at column 1'],
    ['(a{x})', 'a { that is not a quantifier {m}, {m,} or {m,n} (write \\{ for the character) at column 3'],
    [`(${'a'.repeat(260)})`, 'a pattern longer than 256 characters at column 257'],
  ])('refuses %j (E0182), naming the construct and its column, at the pattern', (pattern, message) => {
    const { found, at: where } = refused(pattern);
    expect(found).toEqual([`E0182 ${where} extract cannot take ${message}`]);
  });
  it.each([
    ['no group', 'the pattern has no capturing group: write the part to extract in ( )'],
    [
      '(a)(b)',
      'the pattern has 2 capturing groups; extract takes exactly one unnamed group (write the others as (?:...)) or named groups (?<name>...)',
    ],
    [
      '(?<a>x)(y)',
      'the pattern mixes named and unnamed capturing groups; name them all, or write the others as (?:...)',
    ],
  ])('refuses %j (E0183)', (pattern, message) => {
    const { found, at: where } = refused(pattern);
    expect(found).toEqual([`E0183 ${where} extract: ${message}`]);
  });
  it('needs a string before it (E0101), and exactly one string argument', () => {
    const source = baseMap({ rules: '    acme.audit.n = count | long | extract("(1)")' });
    expect(check(source).map((d) => d.code)).toEqual(['E0101']);
    const errors = (rules: string): string[] =>
      parseMap(baseMap({ rules }), 'test.map').diagnostics.map((d) => `${d.code} ${d.message}`);
    const message = 'E0010 extract takes one pattern string: extract("id=([0-9]+)")';
    expect(errors('    acme.audit.p = a | extract')).toEqual([message]);
    expect(errors('    acme.audit.p = a | extract("(a)", "(b)")')).toEqual([message]);
  });
});

describe('extract with named groups (E0179, E0181)', () => {
  const pattern = String.raw`(?<user>\\w+)@(?<domain>\\S+)`;
  it('accepts the object under the vendor namespace', () => {
    expect(check(baseMap({ rules: `    acme.audit.address = email | extract("${pattern}")` }))).toEqual([]);
  });
  it('refuses it into a typed ECS field, at the destination (E0181)', () => {
    const source = baseMap({ rules: `    user.name = email | extract("${pattern}")` });
    expect(brief(check(source))).toEqual([
      `E0181 ${at(source, 'user.name')} user.name is an ECS keyword field, but extract with named groups yields an object of the named captures`,
    ]);
  });
  it('refuses a transform after it (E0179)', () => {
    const source = baseMap({ rules: `    acme.audit.address = email | extract("${pattern}") | lowercase` });
    expect(brief(check(source))).toEqual([
      `E0179 ${at(source, 'lowercase')} no transform can follow extract with named groups: it yields an object of the named captures`,
    ]);
  });
  it('yields the named groups that captured text, in the interpreter', () => {
    const regex = parseRegex('(?<user>\\w+)@(?<domain>\\S+)|(?<other>x)');
    if (regex.kind !== 'regex') throw new Error('subset');
    const t = [{ kind: 'extract', pattern: '', regex } as const];
    expect(applyTransforms('mail bob@example.org', t)).toEqual({
      kind: 'value',
      value: { user: 'bob', domain: 'example.org' },
    });
    expect(applyTransforms('y', t)).toEqual({ kind: 'fail' });
  });
});

describe('extract in the interpreter (TransformIR)', () => {
  it('writes the capture, chains on, and fails into error.message', () => {
    const regex = parseRegex('from ([0-9.]+) port');
    if (regex.kind !== 'regex') throw new Error('subset');
    const t = [{ kind: 'extract', pattern: 'from ([0-9.]+) port', regex } as const];
    expect(applyTransforms('conn from 10.0.0.1 port 22', t)).toEqual({ kind: 'value', value: '10.0.0.1' });
    expect(applyTransforms('conn from 10.0.0.1 port 22', [...t, { kind: 'convert', to: 'ip' }])).toEqual({
      kind: 'value',
      value: '10.0.0.1',
    });
    expect(applyTransforms('no address', t)).toEqual({ kind: 'fail' });
    expect(applyTransforms(5, t)).toEqual({ kind: 'fail' });
  });
});

describe('list tables (E0179, E0180, E0102)', () => {
  const decls = `table types {
  "1000" => ["start"]
  "1001" => ["change", "user"]
  "1002" => "info"
  "1003" => []
  default ["info"]
}`;
  it('accepts a list table into an ECS array field (+=, E0112 for =) and under the vendor namespace', () => {
    const rules =
      '    event.type += code | keyword | lookup(types)\n    related.user += code | lookup(types)\n    acme.audit.types = code | lookup(types)';
    expect(check(baseMap({ rules, decls }))).toEqual([]);
  });
  it('refuses a list table into an ECS field that holds one value, at the destination', () => {
    const source = baseMap({ rules: '    event.action = code | lookup(types)', decls });
    expect(brief(check(source))).toEqual([
      `E0180 ${at(source, 'event.action')} event.action holds one value, but lookup(types) yields a list`,
    ]);
  });
  it('refuses a transform after a list table lookup, at that transform', () => {
    const source = baseMap({ rules: '    related.user += code | lookup(types) | lowercase', decls });
    expect(brief(check(source))).toEqual([
      `E0179 ${at(source, 'lowercase')} no transform can follow lookup(types): it yields a list of strings`,
    ]);
  });
  it('checks every string of a list against the ECS allowed values (E0102)', () => {
    const source = baseMap({
      rules: '    event.type += code | lookup(bad)',
      decls: 'table bad {\n  "a" => ["info", "nonsense"]\n}',
    });
    const found = check(source);
    expect(found.map((d) => d.code)).toEqual(['E0102']);
    expect(found[0]!.message).toContain('nonsense');
  });
  it('the interpreter yields the list (a string as one element, [] as none), the default list on a miss', () => {
    const lookup = {
      kind: 'lookup' as const,
      table: 'types',
      list: true as const,
      entries: [
        { from: '1000', to: ['start'] },
        { from: '1001', to: ['change', 'user'] },
        { from: '1003', to: [] },
      ],
      default: ['info'],
    };
    expect(applyTransforms('1001', [lookup])).toEqual({ kind: 'value', value: ['change', 'user'] });
    expect(applyTransforms('1003', [lookup])).toEqual({ kind: 'value', value: [] });
    expect(applyTransforms('9', [lookup])).toEqual({ kind: 'value', value: ['info'] });
    expect(applyTransforms(1001, [{ kind: 'convert', to: 'keyword' }, lookup])).toEqual({
      kind: 'value',
      value: ['change', 'user'],
    });
  });
  it('lowers a table with one list to a list table: every value a list', () => {
    const { ir } = compileSource(baseMap({ rules: '    event.type += code | lookup(types)', decls }), 'test.map');
    const rule = ir!.streams[0]!.mapping.rules.find((r) => r.destination.join('.') === 'event.type')!;
    const t = rule.value.kind === 'field' ? rule.value.transforms[0] : undefined;
    expect(t).toMatchObject({
      kind: 'lookup',
      list: true,
      entries: [
        { from: '1000', to: ['start'] },
        { from: '1001', to: ['change', 'user'] },
        { from: '1002', to: ['info'] },
        { from: '1003', to: [] },
      ],
      default: ['info'],
    });
  });
});

describe('kv (E0175, E0176, E0179, E0181)', () => {
  it('accepts kv and kv("F", "V") under the vendor namespace, and a later read of a parsed key', () => {
    const rules = [
      '    acme.audit.details = detail | kv',
      '    acme.audit.attrs = attrs | lowercase | kv(";", ":")',
      '    acme.audit.q = query | kv("&", "=")',
      '    acme.audit.w = words | kv(", ", "=>")',
      '    event.action = details.action',
    ].join('\n');
    expect(check(baseMap({ rules }))).toEqual([]);
  });
  const refused = (args: string) => {
    const source = baseMap({ rules: `    acme.audit.d = detail | kv(${args})` });
    return { source, found: brief(check(source)) };
  };
  it.each([
    ['"", "="', '""', 'kv field separator is empty'],
    ['",", ""', '"")', 'kv value separator is empty'],
    ['";;;;;;;;;", "="', '";;;;;;;;;"', 'kv field separator is 9 characters long (at most 8)'],
    ['"a", "="', '"a"', 'kv field separator holds "a", which no separator may hold'],
    ['",", "\\""', '"\\""', 'kv value separator holds "\\"", which no separator may hold'],
    ['"é", "="', '"é"', 'kv field separator holds "é", which no separator may hold'],
    ['" ;", "="', '" ;"', 'kv field separator starts with a space (only " " itself may)'],
  ])('refuses kv(%s) at the separator', (args, marker, message) => {
    const { source, found } = refused(args);
    expect(found).toEqual([`E0175 ${at(source, marker)} ${message}`]);
  });
  it('refuses separators that share a character, at the value separator', () => {
    const { source, found } = refused('", ", ": "');
    expect(found).toEqual([`E0176 ${at(source, '": "')} kv separators share the character " "`]);
  });
  it('accepts a value separator that starts with a space', () => {
    expect(refused('";", " :"').found).toEqual([]);
  });
  it('refuses a transform after kv, and a typed ECS destination', () => {
    const after = baseMap({ rules: '    acme.audit.d = detail | kv | lowercase' });
    expect(brief(check(after))).toEqual([
      `E0179 ${at(after, 'lowercase')} no transform can follow kv: it yields an object of the key=value pairs`,
    ]);
    const typed = baseMap({ rules: '    user.name = detail | kv' });
    expect(brief(check(typed))).toEqual([
      `E0181 ${at(typed, 'user.name')} user.name is an ECS keyword field, but kv yields an object of the key=value pairs`,
    ]);
  });
  it.each([['kv()'], ['kv(",")'], ['kv(",", "=", ";")'], ['kv(1, 2)']])('%s is a parse error', (call) => {
    const { diagnostics } = parseMap(baseMap({ rules: `    acme.audit.d = d | ${call}` }), 'test.map');
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'E0010 kv takes no arguments (pairs split on a space and on =) or two separator strings: kv(";", ":")',
    ]);
  });
  it('lowers the defaults and the given separators', () => {
    const rules = '    acme.audit.a = a | kv\n    acme.audit.b = b | kv(";", ":")';
    const { ir } = compileSource(baseMap({ rules }), 'test.map');
    const kinds = ir!.streams[0]!.mapping.rules.flatMap((r) => (r.value.kind === 'field' ? r.value.transforms : []));
    expect(kinds.map((t) => (t.kind === 'kv' ? [t.fieldSeparator, t.valueSeparator] : t.kind))).toEqual([
      'date',
      [' ', '='],
      [';', ':'],
    ]);
  });
});

describe('kv in the interpreter (TransformIR)', () => {
  const kv = (value: unknown, fieldSeparator = ' ', valueSeparator = '=') =>
    applyTransforms(value, [{ kind: 'kv', fieldSeparator, valueSeparator }]);
  it.each([
    ['user=alice action=login', { user: 'alice', action: 'login' }],
    ['a=1 a=2 a=1', { a: ['1', '2', '1'] }],
    ['a=b=c', { a: 'b=c' }],
    ['k[x]=(v) q=<z> r={}', { 'k[x]': '(v)', q: '<z>', r: '{}' }],
    ['é=日本 😀=x', { é: '日本', '😀': 'x' }],
    ['x=1.5 y=a.b', { x: '1.5', y: 'a.b' }],
  ])('%j is %j', (text, object) => {
    expect(kv(text)).toEqual({ kind: 'value', value: object });
  });
  it('keeps the order of first appearance and makes __proto__ an own key', () => {
    const out = kv('b=1 __proto__=2 a=3 b=4');
    expect(out.kind).toBe('value');
    const value = (out as { value: Record<string, unknown> }).value;
    expect(Object.keys(value)).toEqual(['b', '__proto__', 'a']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe('{"b":["1","4"],"__proto__":"2","a":"3"}');
  });
  it.each([
    ['a:1;b:x:y', ';', ':', { a: '1', b: 'x:y' }],
    ['a=>1, b=>=>', ', ', '=>', { a: '1', b: '=>' }],
    ['a 1,b 2', ',', ' ', { a: '1', b: '2' }],
  ])('%j on %j and %j is %j', (text, f, v, object) => {
    expect(kv(text, f, v)).toEqual({ kind: 'value', value: object });
  });
  it.each([
    [''],
    ['a'],
    ['a='],
    ['=1'],
    ['a=1 '],
    [' a=1'],
    ['a=1  b=2'],
    ['a=1 b'],
    ['a="x"'],
    ["a='x'"],
    ['a=x\\y'],
    ['a.b=1'],
    ['a=1\tb=2'],
    ['a=\u00a0'],
    ['a=\u2028'],
    ['a= b'],
    [5],
    [true],
    [['a=1']],
    [{ a: '1' }],
  ])('fails on %j', (value) => {
    expect(kv(value)).toEqual({ kind: 'fail' });
  });
  it('fails on a piece holding part of a two-character field separator', () => {
    expect(kv('a=>1,b=>2', ', ', '=>')).toEqual({ kind: 'fail' });
    expect(kv('a=>1, b=>2, ', ', ', '=>')).toEqual({ kind: 'fail' });
  });
});
