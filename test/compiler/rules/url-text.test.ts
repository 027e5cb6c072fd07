/** E0125: line breaks in header values and URLs; characters a URL cannot carry unencoded. */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, one, pos, withCode } from './support.ts';

const url = (path: string): string => baseMap().replace('"{base_url}/v1/logs"', () => `"{base_url}${path}"`);
const headerValue = (value: string): string =>
  baseMap().replace('"{base_url}/v1/logs"', () => `"{base_url}/v1/logs" { header "X-A" = "${value}" }`);

describe('E0125 header values and URLs', () => {
  it('a line feed in a header value (header injection)', () => {
    const source = headerValue('a\\nX-Evil: 1');
    const d = one(source, 'E0125');
    expect(d.message).toBe('line break in a header value');
    expect(pos(d)).toBe(at(source, '\\n'));
    expect(d.primary.message).toBe('U+000A (LF) would end the header value');
    expect(withCode(source, 'E0123')).toEqual([]);
  });

  it('a carriage return in a URL, in the token header and in a url setting default', () => {
    const cr = url('/v1\\u{D}/logs');
    expect(one(cr, 'E0125').message).toBe('line break in a URL');
    expect(pos(one(cr, 'E0125'))).toBe(at(cr, '\\u{D}'));
    const token = baseMap().replace(
      'auth bearer secret.api_token',
      'auth token_exchange { request POST "{base_url}/login" token t lifetime 1h header "Authorization" = "Bearer {token}\\n" }',
    );
    expect(pos(one(token, 'E0125'))).toBe(at(token, '\\n'));
    const setting = baseMap().replace('"https://api.acme.test"', '"https://api.acme.test/\\n"');
    expect(pos(one(setting, 'E0125'))).toBe(at(setting, '\\n'));
  });

  it.each([
    ['a space', '/v1/a b', ' b"', 'a space in a URL must be percent-encoded', 'help: write %20'],
    ['a quote', '/v1/a\\"b', '\\"', '"\\"" in a URL must be percent-encoded', 'help: write %22'],
    ['a literal brace', '/v1/a{{b', '{{', '"{" in a URL must be percent-encoded', 'help: write %7B'],
    ['a pipe', '/v1/a|b', '|', '"|" in a URL must be percent-encoded', 'help: write %7C'],
    ['non-ASCII', '/v1/café', 'é', '"é" in a URL must be percent-encoded', 'help: write %C3%A9'],
  ])('%s in a URL', (_, path, bad, message, help) => {
    const source = url(path);
    const d = one(source, 'E0125');
    expect(d.message).toBe(message);
    expect(pos(d)).toBe(at(source, bad));
    expect(d.notes).toContain(help);
  });

  it('"%" only before two hex digits written right after it', () => {
    for (const path of ['/v1/a%zz', '/v1/a%2', '/v1/a%{namespace}', '/v1/%%20']) {
      const source = url(path).replace('setting every', 'setting namespace: string required\nsetting every');
      const d = one(source, 'E0125');
      expect(d.message, path).toBe('unencoded "%" in a URL');
      expect(pos(d), path).toBe(at(source, '%'));
    }
  });

  it('a url setting default is a URL too', () => {
    const source = baseMap().replace('"https://api.acme.test"', '"https://api.acme.test/a b"');
    expect(pos(one(source, 'E0125'))).toBe(at(source, ' b"'));
  });

  it('non-ASCII in a header value', () => {
    const source = headerValue('caf\\u{E9}');
    const d = one(source, 'E0125');
    expect(d.message).toBe('non-ASCII text in a header value');
    expect(pos(d)).toBe(at(source, '\\u{E9}'));
  });

  it('accepts what RFC 3986 allows, percent-encodings and placeholders; query values are encoded by the targets', () => {
    const ok = [
      url("/v1/a-b._~:@!$&'()*+,;=/x?q=1&r=%20%C3%A9#frag"),
      url('/v1/{every}/logs'),
      headerValue('Bearer a b\\"c {every}'),
      baseMap().replace('"{base_url}/v1/logs"', '"{base_url}/v1/logs" { query "q" = "a b\\nc" }'),
    ];
    for (const source of ok) expect(withCode(source, 'E0125')).toEqual([]);
  });
});
