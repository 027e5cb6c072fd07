/**
 * The auth rules of `compiler/check/rules/auth.ts`: a token_exchange needs a lifetime or
 * expires_at and a header that sends `{token}` (E0113), and renews before the token expires (E0119).
 */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { at, check, edit, one, pos } from './support.ts';

const AUTH = '  auth bearer secret.api_token';

describe('E0113 token_exchange', () => {
  it('token_exchange without lifetime or expires_at', () => {
    const auth =
      '  auth token_exchange { request POST "{base_url}/login" { body { "k": secret.api_token } } token token header "Authorization" = "Bearer {token}" }';
    const source = edit(baseMap(), AUTH, auth);
    const d = one(source, 'E0113');
    expect(d.message).toBe('token_exchange has neither lifetime nor expires_at');
    expect(pos(d)).toBe(at(source, 'auth token_exchange'));
    expect(check(edit(baseMap(), AUTH, auth.replace('token token', 'token token lifetime 1h')))).toEqual([]);
  });
  it('{token} in the token_exchange header is fine; the header must use it', () => {
    const auth = (value: string) =>
      edit(
        baseMap(),
        AUTH,
        `  auth token_exchange { request POST "{base_url}/login" token t lifetime 1h header "Authorization" = "${value}" }`,
      );
    expect(check(auth('Bearer {token}'))).toEqual([]);
    const source = auth('Bearer');
    const d = one(source, 'E0113');
    expect(d.message).toBe('token_exchange header never sends {token}');
    expect(pos(d)).toBe(at(source, '"Bearer"'));
  });
});

describe('E0119 token_exchange renewal', () => {
  it('renew_before not shorter than the lifetime', () => {
    const auth = '  auth token_exchange { request POST "{base_url}/login" token t lifetime 1m header "A" = "{token}" }';
    const d = one(edit(baseMap(), AUTH, auth), 'E0119');
    expect(d.message).toBe('renew_before is not shorter than the token lifetime');
    expect(d.notes).toEqual(['note: renew_before defaults to 1m']);
  });
});
