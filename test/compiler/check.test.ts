import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMap } from '../../dsl/index.ts';
import { checkMap } from '../../compiler/check/index.ts';
import { baseMap, brief, check, replaceLine } from './helpers.ts';

/** The one diagnostic with `code`, asserting there is exactly one. */
function only(source: string, code: string) {
  const all = check(source);
  const found = all.filter((d) => d.code === code);
  expect(found, brief(all).join('\n')).toHaveLength(1);
  return found[0]!;
}

function at(d: { primary: { span: { line: number; column: number; length: number } } }) {
  return { line: d.primary.span.line, column: d.primary.span.column, length: d.primary.span.length };
}

describe('the base test map', () => {
  it('checks clean', () => {
    expect(check(baseMap())).toEqual([]);
  });
});

describe('bundled maps', () => {
  for (const name of readdirSync('maps').filter((f) => f.endsWith('.map'))) {
    it(`${name} checks with no errors or warnings`, () => {
      const file = join('maps', name);
      const parsed = parseMap(readFileSync(file, 'utf8'), file);
      expect(brief(parsed.diagnostics)).toEqual([]);
      expect(brief(checkMap(parsed.ast!))).toEqual([]);
    });
  }
});

describe('E0100 unknown ECS field', () => {
  it('reports the target with a suggestion', () => {
    const d = only(baseMap({ rules: '    source.ipp = addr | ip' }), 'E0100');
    expect(d.message).toBe('unknown ECS field source.ipp');
    expect(at(d)).toEqual({ line: 24, column: 5, length: 'source.ipp'.length });
    expect(d.notes).toContain('help: did you mean source.ip?');
  });
});

describe('E0101 value type', () => {
  it('an ip field needs | ip', () => {
    const d = only(baseMap({ rules: '    source.ip = addr' }), 'E0101');
    expect(d.message).toBe('source.ip is an ip field; the value does not fit');
    // The value `addr` starts after `    source.ip = `.
    expect(at(d)).toEqual({ line: 24, column: 17, length: 4 });
    expect(d.notes).toContain('help: convert it: `source.ip = addr | ip`');
    expect(d.secondary[0]?.span.column).toBe(5);
  });
  it('a date field needs | date(...)', () => {
    const d = only(baseMap({ rules: '    event.created = created' }), 'E0101');
    expect(d.message).toBe('event.created is a date field; the value does not fit');
    expect(at(d).column).toBe(21);
  });
  it('a conversion to the wrong type is an error', () => {
    const d = only(baseMap({ rules: '    user.name = uid | long' }), 'E0101');
    expect(d.message).toBe('user.name is a keyword field; the value does not fit');
    expect(d.primary.message).toBe('converted to long');
    expect(at(d)).toEqual({ line: 24, column: 17, length: 'uid | long'.length });
  });
  it('a long field takes an integer literal but not a string', () => {
    expect(check(baseMap({ rules: '    event.severity = 3' }))).toEqual([]);
    const d = only(baseMap({ rules: '    event.severity = "3"' }), 'E0101');
    expect(d.primary.message).toBe('a string literal');
    expect(at(d)).toEqual({ line: 24, column: 22, length: 3 });
  });
  it('a keyword field takes copies but not a number literal', () => {
    expect(check(baseMap({ rules: '    user.name = uid\n    user.id = uid | keyword' }))).toEqual([]);
    const d = only(baseMap({ rules: '    user.id = 42' }), 'E0101');
    expect(d.notes).toContain('help: quote it: "42"');
  });
  it('a string transform after a numeric conversion is an error', () => {
    const d = only(baseMap({ rules: '    user.name = uid | long | lowercase' }), 'E0101');
    expect(d.message).toBe('lowercase/uppercase needs a string, but the value was converted to long');
    expect(at(d)).toEqual({ line: 24, column: 30, length: 'lowercase'.length });
  });
  it('a boolean field needs | boolean', () => {
    const d = only(baseMap({ rules: '    threat.enrichments.indicator.file.code_signature.trusted = ok' }), 'E0101');
    expect(d.message).toContain('is a boolean field');
  });
});

