/**
 * The auth rules of `compiler/check/rules/auth.ts`: a token_exchange needs a lifetime or
 * expires_at and a header that sends `{token}` (E0113), and renews before the token expires (E0119);
 * an auth header template is text around one `{secret.NAME}` (E0194).
 */
import { describe, expect, it } from 'vitest';
import { baseMap } from '../helpers.ts';
import { compileSource } from '../../../compiler/compile.ts';
import { at, check, edit, mark, one, pos, span } from './support.ts';

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

describe('E0194 an auth header template that is not text around one secret', () => {
  const withHeader = (value: string): string => edit(baseMap(), AUTH, `  auth header "Authorization" = "${value}"`);

  it('text around one secret passes, and lowers to that text and the secret', () => {
    const source = withHeader('SSWS {secret.api_token} (v1)');
    expect(check(source)).toEqual([]);
    const auth = compileSource(source, 'acme.map').ir!.streams[0]!.source.auth;
    expect(auth).toMatchObject({
      kind: 'header',
      header: 'Authorization',
      secret: 'api_token',
      value: {
        parts: [
          { kind: 'text', text: 'SSWS ' },
          { kind: 'secret', name: 'api_token' },
          { kind: 'text', text: ' (v1)' },
        ],
      },
    });
  });
  it.each([
    ['SSWS token', 'auth header template holds no secret', '"SSWS token"'],
    [
      '{secret.api_token} {base_url}',
      'auth header template may hold only one {secret.NAME}, not {base_url}',
      '{base_url}',
    ],
    [
      '{secret.api_token}{secret.api_token}',
      'auth header template may hold only one {secret.NAME}, not {secret.api_token}',
      '{secret.api_token}',
    ],
  ])('%s', (value, message, marked) => {
    const source = withHeader(value);
    const d = one(source, 'E0194');
    expect(d.message).toBe(message);
    expect(span(d)).toEqual(mark(source, marked, { occurrence: marked === '{secret.api_token}' ? 1 : 0 }));
  });
  it('an unknown secret in the template is E0105 at its name', () => {
    const source = withHeader('SSWS {secret.api_tokne}');
    const d = one(source, 'E0105');
    expect(span(d)).toEqual(mark(source, 'api_tokne'));
  });
  it('{secret.NAME} in a request header is E0106, with the auth header as the way', () => {
    const source = edit(
      baseMap(),
      '  request GET "{base_url}/v1/logs"',
      '  request GET "{base_url}/v1/logs" {\n    header "X-Key" = "K {secret.api_token}"\n  }',
    );
    const d = one(source, 'E0106');
    expect(d.message).toBe('secret api_token used in a placeholder');
    expect(d.notes[0]).toContain('auth header "Authorization" = "SSWS {secret.api_token}"');
  });
});
