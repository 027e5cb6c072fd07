/**
 * The reference rules of `compiler/check/rules/references.ts`: E0104 unknown setting, E0105
 * unknown secret, E0106 a secret outside auth, E0109 unknown lookup table, E0110 a setting of the
 * wrong type, and the settings a stream's source needs (E0113 no default, E0119 not absolute).
 */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, brief, check, edit, lineOf, mark, one, pos, span } from './support.ts';
import { codes, windowed } from './windowed.ts';

const AUTH = '  auth bearer secret.api_token';
const REQUEST = '  request GET "{base_url}/v1/logs"';

describe('E0104 unknown setting / E0105 unknown secret', () => {
  it('reports an unknown setting with a suggestion', () => {
    const source = baseMap({ rules: '    event.kind = "event" when setting.keep_orignal' });
    const d = one(source, 'E0104');
    expect(d.message).toBe('unknown setting keep_orignal');
    expect(span(d)).toEqual(mark(source, 'keep_orignal'));
    expect(d.notes).toEqual(['help: did you mean setting.keep_original?']);
  });
  it('reports an unknown secret with a suggestion', () => {
    const source = edit(baseMap(), AUTH, '  auth bearer secret.api_tokn');
    const d = one(source, 'E0105');
    expect(d.message).toBe('unknown secret api_tokn');
    expect(span(d)).toEqual(mark(source, 'api_tokn'));
    expect(d.notes).toEqual(['help: did you mean secret.api_token?']);
  });
  it('setting.X naming a secret says so', () => {
    const d = one(baseMap({ rules: '    event.kind = "event" when setting.api_token' }), 'E0104');
    expect(d.notes).toEqual(['note: api_token is a secret: write secret.api_token']);
  });
});

describe('E0106 secret outside auth', () => {
  it('rejects a secret in the data request body', () => {
    const source = edit(baseMap(), REQUEST, '  request POST "{base_url}/v1/logs" { body { "k": secret.api_token } }');
    const d = one(source, 'E0106');
    expect(d.message).toBe('secret api_token used outside auth');
    // The first secret.api_token is the auth's.
    expect(span(d)).toEqual(mark(source, 'secret.api_token', { occurrence: 1 }));
  });
});

describe('E0109 unknown lookup table', () => {
  it('reports the table name with a suggestion', () => {
    const source = baseMap({ rules: '    event.kind = op | lookup(kindz)' });
    const d = one(source, 'E0109');
    expect(d.message).toBe('unknown lookup table kindz');
    expect(span(d)).toEqual(mark(source, 'kindz'));
    expect(d.notes).toEqual(['help: did you mean kinds?']);
  });
});

describe('E0110 setting of the wrong type', () => {
  it('interval needs a duration setting', () => {
    const source = edit(baseMap(), '  interval setting.every', '  interval setting.backfill');
    const d = one(source, 'E0110');
    expect(d.message).toBe('setting backfill is a timestamp, but `interval` needs a duration');
    expect(span(d)).toEqual(mark(source, 'setting.backfill'));
    expect(d.secondary[0]?.span.line).toBe(lineOf(source, 'setting backfill'));
  });
  it('cursor start needs a timestamp or duration setting', () => {
    const source = baseMap({ streamItems: '  cursor { max created format iso8601 start setting.keep_original }' });
    const d = one(source, 'E0110');
    expect(d.message).toBe('setting keep_original is a bool, but `cursor start` needs a timestamp or duration');
    expect(span(d)).toEqual(mark(source, 'setting.keep_original'));
  });
  it('original when needs a bool setting', () => {
    const d = one(baseMap({ rules: '    original when setting.every' }), 'E0110');
    expect(d.message).toBe('setting every is a duration, but `original when` needs a bool');
  });
  it('a when condition needs a bool setting', () => {
    const source = baseMap({ rules: '    event.kind = "event" when setting.every' });
    const d = one(source, 'E0110');
    expect(d.message).toBe('setting every is a duration, but a `when` condition needs a bool');
    // The first setting.every is the interval's.
    expect(pos(d)).toBe(at(source, 'setting.every', 1));
  });
  it('a basic auth username needs a string setting', () => {
    const source = edit(baseMap(), AUTH, '  auth basic { username = setting.every password = secret.api_token }');
    const d = one(source, 'E0110');
    expect(d.message).toBe('setting every is a duration, but a basic auth username needs a string');
    expect(pos(d)).toBe(at(source, 'setting.every', 1));
  });
});

describe('settings the source needs (E0113, E0119)', () => {
  it('an interval setting without default that is not required', () => {
    const source = edit(baseMap(), 'setting every: duration = "5m"', 'setting every: duration');
    const d = one(source, 'E0113');
    expect(d.message).toBe('setting every has no default and is not required');
    expect(pos(d)).toBe(at(source, 'every'));
    expect(d.secondary[0]?.span.line).toBe(lineOf(source, 'interval setting.every'));
  });
  it('a base URL setting without default that is not required', () => {
    const unset = 'setting base_url: url = "https://api.acme.test"';
    const d = one(edit(baseMap(), unset, 'setting base_url: url'), 'E0113');
    expect(d.message).toBe('setting base_url has no default and is not required');
    expect(check(edit(baseMap(), unset, 'setting base_url: url required'))).toEqual([]);
  });
  it('one report per setting however many URLs start with it; token_url too', () => {
    let source = edit(baseMap(), 'setting base_url: url = "https://api.acme.test"', 'setting base_url: url');
    source = edit(
      source,
      AUTH,
      '  auth oauth2 { token_url "{base_url}/token" client_id = secret.api_token client_secret = secret.api_token }',
    );
    expect(brief(check(source))).toEqual([
      `E0113 ${at(source, 'base_url')} setting base_url has no default and is not required`,
    ]);
    const relative = edit(
      baseMap(),
      AUTH,
      '  auth oauth2 { token_url "/token" client_id = secret.api_token client_secret = secret.api_token }',
    );
    expect(brief(check(relative))).toEqual([`E0119 ${at(relative, '"/token"')} token_url is not absolute`]);
  });
  it('a relative request URL', () => {
    const source = edit(baseMap(), REQUEST, '  request GET "/v1/logs"');
    const d = one(source, 'E0119');
    expect(d.message).toBe('request URL is not absolute');
    expect(pos(d)).toBe(at(source, '"/v1/logs"'));
    expect(check(edit(baseMap(), REQUEST, '  request GET "https://api.acme.test/v1/logs"'))).toEqual([]);
  });
});

describe('E0110 in request conditions and cursor starts', () => {
  it('a setting condition must name a bool setting', () => {
    const source = windowed({ header: 'header "X-T" = "1" when setting.tenant' });
    expect(brief(check(source)).filter((x) => x.startsWith('E0110'))).toEqual([
      `E0110 ${at(source, 'setting.tenant')} setting tenant is a string, but a request \`when\` condition needs a bool`,
    ]);
  });
  it('cursor start accepts a timestamp setting, a duration setting and a literal duration', () => {
    expect(codes(windowed({ start: 'start setting.backfill' }))).toEqual([]);
    expect(codes(windowed({ start: 'start setting.look_back' }))).toEqual([]);
    expect(codes(windowed({ start: 'start 30d' }))).toEqual([]);
  });
  it('cursor start refuses a setting of another type', () => {
    const source = windowed({ start: 'start setting.tenant' });
    expect(codes(source)).toEqual([
      `E0110 ${at(source, 'setting.tenant')} setting tenant is a string, but \`cursor start\` needs a timestamp or duration`,
    ]);
  });
});