describe('E0102 allowed values', () => {
  it('rejects a constant outside ECS allowed values, suggesting the closest', () => {
    const d = only(baseMap({ rules: '    event.kind = "evnt"' }), 'E0102');
    expect(d.message).toBe('"evnt" is not an allowed value of event.kind');
    expect(at(d)).toEqual({ line: 24, column: 18, length: 6 });
    expect(d.notes[0]).toBe('help: did you mean "event"?');
  });
  it('checks appended constants on array fields', () => {
    const d = only(baseMap({ rules: '    event.category += "auth"' }), 'E0102');
    expect(d.message).toBe('"auth" is not an allowed value of event.category');
  });
  it('checks the to values and default of a lookup table feeding the field', () => {
    const source = baseMap({
      rules: '    event.type += op | lookup(ops)',
      decls: 'table ops {\n  "C" => "creation"\n  "X" => "created"\n  default "infos"\n}',
    });
    const found = check(source).filter((d) => d.code === 'E0102');
    // decls start after the stream: line 28 is `table ops {`.
    expect(brief(found)).toEqual([
      'E0102 30:10 "created" is not an allowed value of event.type',
      'E0102 31:11 "infos" is not an allowed value of event.type',
    ]);
    expect(found[0]!.secondary[0]).toMatchObject({ message: 'feeds event.type here', span: { line: 24, column: 5 } });
  });
  it('accepts the base table feeding event.kind', () => {
    expect(check(baseMap({ rules: '    event.kind = op | lookup(kinds)' }))).toEqual([]);
  });
});

describe('E0103 non-ECS field outside the vendor namespace', () => {
  it('rejects a field that is neither ECS nor vendor', () => {
    const d = only(baseMap({ rules: '    vendor_stuff.x = y' }), 'E0103');
    expect(d.message).toBe('vendor_stuff.x is neither an ECS field nor under the vendor namespace');
    expect(at(d)).toEqual({ line: 24, column: 5, length: 14 });
    expect(d.notes).toContain('note: vendor fields go under acme.audit, e.g. acme.audit.vendor_stuff.x');
  });
  it('accepts fields under <integration>.<stream> and under an explicit namespace', () => {
    expect(check(baseMap({ rules: '    acme.audit.extra = y | keyword' }))).toEqual([]);
    expect(check(baseMap({ rules: '    namespace acme.logs\n    acme.logs.extra = y' }))).toEqual([]);
  });
  it('rejects writing the namespace itself', () => {
    const d = only(baseMap({ rules: '    acme.audit = y' }), 'E0103');
    expect(d.message).toBe('acme.audit is the vendor namespace itself');
  });
  it('rejects a namespace inside ECS', () => {
    const d = only(baseMap({ rules: '    namespace user.acme' }), 'E0103');
    expect(d.message).toBe('vendor namespace user.acme collides with ECS field set user');
    expect(at(d)).toEqual({ line: 24, column: 15, length: 9 });
  });
});

describe('E0104 unknown setting / E0105 unknown secret', () => {
  it('reports an unknown setting with a suggestion', () => {
    const d = only(baseMap({ rules: '    event.kind = "event" when setting.keep_orignal' }), 'E0104');
    expect(d.message).toBe('unknown setting keep_orignal');
    expect(at(d)).toEqual({ line: 24, column: 39, length: 12 });
    expect(d.notes).toEqual(['help: did you mean setting.keep_original?']);
  });
  it('reports an unknown secret with a suggestion', () => {
    const d = only(replaceLine(baseMap(), 19, '  auth bearer secret.api_tokn'), 'E0105');
    expect(d.message).toBe('unknown secret api_tokn');
    expect(at(d)).toEqual({ line: 19, column: 22, length: 8 });
    expect(d.notes).toEqual(['help: did you mean secret.api_token?']);
  });
});

describe('E0106 secret outside auth', () => {
  it('rejects a secret as a placeholder', () => {
    const d = only(replaceLine(baseMap(), 20, '  request GET "{base_url}/v1/logs?t={api_token}"'), 'E0106');
    expect(d.message).toBe('secret api_token used in a placeholder');
    // `{api_token}` starts after `  request GET "{base_url}/v1/logs?t=`.
    expect(at(d)).toEqual({ line: 20, column: 37, length: 11 });
  });
  it('rejects a secret in the data request body', () => {
    const source = replaceLine(baseMap(), 20, '  request POST "{base_url}/v1/logs" { body { "k": secret.api_token } }');
    const d = only(source, 'E0106');
    expect(d.message).toBe('secret api_token used outside auth');
    expect(at(d)).toEqual({ line: 20, column: 51, length: 'secret.api_token'.length });
  });
});

