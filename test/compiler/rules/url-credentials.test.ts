/** E0126: credentials (user information) in literal URLs. */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, one, pos, withCode } from './support.ts';

describe('E0126 credentials in URLs', () => {
  it('user:password in a request URL, underlined up to the "@"', () => {
    const source = baseMap().replace('"{base_url}/v1/logs"', '"https://user:pa55@api.acme.test/v1/logs"');
    const d = one(source, 'E0126');
    expect(d.message).toBe('URL carries credentials');
    expect(pos(d)).toBe(at(source, 'user:pa55@'));
    expect(d.primary.span.length).toBe('user:pa55@'.length);
    expect(d.primary.message).toBe('user information before "@"');
  });

  it('in a url setting default, which E0116 let through', () => {
    const source = baseMap().replace('"https://api.acme.test"', '"https://admin:hunter2@api.acme.test"');
    expect(pos(one(source, 'E0126'))).toBe(at(source, 'admin:hunter2@'));
    expect(withCode(source, 'E0116')).toEqual([]);
  });

  it('in an OAuth2 token_url and a token exchange URL, a user name alone, and placeholders as user information', () => {
    const oauth = baseMap().replace(
      'auth bearer secret.api_token',
      'auth oauth2 { token_url "https://id:{every}@login.acme.test/token" client_id = setting.every client_secret = secret.api_token }',
    );
    expect(pos(one(oauth, 'E0126'))).toBe(at(oauth, 'id:{every}@'));
    const exchange = baseMap().replace(
      'auth bearer secret.api_token',
      'auth token_exchange { request POST "https://tok3n@login.acme.test/x" token t lifetime 1h header "Authorization" = "Bearer {token}" }',
    );
    expect(pos(one(exchange, 'E0126'))).toBe(at(exchange, 'tok3n@'));
  });

  it('an "@" in the path, the query or after a placeholder host is no user information', () => {
    for (const u of [
      '"https://api.acme.test/users/@me"',
      '"https://api.acme.test/x?mail=a@b.test"',
      '"{base_url}/v1/a@b"',
      '"https://api.acme.test#x@y"',
    ]) {
      expect(withCode(baseMap().replace('"{base_url}/v1/logs"', u), 'E0126'), u).toEqual([]);
    }
  });
});
