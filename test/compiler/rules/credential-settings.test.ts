/** W0127: string settings that look like credentials. */
import { describe, expect, it } from 'vitest';
import { credentialName } from '../../../compiler/check/credentials.ts';
import { baseMap } from '../helpers.ts';
import { at, one, pos, withCode } from './support.ts';

describe('W0127 settings that look like credentials', () => {
  it('a string setting named like a credential', () => {
    const source = baseMap({ decls: 'setting api_token: string' });
    const d = one(source, 'W0127');
    expect(d.severity).toBe('warning');
    expect(d.message).toBe('setting api_token looks like a credential');
    expect(pos(d)).toBe(at(source, 'api_token: string'));
    expect(d.primary.message).toBe('named like a credential');
    expect(d.notes[0]).toContain('secret NAME');
  });

  it('a string setting sent as a credential header, query parameter, URL parameter or body key', () => {
    const uses = [
      '{ header "X-API-Key" = "{tenant}" }',
      '{ query "access_token" = "{tenant}" }',
      '{ body { "auth": { "signature": "{tenant}" } } }',
    ];
    for (const use of uses) {
      const source = baseMap({ decls: 'setting tenant: string' })
        .replace('"{base_url}/v1/logs"', () => `"{base_url}/v1/logs" ${use}`)
        .replace('request GET', use.includes('body') ? 'request POST' : 'request GET');
      const d = one(source, 'W0127');
      expect(pos(d), use).toBe(at(source, 'tenant: string'));
      expect(d.secondary[0]?.span.line).toBe(Number(at(source, '{tenant}').split(':')[0]));
    }
    const inUrl = baseMap({ decls: 'setting tenant: string' }).replace(
      '"{base_url}/v1/logs"',
      '"{base_url}/v1/logs?api_key={tenant}"',
    );
    expect(one(inUrl, 'W0127').primary.message).toBe('its value is sent as "api_key"');
  });

  it('warns once per setting', () => {
    const source = baseMap({ decls: 'setting api_token: string' }).replace(
      '"{base_url}/v1/logs"',
      '"{base_url}/v1/logs" { header "X-Token" = "{api_token}" query "token" = "{api_token}" }',
    );
    expect(withCode(source, 'W0127')).toHaveLength(1);
  });

  it('is silent for ordinary settings and uses', () => {
    const source = baseMap({
      decls:
        'setting sort_key: string\nsetting namespace: string\nsetting token_lifetime: duration = "1h"\nsetting auth_url: url',
    }).replace('"{base_url}/v1/logs"', '"{base_url}/v1/{namespace}/logs" { query "sort" = "{sort_key}" }');
    expect(withCode(source, 'W0127')).toEqual([]);
  });

  it('reads names as words', () => {
    for (const name of ['api_token', 'apiKey', 'client-secret', 'PASSWORD', 'license_key', 'x.auth', 'key'])
      expect(credentialName(name), name).toBe(true);
    for (const name of ['sort_key', 'partition_key', 'monkey', 'keyword', 'tokenizer', 'namespace', 'author'])
      expect(credentialName(name), name).toBe(false);
    expect(credentialName('X-Auth-Tokens', true)).toBe(true);
  });
});