describe('E0107 target mapped twice', () => {
  it('reports the second = with the first as secondary label', () => {
    const d = only(baseMap({ rules: '    user.name = a\n    user.name = b' }), 'E0107');
    expect(d.message).toBe('user.name is mapped twice');
    expect(at(d)).toEqual({ line: 25, column: 5, length: 9 });
    expect(d.secondary).toMatchObject([{ message: 'first mapped here', span: { line: 24, column: 5 } }]);
  });
  it('accepts repeated = when every rule has a when', () => {
    const rules = '    event.outcome = "success" when ok == true\n    event.outcome = "failure" when ok == false';
    expect(check(baseMap({ rules }))).toEqual([]);
  });
  it('rejects mapping event.dataset, which mapc sets', () => {
    const d = only(baseMap({ rules: '    event.dataset = "x"' }), 'E0107');
    expect(d.message).toBe('event.dataset is set by mapc');
  });
  it('rejects mapping event.original, which mapc sets from the raw record', () => {
    const d = only(baseMap({ rules: '    event.original = raw' }), 'E0107');
    expect(d.message).toBe('event.original is set by mapc');
    expect(d.notes).toEqual([
      'note: mapc sets event.original to the raw record text; ask for it with `original when setting.NAME`',
    ]);
  });
});

describe('E0108 placeholders', () => {
  const request = (query: string) =>
    replaceLine(baseMap(), 20, `  request GET "{base_url}/v1/logs" { query "q" = "${query}" }`);
  it('{cursor} without a cursor', () => {
    const d = only(request('{cursor}'), 'E0108');
    expect(d.message).toBe('placeholder {cursor} cannot be used here');
    expect(d.primary.message).toBe('this stream has no cursor');
    // `{cursor}` starts after `  request GET "{base_url}/v1/logs" { query "q" = "`.
    expect(at(d)).toEqual({ line: 20, column: 51, length: 8 });
  });
  it('{window.start} without time_window pagination', () => {
    const d = only(request('{window.start}'), 'E0108');
    expect(d.primary.message).toBe('this stream has no time_window pagination');
  });
  it('{token} outside a token_exchange header', () => {
    const d = only(request('{token}'), 'E0108');
    expect(d.primary.message).toBe('{token} has a value only in the token_exchange header');
  });
  it('an unknown placeholder, with a suggestion', () => {
    const d = only(replaceLine(baseMap(), 20, '  request GET "{base_ur}/v1/logs"'), 'E0108');
    expect(d.message).toBe('unknown placeholder {base_ur}');
    expect(at(d)).toEqual({ line: 20, column: 17, length: 7 });
    expect(d.notes[0]).toBe('help: did you mean {base_url}?');
  });
  it('{cursor} with a cursor is fine', () => {
    const source = request('{cursor}').replace(
      'records items',
      'records items cursor { max created format iso8601 start setting.backfill }',
    );
    expect(check(source)).toEqual([]);
  });
});

describe('E0109 unknown lookup table', () => {
  it('reports the table name with a suggestion', () => {
    const d = only(baseMap({ rules: '    event.kind = op | lookup(kindz)' }), 'E0109');
    expect(d.message).toBe('unknown lookup table kindz');
    expect(at(d)).toEqual({ line: 24, column: 30, length: 5 });
    expect(d.notes).toEqual(['help: did you mean kinds?']);
  });
});

describe('E0110 setting of the wrong type', () => {
  it('interval needs a duration setting', () => {
    const d = only(replaceLine(baseMap(), 18, '  interval setting.backfill'), 'E0110');
    expect(d.message).toBe('setting backfill is a timestamp, but `interval` needs a duration');
    expect(at(d)).toEqual({ line: 18, column: 12, length: 'setting.backfill'.length });
    expect(d.secondary[0]?.span.line).toBe(8);
  });
  it('cursor start needs a timestamp or duration setting', () => {
    const source = baseMap({ streamItems: '  cursor { max created format iso8601 start setting.keep_original }' });
    const d = only(source, 'E0110');
    expect(d.message).toBe('setting keep_original is a bool, but `cursor start` needs a timestamp or duration');
    // streamItems sit on line 26, after the map block's closing brace.
    expect(at(d)).toEqual({ line: 26, column: 45, length: 'setting.keep_original'.length });
  });
  it('original when needs a bool setting', () => {
    const d = only(baseMap({ rules: '    original when setting.every' }), 'E0110');
    expect(d.message).toBe('setting every is a duration, but `original when` needs a bool');
  });
});

