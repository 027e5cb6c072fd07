/** The less common branches of each check (check.test.ts has one failing map per code). */
import { describe, expect, it } from 'vitest';
import { baseMap, brief, check, replaceLine } from './helpers.ts';

function only(source: string, code: string) {
  const all = check(source);
  const found = all.filter((d) => d.code === code);
  expect(found, brief(all).join('\n')).toHaveLength(1);
  return found[0]!;
}

const pos = (d: { primary: { span: { line: number; column: number } } }) =>
  `${d.primary.span.line}:${d.primary.span.column}`;

describe('names (E0117)', () => {
  it('a stream name that is not snake_case, with the fix', () => {
    const d = only(replaceLine(baseMap(), 16, 'stream AuditLogs {'), 'E0117');
    expect(d.message).toBe('invalid stream name AuditLogs');
    expect(pos(d)).toBe('16:8');
    expect(d.notes).toContain('help: did you mean audit_logs?');
  });
  it('a setting named like a built-in placeholder', () => {
    const d = only(baseMap({ decls: 'setting cursor: string' }), 'E0117');
    expect(d.message).toBe('setting name cursor is reserved');
    expect(pos(d)).toBe('28:9');
  });
  it('a dataset with characters Elastic does not allow', () => {
    const d = only(replaceLine(baseMap(), 17, '  dataset "Acme-Audit"'), 'E0117');
    expect(d.message).toBe('invalid dataset name "Acme-Audit"');
    expect(pos(d)).toBe('17:11');
  });
});

describe('declarations (E0113, E0114)', () => {
  it('a second integration', () => {
    const d = only(
      baseMap({ decls: 'integration other {\n  title "O"\n  vendor "O"\n  version "1.0.0"\n  description "O"\n}' }),
      'E0114',
    );
    expect(d.message).toBe('integration declared twice');
    expect(pos(d)).toBe('28:13');
    expect(d.secondary[0]?.span.line).toBe(1);
  });
  it('a file with no stream', () => {
    const source = 'integration acme {\n  title "A"\n  vendor "A"\n  version "0.1.0"\n  description "A"\n}\n';
    const d = only(source, 'E0113');
    expect(d.message).toBe('missing stream declaration');
    expect(pos(d)).toBe('1:13');
  });
  it('a table mapping one key twice', () => {
    const d = only(replaceLine(baseMap(), 14, '  "A" => "alert"'), 'E0114');
    expect(d.message).toBe('table kinds maps "A" twice');
    expect(pos(d)).toBe('14:3');
    expect(d.secondary[0]?.span.line).toBe(13);
  });
});

describe('references (E0104, E0110)', () => {
  it('setting.X naming a secret says so', () => {
    const d = only(baseMap({ rules: '    event.kind = "event" when setting.api_token' }), 'E0104');
    expect(d.notes).toEqual(['note: api_token is a secret: write secret.api_token']);
  });
  it('a when condition needs a bool setting', () => {
    const d = only(baseMap({ rules: '    event.kind = "event" when setting.every' }), 'E0110');
    expect(d.message).toBe('setting every is a duration, but a `when` condition needs a bool');
    expect(pos(d)).toBe('24:31');
  });
  it('a basic auth username needs a string setting', () => {
    const d = only(
      replaceLine(baseMap(), 19, '  auth basic { username = setting.every password = secret.api_token }'),
      'E0110',
    );
    expect(d.message).toBe('setting every is a duration, but a basic auth username needs a string');
    expect(pos(d)).toBe('19:27');
  });
});

describe('placeholders (E0108)', () => {
  it('{cursor} in the URL path is unusable even with a cursor', () => {
    let source = replaceLine(baseMap(), 20, '  request GET "{base_url}/v1/logs/{cursor}"');
    source = source.replace('records items', 'records items cursor { max created format iso8601 }');
    const d = only(source, 'E0108');
    expect(d.primary.message).toBe('{cursor} has a value only in query parameters and JSON bodies');
    expect(pos(d)).toBe('20:35');
  });
  it('{token} in the token_exchange header is fine; the header must use it (E0113)', () => {
    const auth = (value: string) =>
      replaceLine(
        baseMap(),
        19,
        `  auth token_exchange { request POST "{base_url}/login" token t lifetime 1h header "Authorization" = "${value}" }`,
      );
    expect(check(auth('Bearer {token}'))).toEqual([]);
    const d = only(auth('Bearer'), 'E0113');
    expect(d.message).toBe('token_exchange header never sends {token}');
    expect(pos(d)).toBe('19:102');
  });
});

