/** E0116 (`compiler/check/rules/credentials.ts`): a string literal that looks like a credential. */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, check, edit, one, pos } from './support.ts';

const REQUEST = '  request GET "{base_url}/v1/logs"';
const request = (text: string): string => edit(baseMap(), REQUEST, text);

describe('E0116 literal credentials', () => {
  it('a Bearer header with a literal token', () => {
    const source = request(
      '  request GET "{base_url}/v1/logs" { header "Authorization" = "Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0" }',
    );
    const d = one(source, 'E0116');
    expect(d.message).toBe('string literal looks like a credential');
    // The text part starts after the opening quote of the value.
    expect(pos(d)).toBe(at(source, 'Bearer 9f8e'));
    expect(d.notes[0]).toContain('declare it with `secret NAME`');
  });
  it('a long random string in a query parameter', () => {
    const source = request('  request GET "{base_url}/v1/logs" { query "sig" = "Zk93hQ2mX8vR4tLp0aWc7YbN5eJ1uG6s" }');
    expect(one(source, 'E0116').primary.message).toBe('it is a long random-looking string');
  });
  it('does not flag ordinary values', () => {
    const source = request(
      '  request GET "{base_url}/v1/logs" { header "Accept" = "application/json" query "sort_key" = "created_at" }',
    );
    expect(check(source)).toEqual([]);
  });
  it('a setting default that looks like a credential', () => {
    const source = baseMap({ decls: 'setting api: string = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"' });
    const d = one(source, 'E0116');
    expect(d.message).toBe('setting default looks like a credential');
    expect(pos(d)).toBe(at(source, '"sk_live_'));
  });
  it('a credential in a URL query string', () => {
    const source = request('  request GET "{base_url}/v1/logs?api_key=abc123def456ghi789"');
    const d = one(source, 'E0116');
    expect(d.primary.message).toBe('a literal value for `api_key`, which names a credential');
    // The URL's text after the placeholder.
    expect(pos(d)).toBe(at(source, '/v1/logs?api_key'));
    expect(check(request('  request GET "{base_url}/v1/logs?sort_key=created_at&page=1"'))).toEqual([]);
  });
});
