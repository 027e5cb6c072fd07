/**
 * The mock vendor API of the system tests (`_dev/deploy/docker/files/config.yml`, elastic/stream
 * `http-server`): response bodies are Go `text/template`s and rule paths gorilla/mux patterns, so
 * fixture text with `{{` and map text with braces must not be read as template syntax.
 */
import { describe, expect, it } from 'vitest';
import type { StreamIR } from '../../../compiler/ir.ts';
import { mockDeploy, systemTestConfig } from '../../../targets/elastic/devtests.ts';
import { loadFixtureCases, loadFixtureIR } from '../../support/fixtures.ts';
import { celIR, setting, t } from '../../support/ir.ts';

describe('the mock http-server config', () => {
  const ir = celIR({
    request: { method: 'GET', url: t(setting('base_url'), '/v1/{x}/a{/b}/c'), headers: [], query: [] },
  });
  const record = { note: 'a {{ .req_num }} b', '{{x}}': '}}' };
  const { config } = mockDeploy(
    ir,
    new Map([['events', [{ message: JSON.stringify(record), expected: { doc: {} } }]]]),
  );
  const rule = (config as { rules: { path: string; responses: { body: string }[] }[] }).rules[0]!;

  it('prints a body holding `{{` as one Go string constant (JSON string syntax is Go string syntax)', () => {
    expect(rule.responses[0]!.body.startsWith('{{"')).toBe(true);
    expect(rule.responses[0]!.body.endsWith('"}}')).toBe(true);
    expect(JSON.parse(rule.responses[0]!.body.slice(2, -2))).toContain('{{ .req_num }}');
  });

  it('matches path segments with braces by a route variable of their own', () => {
    expect(rule.path).toBe('/v1/{mapc_1}/{mapc_2}/{mapc_3}/c');
  });
});

describe('the system test config', () => {
  const entro = loadFixtureIR('entro');
  const stream = entro.streams[0]!;
  const cases = loadFixtureCases('entro', stream.name);

  it('asserts the number of distinct document ids the mock records give', () => {
    const config = systemTestConfig(entro, stream, cases);
    expect(config['assert']).toEqual({ hit_count: new Set(cases.map((c) => c.expected._id)).size });
    const twice = systemTestConfig(entro, stream, [...cases, ...cases]);
    expect(twice['assert']).toEqual(config['assert']);
  });

  it('asserts no count when the stream has no document id (every poll adds documents)', () => {
    const noId = { ...stream, mapping: { ...stream.mapping, documentId: undefined } } as StreamIR;
    const withoutIds = cases.map((c) => ({ ...c, expected: { doc: c.expected.doc } }));
    expect(systemTestConfig(entro, noId, withoutIds)).not.toHaveProperty('assert');
  });
});

describe('OAuth2 client credentials with a token server apart from the API (Bitwarden)', () => {
  const bitwarden = loadFixtureIR('bitwarden');
  const stream = bitwarden.streams[0]!;
  const cases = loadFixtureCases('bitwarden', stream.name);

  it('points the setting that starts the token URL at the mock as well as the API URL', () => {
    const vars = systemTestConfig(bitwarden, stream, cases)['vars'];
    expect(vars).toMatchObject({ url: 'http://{{Hostname}}:{{Port}}', identity_url: 'http://{{Hostname}}:{{Port}}' });
  });

  it('answers the token request with an RFC 6749 §5.1 access token, before the data route', () => {
    const { config } = mockDeploy(bitwarden, new Map([[stream.name, cases]]));
    const rules = (config as { rules: { path: string; methods: string[]; responses: { body: string }[] }[] }).rules;
    expect(rules.map((r) => [r.path, r.methods])).toEqual([
      ['/connect/token', ['POST']],
      ['/public/events', ['GET']],
    ]);
    expect(JSON.parse(rules[0]!.responses[0]!.body)).toEqual({
      access_token: 'mapc-mock-session',
      token_type: 'Bearer',
      expires_in: 3600,
    });
  });
});