describe('source structure (E0113, E0119)', () => {
  it('a cursor without max needs time_window pagination', () => {
    const d = only(baseMap({ streamItems: '  cursor { start setting.backfill }' }), 'E0113');
    expect(d.message).toBe('cursor has no `max` and the stream has no time_window pagination');
    expect(pos(d)).toBe('26:3');
  });
  it('time_window pagination needs a cursor', () => {
    const d = only(baseMap({ streamItems: '  paginate time_window { step 1d format "dd/MM/yyyy" }' }), 'E0113');
    expect(d.message).toBe('time_window pagination needs a cursor');
    expect(pos(d)).toBe('26:3');
  });
  it('a reversed backoff and a body on GET (max_pages 0 is a bound, E0128)', () => {
    const source = baseMap({ streamItems: '  max_pages 0\n  retry { backoff 10s to 1s }' }).replace(
      'request GET "{base_url}/v1/logs"',
      'request GET "{base_url}/v1/logs" { body { "a": 1 } }',
    );
    expect(brief(check(source).filter((d) => d.code === 'E0119' || d.code === 'E0128'))).toEqual([
      'E0119 20:43 JSON body on a GET request',
      'E0128 26:13 max_pages must be between 1 and 10,000',
      'E0119 27:26 backoff maximum is below its base',
    ]);
  });
  it('renew_before not shorter than the lifetime', () => {
    const auth = '  auth token_exchange { request POST "{base_url}/login" token t lifetime 1m header "A" = "{token}" }';
    const d = only(replaceLine(baseMap(), 19, auth), 'E0119');
    expect(d.message).toBe('renew_before is not shorter than the token lifetime');
    expect(d.notes).toEqual(['note: renew_before defaults to 1m']);
  });
});

describe('mapping corners', () => {
  it('a field outside ECS and the namespace gets an ECS suggestion (E0103)', () => {
    const d = only(baseMap({ rules: '    evnt.kind = "event"' }), 'E0103');
    expect(d.notes[0]).toBe('help: did you mean event.kind?');
  });
  it('an ECS object field is not a value (E0101)', () => {
    const d = only(baseMap({ rules: '    labels = x' }), 'E0101');
    expect(d.message).toBe('labels is an ECS object field');
    expect(pos(d)).toBe('24:5');
  });
  it('keys under labels are keyword fields', () => {
    expect(check(baseMap({ rules: '    labels.team = team' }))).toEqual([]);
  });
  it('= and += on one vendor field (E0107)', () => {
    const d = only(baseMap({ rules: '    acme.audit.tags = a\n    acme.audit.tags += b' }), 'E0107');
    expect(d.message).toBe('acme.audit.tags is both set and appended to');
    expect(pos(d)).toBe('25:5');
  });
  it('a literal IP fits an ip field', () => {
    expect(check(baseMap({ rules: '    source.ip = "10.0.0.1"' }))).toEqual([]);
    expect(only(baseMap({ rules: '    source.ip = "not-an-ip"' }), 'E0101').primary.message).toBe('a string literal');
  });
  it('a setting default that looks like a credential (E0116)', () => {
    const d = only(baseMap({ decls: 'setting api: string = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"' }), 'E0116');
    expect(d.message).toBe('setting default looks like a credential');
    expect(pos(d)).toBe('28:23');
  });
  it('a credential in a URL query string (E0116)', () => {
    const d = only(
      replaceLine(baseMap(), 20, '  request GET "{base_url}/v1/logs?api_key=abc123def456ghi789"'),
      'E0116',
    );
    expect(d.primary.message).toBe('a literal value for `api_key`, which names a credential');
    expect(pos(d)).toBe('20:26');
    expect(check(replaceLine(baseMap(), 20, '  request GET "{base_url}/v1/logs?sort_key=created_at&page=1"'))).toEqual(
      [],
    );
  });
});

describe('settings the source needs (E0113, E0119)', () => {
  it('an interval setting without default that is not required', () => {
    const d = only(replaceLine(baseMap(), 9, 'setting every: duration'), 'E0113');
    expect(d.message).toBe('setting every has no default and is not required');
    expect(pos(d)).toBe('9:9');
    expect(d.secondary[0]?.span.line).toBe(18);
  });
  it('a base URL setting without default that is not required', () => {
    const d = only(replaceLine(baseMap(), 7, 'setting base_url: url'), 'E0113');
    expect(d.message).toBe('setting base_url has no default and is not required');
    expect(check(replaceLine(baseMap(), 7, 'setting base_url: url required'))).toEqual([]);
  });
  it('one report per setting however many URLs start with it; token_url too', () => {
    let source = replaceLine(baseMap(), 7, 'setting base_url: url');
    source = replaceLine(
      source,
      19,
      '  auth oauth2 { token_url "{base_url}/token" client_id = secret.api_token client_secret = secret.api_token }',
    );
    expect(brief(check(source))).toEqual(['E0113 7:9 setting base_url has no default and is not required']);
    const relative = replaceLine(
      baseMap(),
      19,
      '  auth oauth2 { token_url "/token" client_id = secret.api_token client_secret = secret.api_token }',
    );
    expect(brief(check(relative))).toEqual(['E0119 19:27 token_url is not absolute']);
  });
  it('a relative request URL', () => {
    const d = only(replaceLine(baseMap(), 20, '  request GET "/v1/logs"'), 'E0119');
    expect(d.message).toBe('request URL is not absolute');
    expect(pos(d)).toBe('20:15');
    expect(check(replaceLine(baseMap(), 20, '  request GET "https://api.acme.test/v1/logs"'))).toEqual([]);
  });
});

