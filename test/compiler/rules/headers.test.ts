/** E0124: header names are RFC 9110 field names (tokens). */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, one, pos, withCode } from './support.ts';

const withHeader = (name: string): string =>
  baseMap().replace('"{base_url}/v1/logs"', () => `"{base_url}/v1/logs" { header "${name}" = "x" }`);

describe('E0124 header names', () => {
  it('points at the first character that is not a tchar', () => {
    const source = withHeader('X-Api Key');
    const d = one(source, 'E0124');
    expect(d.message).toBe('invalid HTTP header name "X-Api Key"');
    expect(pos(d)).toBe(at(source, ' Key"'));
    expect(d.primary.message).toBe('a space (U+0020) cannot be part of a header name');
    expect(d.notes[0]).toContain('RFC 9110 §5.1, §5.6.2');
  });

  it.each([
    ['a colon', 'X-A:B', ':B"'],
    ['a quote', 'X-\\"A', '\\"'],
    ['a brace', 'X-{{A', '{{'],
    ['non-ASCII', 'X-Ä', 'Ä'],
    ['a slash', 'X/A', '/A"'],
  ])('refuses %s', (_, name, bad) => {
    const source = withHeader(name);
    expect(pos(one(source, 'E0124'))).toBe(at(source, bad, 0));
  });

  it('refuses an empty name at the literal', () => {
    const source = withHeader('');
    const d = one(source, 'E0124');
    expect(d.message).toBe('header name is empty');
    expect(pos(d)).toBe(at(source, '""'));
  });

  it('checks every place a header name is written', () => {
    const auth = (text: string): string => baseMap().replace('auth bearer secret.api_token', text);
    const cases = [
      auth('auth header "X Key" = secret.api_token'),
      auth(
        'auth token_exchange { request POST "{base_url}/login" { header "X Key" = "v" } token t lifetime 1h header "Authorization" = "Bearer {token}" }',
      ),
      auth(
        'auth token_exchange { request POST "{base_url}/login" token t lifetime 1h header "X Key" = "Bearer {token}" }',
      ),
      baseMap({ streamItems: '  rate_limit { remaining "X Key" }' }),
      baseMap({ streamItems: '  rate_limit { reset "X Key" }' }),
    ];
    for (const source of cases) expect(pos(one(source, 'E0124')), source).toBe(at(source, ' Key"'));
  });

  it('accepts every tchar', () => {
    expect(withCode(withHeader("X-!#$%&'*+-.^_`|~09azAZ"), 'E0124')).toEqual([]);
  });

  it('leaves control characters to E0123', () => {
    const source = withHeader('X-\\u{0}');
    expect(withCode(source, 'E0124')).toEqual([]);
    expect(withCode(source, 'E0123')).toHaveLength(1);
  });
});