describe('E0111 invalid date pattern', () => {
  it('points at the unsupported field inside the pattern', () => {
    const d = only(replaceLine(baseMap(), 23, '    @timestamp = created | date("dd/MM/yyyy hh:mm")'), 'E0111');
    expect(d.message).toBe('invalid date pattern "dd/MM/yyyy hh:mm"');
    // `hh` is at index 11 of the pattern, whose opening quote is column 33.
    expect(at(d)).toEqual({ line: 23, column: 45, length: 2 });
    expect(d.primary.message).toContain('`hh` is not a supported pattern field');
  });
  it('accepts the supported fields', () => {
    expect(
      check(replaceLine(baseMap(), 23, '    @timestamp = created | date("yyyy-MM-dd HH:mm:ss.SSS", "dd/MM/yyyy")')),
    ).toEqual([]);
  });
  it("refuses quoted text at the quote, since Java and Joda read 'MM' as literal text", () => {
    const d = only(replaceLine(baseMap(), 23, `    @timestamp = created | date("dd'MM'yyyy")`), 'E0111');
    expect(d.message).toBe(`invalid date pattern "dd'MM'yyyy"`);
    expect(at(d)).toEqual({ line: 23, column: 36, length: 1 });
    expect(d.primary.message).toBe("`'` is not a separator every engine reads literally (use space or - / . : , _ ;)");
  });
  it('refuses the separators an engine reserves (optional sections, reserved characters, strftime)', () => {
    for (const ch of ['[', ']', '#', '{', '}', '%', 'é']) {
      const d = only(replaceLine(baseMap(), 23, `    @timestamp = created | date("dd${ch}MM/yyyy")`), 'E0111');
      expect(d.primary.message, ch).toContain(`\`${ch}\` is not a separator`);
    }
  });
});

describe('E0112 / E0120 array operators', () => {
  it('= on an ECS array field', () => {
    const d = only(baseMap({ rules: '    related.ip = addr | ip' }), 'E0112');
    expect(d.message).toBe('related.ip is an array field: use +=');
    expect(at(d)).toEqual({ line: 24, column: 16, length: 1 });
  });
  it('+= on a single-value field', () => {
    const d = only(baseMap({ rules: '    user.name += uid' }), 'E0120');
    expect(d.message).toBe('user.name holds one value: use =');
    expect(at(d)).toEqual({ line: 24, column: 15, length: 2 });
  });
});

describe('E0113 missing required items', () => {
  it('a stream without dataset', () => {
    const d = only(replaceLine(baseMap(), 17, '  # no dataset'), 'E0113');
    expect(d.message).toBe('stream audit has no dataset');
    expect(at(d)).toEqual({ line: 16, column: 8, length: 5 });
    expect(d.notes).toEqual(['help: add `dataset "acme.audit"`']);
  });
  it('a stream without request and records', () => {
    let source = replaceLine(baseMap(), 20, '  # no request');
    source = replaceLine(source, 21, '  # no records');
    expect(brief(check(source).filter((d) => d.code === 'E0113'))).toEqual([
      'E0113 16:8 stream audit has no request',
      'E0113 16:8 stream audit has no records',
    ]);
  });
  it('integration metadata', () => {
    const d = only(replaceLine(baseMap(), 3, '  # no vendor'), 'E0113');
    expect(d.message).toBe('integration acme has no vendor');
    expect(at(d)).toEqual({ line: 1, column: 13, length: 4 });
  });
  it('token_exchange without lifetime or expires_at', () => {
    const auth =
      '  auth token_exchange { request POST "{base_url}/login" { body { "k": secret.api_token } } token token header "Authorization" = "Bearer {token}" }';
    const d = only(replaceLine(baseMap(), 19, auth), 'E0113');
    expect(d.message).toBe('token_exchange has neither lifetime nor expires_at');
    expect(at(d)).toMatchObject({ line: 19, column: 3 });
    expect(check(replaceLine(baseMap(), 19, auth.replace('token token', 'token token lifetime 1h')))).toEqual([]);
  });
  it('a file without integration', () => {
    const source = baseMap().replace(/^integration acme \{[^}]*\}/, '# none');
    const d = only(source, 'E0113');
    expect(d.message).toBe('missing integration declaration');
    expect(at(d)).toEqual({ line: 1, column: 1, length: 0 });
  });
});

describe('E0114 duplicate declarations', () => {
  it('a setting declared twice', () => {
    const d = only(baseMap({ decls: 'setting every: duration = "1m"' }), 'E0114');
    expect(d.message).toBe('setting every declared twice');
    expect(at(d)).toEqual({ line: 28, column: 9, length: 5 });
    expect(d.secondary).toMatchObject([{ message: 'first declared here', span: { line: 9, column: 9 } }]);
  });
  it('a secret with the name of a setting', () => {
    const d = only(baseMap({ decls: 'secret every' }), 'E0114');
    expect(d.message).toBe('secret every has the same name as setting every');
  });
});