describe('categorization (W0121)', () => {
  it('warns when a constant event.type is not expected with the constant event.category', () => {
    const all = check(baseMap({ rules: '    event.category += "authentication"\n    event.type += "creation"' }));
    expect(brief(all)).toEqual([
      'W0121 25:19 event.type "creation" is not expected with event.category authentication',
    ]);
    expect(all[0]!.severity).toBe('warning');
    expect(all[0]!.secondary).toMatchObject([
      { span: { line: 24, column: 23 }, message: 'event.category authentication' },
    ]);
    expect(all[0]!.notes).toEqual(['note: ECS 9.4.0 expects event.type start, end, info with authentication']);
  });
  it('pairs lookups on the same source path key by key', () => {
    const decls =
      'table cat {\n  "LOGIN" => "authentication"\n  default "configuration"\n}\ntable typ {\n  "LOGIN" => "creation"\n  "X" => "change"\n  default "info"\n}';
    const all = check(
      baseMap({ rules: '    event.category += op | lookup(cat)\n    event.type += op | lookup(typ)', decls }),
    );
    expect(brief(all)).toEqual([
      'W0121 34:14 event.type "creation" is not expected with event.category authentication for "LOGIN"',
    ]);
    expect(all[0]!.secondary).toMatchObject([{ span: { line: 30, column: 14 } }]);
  });
  it('is silent for expected pairs and for raw copies', () => {
    expect(
      check(baseMap({ rules: '    event.category += "iam"\n    event.type += "user"\n    event.type += "creation"' })),
    ).toEqual([]);
    expect(check(baseMap({ rules: '    event.category += "authentication"\n    event.type += kind' }))).toEqual([]);
  });
});

describe('unused declarations (W0122)', () => {
  it('warns about settings, secrets and tables nothing refers to', () => {
    const all = check(baseMap(), { unused: true });
    expect(brief(all)).toEqual([
      'W0122 8:9 setting backfill is never used',
      'W0122 10:9 setting keep_original is never used',
      'W0122 12:7 table kinds is never used',
    ]);
    expect(all.every((d) => d.severity === 'warning')).toBe(true);
  });
  it('counts placeholders, references and lookups as uses, wherever they come', () => {
    const rules = '    event.kind = op | lookup(kinds)\n    original when setting.keep_original';
    const streamItems = '  cursor { max created format iso8601 start setting.backfill }';
    expect(check(baseMap({ rules, streamItems }), { unused: true })).toEqual([]);
  });
  it('stays quiet when the file has errors (a misspelt reference is reported instead)', () => {
    const all = check(replaceLine(baseMap(), 19, '  auth bearer secret.api_tokn'), { unused: true });
    expect(brief(all)).toEqual(['E0105 19:22 unknown secret api_tokn']);
  });
  it('a secret no auth uses', () => {
    const d = check(replaceLine(baseMap(), 19, '  # no auth'), { unused: true }).find(
      (x) => x.message === 'secret api_token is never used',
    );
    expect(d?.primary.span).toMatchObject({ line: 11, column: 8 });
    expect(d?.notes).toEqual(['help: reference it inside `auth`, e.g. `auth bearer secret.api_token`']);
  });
});

describe('fields mapc or the sink own (E0107)', () => {
  it('data_stream.*', () => {
    const d = only(baseMap({ rules: '    data_stream.namespace = ns' }), 'E0107');
    expect(d.message).toBe('data_stream.namespace is set by mapc');
    expect(pos(d)).toBe('24:5');
  });
  it('error.message and error, in every target (not only Vector)', () => {
    for (const target of ['error.message', 'error']) {
      const d = only(baseMap({ rules: `    ${target} = "custom"` }), 'E0107');
      expect(d.message).toBe(`${target} is set by mapc`);
      expect(d.notes).toEqual([
        'note: every target appends its conversion errors to error.message (compiler/ir.ts step 4)',
      ]);
      expect(pos(d)).toBe('24:5');
    }
  });
});

describe('event.original with redacted values (W0129)', () => {
  it('warns at `original when`, pointing at every hash and mask', () => {
    const rules =
      '    original when setting.keep_original\n    related.hash += secret | hash\n    user.name = login | lowercase | mask(2)';
    const all = check(baseMap({ rules }));
    expect(brief(all)).toEqual(['W0129 24:5 event.original keeps values this map redacts']);
    const d = all[0]!;
    expect(d.severity).toBe('warning');
    expect(d.primary.message).toBe('copies the whole record, in clear');
    expect(d.secondary).toMatchObject([
      { span: { line: 25, column: 30 }, message: 'secret is redacted here' },
      { span: { line: 26, column: 37 }, message: 'login is redacted here' },
    ]);
    expect(d.notes).toEqual([
      'note: event.original is the record as received, before any rule runs',
      'help: remove `original when setting.keep_original`, or keep setting keep_original off wherever the redacted values must not be stored',
    ]);
  });
  it('is silent without `original`, or without a redaction', () => {
    expect(check(baseMap({ rules: '    related.hash += secret | hash' }))).toEqual([]);
    expect(check(baseMap({ rules: '    original when setting.keep_original\n    user.name = login' }))).toEqual([]);
  });
});
