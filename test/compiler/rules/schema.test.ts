/**
 * The record-schema checks (compiler/check/rules/schema.ts), each with its file:line:col.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../dsl/diagnostics.ts';
import { brief, check } from '../helpers.ts';

interface Parts {
  /** Record lines after `created string format iso8601` (indent 4). */
  readonly record?: string;
  /** Rules after `@timestamp = created | date(iso8601)` (indent 4). */
  readonly rules?: string;
  /** Stream items before the record block (indent 2): split, cursor. */
  readonly items?: string;
  /** Map options before the rules (indent 4): id, remove, namespace, unmapped. */
  readonly options?: string;
}

function schemaMap(parts: Parts = {}): string {
  return `integration acme { title "Acme" vendor "Acme" version "0.1.0" description "Acme audit logs." }
setting base_url: url = "https://api.acme.test"
secret api_token
stream audit {
  dataset "acme.audit"
  interval 5m
  auth bearer secret.api_token
  request GET "{base_url}/v1/logs"
  records items
${parts.items ?? ''}
  record {
    created string format iso8601
${parts.record ?? ''}
  }
  map {
${parts.options ?? ''}
    @timestamp = created | date(iso8601)
${parts.rules ?? ''}
  }
}
`;
}

/** 1-based line and column of the `n`-th (from 0) occurrence of `text` in `source`. */
function where(source: string, text: string, n = 0): { line: number; column: number } {
  let offset = -1;
  for (let i = 0; i <= n; i++) {
    offset = source.indexOf(text, offset + 1);
    if (offset < 0) throw new Error(`${text} not in source`);
  }
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function at(d: Diagnostic): { line: number; column: number } {
  return { line: d.primary.span.line, column: d.primary.span.column };
}

function only(source: string, code: string): Diagnostic {
  const all = check(source);
  const found = all.filter((d) => d.code === code);
  expect(found, brief(all).join('\n')).toHaveLength(1);
  return found[0]!;
}

describe('a map with a record schema', () => {
  it('checks clean when every read is declared and read', () => {
    const source = schemaMap({
      record: '    user.name string optional\n    addr string nullable optional format ip\n    n integer | string',
      rules: '    user.name = user.name\n    source.ip = addr | ip\n    log.origin.file.line = n | long',
    });
    expect(brief(check(source))).toEqual([]);
  });
});

describe('E0140 path not in the record schema', () => {
  it('a rule source, with a did-you-mean', () => {
    const source = schemaMap({ record: '    user.name string', rules: '    user.name = user.nmae' });
    const d = only(source, 'E0140');
    expect(d.message).toBe('user.nmae is not in the record schema');
    expect(at(d)).toEqual(where(source, 'user.nmae'));
    expect(d.primary.message).toBe('a rule reads a path the schema lacks');
    expect(d.notes).toContain('help: did you mean user.name?');
    expect(d.secondary[0]).toMatchObject({ span: where(source, 'record {'), message: "the stream's record schema" });
  });
  it('a declared path with the same last segment is suggested when no path is close', () => {
    const source = schemaMap({ record: '    meta.created_by string', rules: '    user.name = created_by' });
    expect(only(source, 'E0140').notes).toContain('help: did you mean meta.created_by?');
  });
  it('a condition, the document id, the cursor and split', () => {
    const source = schemaMap({
      items: '  split results.items\n  cursor { max updated format iso8601 }',
      options: '    id uid',
      rules: '    event.kind = "alert" when exists flagged',
    });
    const found = check(source).filter((d) => d.code === 'E0140');
    expect(found.map((d) => [d.message, d.primary.message, at(d)])).toEqual([
      [
        'results.items is not in the record schema',
        'split reads a path the schema lacks',
        where(source, 'results.items'),
      ],
      ['updated is not in the record schema', 'the cursor reads a path the schema lacks', where(source, 'updated')],
      ['uid is not in the record schema', 'the document id reads a path the schema lacks', where(source, 'uid')],
      ['flagged is not in the record schema', 'a condition reads a path the schema lacks', where(source, 'flagged')],
    ]);
  });
  it('not for remove (undeclared fields may be present), nor for a path an earlier rule wrote in the namespace', () => {
    const source = schemaMap({
      record: '    op string',
      options: '    remove secret_token',
      rules: '    acme.audit.op_lower = op | lowercase\n    event.action = op_lower',
    });
    expect(brief(check(source))).toEqual([]);
  });
  it('a path written in the namespace only counts for later rules, and not with `unmapped drop`', () => {
    const early = schemaMap({
      record: '    op string',
      rules: '    event.action = op_lower\n    acme.audit.op_lower = op | lowercase',
    });
    expect(only(early, 'E0140').message).toBe('op_lower is not in the record schema');
    const dropped = schemaMap({
      record: '    op string',
      options: '    unmapped drop',
      rules: '    acme.audit.op_lower = op | lowercase\n    event.action = op_lower',
    });
    expect(only(dropped, 'E0140').message).toBe('op_lower is not in the record schema');
  });
  it('reading the parent of declared paths is fine', () => {
    const source = schemaMap({ record: '    spec.a string\n    spec.b string', rules: '    acme.audit.copy = spec' });
    expect(brief(check(source))).toEqual([]);
  });
});

describe('E0141 transform cannot take the declared type', () => {
  const cases: [string, string, string, string][] = [
    ['ip on an integer', 'n integer', 'source.ip = n | ip', 'ip cannot take n: it is declared integer'],
    [
      'lowercase on a number',
      'n number',
      'event.action = n | lowercase',
      'lowercase cannot take n: it is declared number',
    ],
    [
      'date(iso8601) on a boolean',
      'n boolean',
      'event.start = n | date(iso8601)',
      'date(iso8601) cannot take n: it is declared boolean',
    ],
    [
      'date(iso8601) on an integer',
      'n integer',
      'event.start = n | date(iso8601)',
      'date(iso8601) cannot take n: it is declared integer',
    ],
    ['hash on an object', 'n object', 'related.hash += n | hash', 'hash cannot take n: it is declared object'],
    [
      'mask on an array',
      'n array of string',
      'acme.audit.n = n | mask(2)',
      'mask cannot take n: it is declared array of string',
    ],
    [
      'lookup on an integer',
      'n integer',
      'event.kind = n | lookup(kinds)',
      'lookup cannot take n: it is declared integer',
    ],
    ['long on a boolean', 'n boolean', 'log.origin.file.line = n | long', 'long cannot take n: it is declared boolean'],
  ];
  it.each(cases)('%s', (_, decl, rule, message) => {
    const source = `${schemaMap({ record: `    ${decl}`, rules: `    ${rule}` })}table kinds { "A" => "event" }\n`;
    const d = only(source, 'E0141');
    expect(d.message).toBe(message);
    const ruleAt = where(source, rule);
    expect(at(d)).toEqual({ line: ruleAt.line, column: ruleAt.column + rule.indexOf('| ') + 2 });
    const declAt = where(source, `    ${decl}`);
    expect(d.secondary[0]).toMatchObject({ span: { line: declAt.line, column: declAt.column + 4 } });
  });
  it('names what the transform takes', () => {
    const source = schemaMap({ record: '    n boolean', rules: '    event.start = n | date(unix, iso8601)' });
    expect(only(source, 'E0141').notes).toContain('note: date(unix, iso8601) takes number or string');
  });
  it('date(unix_ms) takes numbers, keyword takes integers and booleans', () => {
    const source = schemaMap({
      record: '    ms integer\n    flag boolean',
      rules: '    event.end = ms | date(unix_ms)\n    event.outcome = flag | keyword',
    });
    expect(brief(check(source))).toEqual([]);
  });
  it('an object copied as is into an ECS text field', () => {
    const source = schemaMap({ record: '    meta object', rules: '    message = meta' });
    const d = only(source, 'E0141');
    expect(d.message).toBe('message is an ECS match_only_text field, and meta is declared object');
    expect(at(d)).toEqual(where(source, 'meta', 1));
  });
  it('any and undeclared types are not judged', () => {
    const source = schemaMap({ record: '    n any', rules: '    source.ip = n | ip' });
    expect(brief(check(source))).toEqual([]);
  });
});

describe('W0148 transform fails on some declared values', () => {
  it('a union with a type it cannot take', () => {
    const source = schemaMap({ record: '    n integer | boolean', rules: '    log.origin.file.line = n | long' });
    const d = only(source, 'W0148');
    expect(d.severity).toBe('warning');
    expect(d.message).toBe('long fails on some values n may hold: boolean values');
    expect(at(d)).toEqual(where(source, 'long'));
  });
  it('keyword on a number: numbers with a fraction fail', () => {
    const source = schemaMap({ record: '    n number', rules: '    event.code = n | keyword' });
    expect(only(source, 'W0148').message).toBe('keyword fails on some values n may hold: numbers with a fraction');
  });
});

describe('W0142 declared format disagrees with what reads the field', () => {
  it('a declared date format the date(...) does not try', () => {
    const source = schemaMap({
      record: '    ended string format "dd/MM/yyyy", unix',
      rules: '    event.end = ended | date("dd/MM/yyyy")',
    });
    const d = only(source, 'W0142');
    expect(d.message).toBe('ended is declared format unix, which this date(...) does not try');
    expect(at(d)).toEqual(where(source, 'date("dd/MM/yyyy")'));
    expect(d.notes).toEqual(['help: add unix to the formats of date(...)']);
  });
  it('an ip field read by date, a date field read by ip', () => {
    const source = schemaMap({
      record: '    addr string format ip\n    when string format iso8601',
      rules: '    event.end = addr | date(iso8601)\n    source.ip = when | ip',
    });
    const found = check(source).filter((d) => d.code === 'W0142');
    expect(found.map((d) => [d.message, at(d)])).toEqual([
      ['addr is declared format ip; date(...) reads dates', where(source, 'date(iso8601)', 1)],
      ['when is declared format iso8601; ip reads IP addresses', where(source, '| ip', 0)].map((x) =>
        typeof x === 'string' ? x : { line: x.line, column: x.column + 2 },
      ),
    ]);
  });
  it("the cursor's format is not one the field declares", () => {
    const source = schemaMap({ items: '  cursor { max created format unix_ms }' });
    const d = only(source, 'W0142');
    expect(d.message).toBe('the cursor reads created as unix_ms, but it is declared format iso8601');
    expect(at(d)).toEqual(where(source, 'unix_ms'));
  });
  it('no warning when every declared format is tried', () => {
    const source = schemaMap({
      record: '    d string format "dd/MM/yyyy", iso8601',
      rules: '    event.end = d | date(iso8601, "dd/MM/yyyy", unix)',
    });
    expect(brief(check(source))).toEqual([]);
  });
});

describe('W0143 declared field nothing reads', () => {
  it('warns at the declaration', () => {
    const source = schemaMap({ record: '    spare string optional' });
    const d = only(source, 'W0143');
    expect(d.message).toBe('spare is declared but nothing reads it');
    expect(at(d)).toEqual(where(source, 'spare'));
  });
  it('remove, a read of a parent and a read of a field count as reads', () => {
    const source = schemaMap({
      record: '    secret string optional\n    spec object\n    spec.a string\n    meta.b string',
      options: '    remove secret',
      rules: '    event.action = spec.a\n    acme.audit.m = meta',
    });
    expect(brief(check(source))).toEqual([]);
  });
  it('is not reported in a file with errors', () => {
    const source = schemaMap({ record: '    spare string', rules: '    event.action = nope' });
    expect(check(source).map((d) => d.code)).toEqual(['E0140']);
  });
});

describe('E0144 record schema contradicts split', () => {
  it('the split path declared as an array', () => {
    const source = schemaMap({
      items: '  split results.secrets',
      record: '    results.secrets array of object',
    });
    const d = only(source, 'E0144');
    expect(d.message).toBe('results.secrets is split: the mapping sees one element of it, not an array');
    expect(at(d)).toEqual(where(source, 'array of object'));
    expect(d.secondary[0]).toMatchObject({ span: where(source, 'split results.secrets') });
  });
  it('the element declared as an object, or by its fields, is fine', () => {
    const source = schemaMap({
      items: '  split results.secrets',
      record: '    results.secrets object\n    results.secrets.kind string optional',
      rules: '    rule.name = results.secrets.kind',
    });
    expect(brief(check(source))).toEqual([]);
  });
});

describe('E0145 path below a field that holds no fields', () => {
  it('a declaration', () => {
    const source = schemaMap({ record: '    spec string\n    spec.a string', rules: '    event.action = spec.a' });
    const found = check(source).filter((d) => d.code === 'E0145');
    expect(found.map((d) => [d.message, at(d)])).toEqual([
      ['spec.a is declared below spec, which is declared string', where(source, 'spec.a string')],
      ['spec.a never exists: spec is declared string', where(source, 'spec.a', 1)],
    ]);
  });
  it('a read or a remove below an array', () => {
    const source = schemaMap({
      record: '    claims array of object',
      options: '    remove claims.subject',
      rules: '    user.name = claims.subject',
    });
    const found = check(source).filter((d) => d.code === 'E0145');
    expect(found.map((d) => [d.message, d.primary.message, at(d)])).toEqual([
      [
        'claims.subject never exists: claims is declared array of object',
        'remove deletes below a field that holds no fields',
        where(source, 'claims.subject'),
      ],
      [
        'claims.subject never exists: claims is declared array of object',
        'a rule reads below a field that holds no fields',
        where(source, 'claims.subject', 1),
      ],
    ]);
  });
  it('below a union with object is fine', () => {
    const source = schemaMap({
      record: '    spec object | string\n    spec.a string',
      rules: '    event.action = spec.a',
    });
    expect(brief(check(source))).toEqual([]);
  });
});

describe('E0146 record field declared twice', () => {
  it('points at both', () => {
    const source = schemaMap({ record: '    n string\n    n integer', rules: '    event.action = n' });
    const d = only(source, 'E0146');
    expect(d.message).toBe('n is declared twice');
    expect(at(d)).toEqual(where(source, 'n integer'));
    expect(d.secondary[0]).toMatchObject({ span: where(source, 'n string'), message: 'first declared here' });
  });
});

describe('E0147 record field types or formats do not fit together', () => {
  const cases: [string, string, string][] = [
    ['any with another type', 'n any | string', 'n: any already allows every value'],
    ['a type twice', 'n string | string', 'n: string is given twice'],
    ['integer with number', 'n integer | number', 'n: number already includes integer'],
    ['nullable any', 'n any nullable', 'n: any already allows null'],
    ['a format twice', 'n string format ip, ip', 'n: format ip is given twice'],
    ['ip on a number', 'n integer format ip', 'n: format ip applies to string values, and n is declared integer'],
    [
      'iso8601 on a boolean',
      'n boolean format iso8601',
      'n: format iso8601 applies to string values, and n is declared boolean',
    ],
    [
      'a format on any',
      'n any format unix',
      'n: format unix applies to string or integer or number values, and n is declared any',
    ],
    ['ip with dates', 'n string format ip, iso8601', 'n: a field holds either IP addresses or dates'],
  ];
  it.each(cases)('%s', (_, decl, message) => {
    const source = schemaMap({ record: `    ${decl}`, rules: '    acme.audit.x = n' });
    const d = only(source, 'E0147');
    expect(d.message).toBe(message);
    expect(d.primary.span.line).toBe(where(source, `    ${decl}`).line);
  });
  it('unix_ms on an integer, unix on a number or string are fine', () => {
    const source = schemaMap({
      record: '    a integer format unix_ms\n    b number | string format unix',
      rules: '    event.start = a | date(unix_ms)\n    event.end = b | date(unix)',
    });
    expect(brief(check(source))).toEqual([]);
  });
});

describe('record fields past the path bound', () => {
  it('a 10,000-segment field is one E0128, checked in linear time (the schema index never holds it)', () => {
    const long = Array.from({ length: 10_000 }, (_, i) => `s${i}`).join('.');
    const started = performance.now();
    // The unknown path makes the checks look for a "did you mean" among the declared paths.
    const diagnostics = check(schemaMap({ record: `    ${long} string`, rules: '    user.name = missing' }));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['E0128', 'E0140']);
  });
});