describe('E0115 invalid setting default', () => {
  it('a duration default that is no duration', () => {
    const d = only(replaceLine(baseMap(), 9, 'setting every: duration = "5 minutes"'), 'E0115');
    expect(d.message).toBe('default of setting every is not a duration');
    expect(at(d)).toEqual({ line: 9, column: 27, length: 11 });
  });
  it('a bool default written as a string', () => {
    const d = only(replaceLine(baseMap(), 10, 'setting keep_original: bool = "false"'), 'E0115');
    expect(d.primary.message).toBe('expected true or false');
  });
  it('a url default that is not a URL', () => {
    const d = only(replaceLine(baseMap(), 7, 'setting base_url: url = "api.acme.test"'), 'E0115');
    expect(d.message).toBe('default of setting base_url is not a url');
  });
});

describe('E0116 literal credentials', () => {
  it('a Bearer header with a literal token', () => {
    const line =
      '  request GET "{base_url}/v1/logs" { header "Authorization" = "Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0" }';
    const d = only(replaceLine(baseMap(), 20, line), 'E0116');
    expect(d.message).toBe('string literal looks like a credential');
    // The text part starts after the opening quote of the value.
    expect(at(d)).toMatchObject({ line: 20, column: 64 });
    expect(d.notes[0]).toContain('declare it with `secret NAME`');
  });
  it('a long random string in a query parameter', () => {
    const line = '  request GET "{base_url}/v1/logs" { query "sig" = "Zk93hQ2mX8vR4tLp0aWc7YbN5eJ1uG6s" }';
    expect(only(replaceLine(baseMap(), 20, line), 'E0116').primary.message).toBe('it is a long random-looking string');
  });
  it('does not flag ordinary values', () => {
    const line =
      '  request GET "{base_url}/v1/logs" { header "Accept" = "application/json" query "sort_key" = "created_at" }';
    expect(check(replaceLine(baseMap(), 20, line))).toEqual([]);
  });
});

describe('E0117 invalid names', () => {
  it('an integration name that is not snake_case', () => {
    const d = only(replaceLine(baseMap(), 1, 'integration AcmeCorp {'), 'E0117');
    expect(d.message).toBe('invalid integration name AcmeCorp');
    expect(at(d)).toEqual({ line: 1, column: 13, length: 8 });
    expect(d.notes).toContain('help: did you mean acme_corp?');
  });
});

describe('W0118 no @timestamp', () => {
  it('warns, and is not an error', () => {
    const all = check(replaceLine(baseMap(), 23, '    event.kind = "event"'));
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ code: 'W0118', severity: 'warning', message: 'stream audit never sets @timestamp' });
    expect(at(all[0]!)).toMatchObject({ line: 22, column: 3 });
  });
});

describe('W0130 stream without auth', () => {
  it('warns at the stream name, and is not an error', () => {
    const source = replaceLine(baseMap(), 19, '');
    expect(source.split('\n')[15]).toBe('stream audit {');
    const all = check(source);
    expect(brief(all)).toEqual(['W0130 16:8 stream audit has no auth']);
    expect(all[0]).toMatchObject({ severity: 'warning' });
    expect(all[0]!.primary.span).toMatchObject({ file: 'test.map', length: 5 });
    expect(all[0]!.notes).toContain('note: secrets reach a request only through `auth`');
  });

  it('is quiet for a stream with any kind of auth', () => {
    expect(check(baseMap()).map((d) => d.code)).not.toContain('W0130');
    const basic = replaceLine(
      baseMap(),
      19,
      '  auth basic { username = setting.base_url password = secret.api_token }',
    );
    expect(check(basic).map((d) => d.code)).not.toContain('W0130');
  });
});

describe('E0119 invalid values', () => {
  it('a version that is not semantic', () => {
    const d = only(replaceLine(baseMap(), 4, '  version "1.0"'), 'E0119');
    expect(d.message).toBe('integration version "1.0" is not a semantic version');
    expect(at(d)).toEqual({ line: 4, column: 11, length: 5 });
  });
});

describe('several errors in one run', () => {
  it('reports every error, sorted by position', () => {
    const source = replaceLine(
      baseMap({ rules: '    source.ipp = a | ip\n    related.ip = a | ip\n    event.kind = "evnt"' }),
      19,
      '  auth bearer secret.nope',
    );
    expect(brief(check(source))).toEqual([
      'E0105 19:22 unknown secret nope',
      'E0100 24:5 unknown ECS field source.ipp',
      'E0112 25:16 related.ip is an array field: use +=',
      'E0102 26:18 "evnt" is not an allowed value of event.kind',
    ]);
  });
});
