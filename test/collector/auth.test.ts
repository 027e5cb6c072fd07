/**
 * `mapc collect` for the auth kinds no vendor map uses (HTTP basic, OAuth2 client credentials
 * with a client secret or a `private_key_jwt` assertion the mock API verifies with the public key,
 * a header with a scheme around its secret)
 * and the token life cycle of token exchange: cached, renewed `renew_before` ahead of expiry,
 * renewed when the API refuses it, expiry read from the login response when the map says so.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthIR, PaginationIR } from '../../compiler/ir.ts';
import type { MockScenario } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { envFor, expectNoSecrets, fakeClock, run, tempStateFile } from './harness.ts';
import { SYNTHETIC_LOC as LOC, secret, syntheticIR, t } from '../support/ir.ts';
import { chunks, RECORDS, syntheticScenario } from './synthetic.ts';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const pageToken: PaginationIR = {
  kind: 'page_token',
  tokenPath: ['next'],
  param: { in: 'query', name: 'page_token' },
  loc: LOC,
};
const pages = chunks(RECORDS, 3).map((data, i, all) =>
  i < all.length - 1 ? { data, next: `tok-${i + 2}` } : { data },
);
const text = (t: string) => ({ parts: [{ kind: 'text' as const, text: t }] });

async function setup(
  auth: AuthIR,
  mockAuth: Record<string, unknown>,
  opts: { secrets: string[]; settings?: { name: string; type: 'string' }[]; faults?: MockScenario['faults'] },
) {
  const ir = syntheticIR({
    pagination: pageToken,
    auth,
    secrets: opts.secrets,
    ...(opts.settings ? { settings: opts.settings } : {}),
  });
  const scenario = syntheticScenario({
    auth: mockAuth,
    pagination: { kind: 'page_token', tokenPath: 'next', param: 'page_token' },
    pages,
    faults: opts.faults ?? [],
  });
  const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return { ir, scenario, clock, api, stateFile: tempStateFile() };
}

const data = (a: MockApi) => a.requests.filter((r) => r.endpoint === 'data');
const tokenRequests = (a: MockApi) => a.requests.filter((r) => r.endpoint === 'token');

describe('auth: HTTP basic', () => {
  const auth: AuthIR = {
    kind: 'basic',
    username: { kind: 'setting', name: 'user' },
    password: 'api_password',
    loc: LOC,
  };
  const mock = { kind: 'basic', username: 'user', password: 'api_password' };

  it('sends RFC 7617 credentials (username from a setting) and collects everything', async () => {
    const t = await setup(auth, mock, { secrets: ['api_password'], settings: [{ name: 'user', type: 'string' }] });
    const out = await run({ ...t, sets: { user: t.scenario.credentials.user as string } });
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    const expected = `Basic ${Buffer.from(`${t.scenario.credentials.user}:${t.scenario.credentials.api_password}`).toString('base64')}`;
    expect(data(t.api).map((r) => r.headers.authorization)).toEqual([expected, expected, expected]);
    expectNoSecrets(
      t.api,
      { ...t.scenario, credentials: { p: t.scenario.credentials.api_password as string } },
      [out],
      [expected.slice(6)],
    );
  });

  it('a wrong password is E0803', async () => {
    const t = await setup(auth, mock, { secrets: ['api_password'], settings: [{ name: 'user', type: 'string' }] });
    const out = await run({
      ...t,
      sets: { user: t.scenario.credentials.user as string },
      env: { SYNTHETIC_API_PASSWORD: 'not-the-password' },
    });
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0803' } });
    expect(out.events).toEqual([]);
    expectNoSecrets(t.api, t.scenario, [out], ['not-the-password']);
  });
});

describe('auth: a header with a scheme around the secret', () => {
  const auth: AuthIR = {
    kind: 'header',
    header: 'Authorization',
    secret: 'api_token',
    value: t('SSWS ', secret('api_token')),
    loc: LOC,
  };
  const mock = { kind: 'header', header: 'Authorization', secret: 'api_token', prefix: 'SSWS ' };

  it('sends `SSWS <secret>` on every page, collects everything, and logs no credential', async () => {
    const t = await setup(auth, mock, { secrets: ['api_token'] });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    const expected = `SSWS ${t.scenario.credentials.api_token}`;
    expect(data(t.api).map((r) => r.headers.authorization)).toEqual([expected, expected, expected]);
    expectNoSecrets(t.api, t.scenario, [out]);
  });

  it('an unset secret is E0802 before any request', async () => {
    const t = await setup(auth, mock, { secrets: ['api_token'] });
    const out = await run({ ...t, env: {} });
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0802' } });
    expect(t.api.requests).toEqual([]);
  });
});

describe('auth: OAuth2 client credentials', () => {
  const auth: AuthIR = {
    kind: 'oauth2_client_credentials',
    tokenUrl: {
      parts: [
        { kind: 'setting', name: 'base_url' },
        { kind: 'text', text: '/oauth/token' },
      ],
    },
    clientId: { kind: 'secret', name: 'client_id' },
    clientSecret: 'client_secret',
    scopes: ['audit.read', 'audit.list'],
    loc: LOC,
  };
  const mock = {
    kind: 'oauth2_client_credentials',
    path: '/oauth/token',
    clientId: 'client_id',
    clientSecret: 'client_secret',
    scopes: ['audit.read', 'audit.list'],
    lifetimeSeconds: 3600,
  };

  it('obtains one token with the scopes and sends it as a bearer token on every page', async () => {
    const t = await setup(auth, mock, { secrets: ['client_id', 'client_secret'] });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    const tokens = tokenRequests(t.api);
    expect(tokens).toHaveLength(1);
    expect(new URLSearchParams(tokens[0]?.body).get('grant_type')).toBe('client_credentials');
    expect(new URLSearchParams(tokens[0]?.body).get('scope')).toBe('audit.read audit.list');
    expect(data(t.api).map((r) => r.headers.authorization)).toEqual(Array(3).fill(`Bearer ${t.api.issuedTokens[0]}`));
    expectNoSecrets(t.api, t.scenario, [out]);
  });

  it('a wrong client secret is E0803 (invalid_client)', async () => {
    const t = await setup(auth, mock, { secrets: ['client_id', 'client_secret'] });
    const env = envFor(t.ir, t.scenario, { SYNTHETIC_CLIENT_SECRET: 'wrong-client-secret' });
    const out = await run({ ...t, env });
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0803' } });
    expect(data(t.api)).toEqual([]);
    expectNoSecrets(t.api, t.scenario, [out], ['wrong-client-secret']);
  });

  it('a refused scope is E0804 naming the OAuth2 error', async () => {
    const t = await setup({ ...auth, scopes: ['audit.read'] }, mock, { secrets: ['client_id', 'client_secret'] });
    const out = await run(t);
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0804' } });
    expect(out.result.error?.message).toContain('invalid_scope');
  });
});

describe('auth: OAuth2 private_key_jwt (RFC 7523 client assertion)', () => {
  // Test keys, generated here and never written anywhere.
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }) as string;
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }) as string;
  const auth: AuthIR = {
    kind: 'oauth2_client_credentials',
    tokenUrl: {
      parts: [
        { kind: 'setting', name: 'base_url' },
        { kind: 'text', text: '/oauth2/v1/token' },
      ],
    },
    clientId: { kind: 'secret', name: 'client_id' },
    privateKey: 'client_key',
    scopes: ['okta.logs.read'],
    loc: LOC,
  };
  const mock = (publicKey: string) => ({
    kind: 'oauth2_client_credentials',
    path: '/oauth2/v1/token',
    clientId: 'client_id',
    scopes: ['okta.logs.read'],
    lifetimeSeconds: 3600,
    publicKey,
  });
  const secrets = ['client_id', 'client_key'];

  it.each([
    ['an RSA key in PEM (RS256)', () => pem(rsa.privateKey), () => spki(rsa.publicKey), 'RS256', undefined],
    [
      'an EC P-256 key as a JWK with its kid (ES256)',
      () => JSON.stringify({ ...ec.privateKey.export({ format: 'jwk' }), kid: 'key-1' }),
      () => spki(ec.publicKey),
      'ES256',
      'key-1',
    ],
  ] as const)('signs with %s: the mock verifies signature and claims', async (_label, key, publicKey, alg, kid) => {
    const t = await setup(auth, mock(publicKey()), { secrets });
    const env = envFor(t.ir, t.scenario, { SYNTHETIC_CLIENT_KEY: key() });
    const out = await run({ ...t, env });
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    const [verdict, ...more] = t.api.clientAssertions;
    expect(more).toEqual([]);
    expect(verdict).toMatchObject({ valid: true, header: { alg, typ: 'JWT' } });
    expect(verdict?.header?.['kid']).toBe(kid);
    const clientId = t.scenario.credentials.client_id;
    const claims = verdict!.claims!;
    expect(claims).toMatchObject({ iss: clientId, sub: clientId, aud: `${t.api.url}/oauth2/v1/token` });
    expect(claims['exp']).toBe((claims['iat'] as number) + 300);
    expect(claims['iat']).toBe(Math.floor(Date.parse('2024-06-01T00:00:00Z') / 1000));
    // The form: the assertion and its type, no secret; nothing else authenticates the client.
    const form = new URLSearchParams(tokenRequests(t.api)[0]?.body);
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(form.get('scope')).toBe('okta.logs.read');
    expect(tokenRequests(t.api)[0]?.headers.authorization).toBeUndefined();
    expect(data(t.api).map((r) => r.headers.authorization)).toEqual(Array(3).fill(`Bearer ${t.api.issuedTokens[0]}`));
    // Neither the key nor the assertion is in any output, and neither went to the data endpoint.
    expectNoSecrets(t.api, t.scenario, [out], [key(), verdict!.assertion]);
    for (const r of data(t.api)) expect(JSON.stringify(r)).not.toContain(verdict!.assertion.split('.')[2]);
  });

  it('a renewed token comes with a new assertion (a new jti)', async () => {
    const slowPage2: MockScenario['faults'] = [{ page: 1, status: 401 }];
    const t = await setup(auth, mock(spki(ec.publicKey)), { secrets, faults: slowPage2 });
    const out = await run({ ...t, env: envFor(t.ir, t.scenario, { SYNTHETIC_CLIENT_KEY: pem(ec.privateKey) }) });
    expect(out.result.exitCode).toBe(0);
    expect(t.api.clientAssertions.map((a) => a.valid)).toEqual([true, true]);
    const [a, b] = t.api.clientAssertions.map((v) => v.claims?.['jti']);
    expect(a).not.toBe(b);
  });

  it('another key is refused by the server (E0803); no data request is sent', async () => {
    const t = await setup(auth, mock(spki(rsa.publicKey)), { secrets });
    const out = await run({ ...t, env: envFor(t.ir, t.scenario, { SYNTHETIC_CLIENT_KEY: pem(ec.privateKey) }) });
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0803' } });
    expect(t.api.clientAssertions.map((a) => a.reason)).toEqual(['signature (ES256)']);
    expect(data(t.api)).toEqual([]);
  });

  it.each([
    ['no key at all', 'not a key'],
    ['a public key', spki(rsa.publicKey)],
    ['an RSA key under 2048 bits', pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey)],
    ['an Ed25519 key', pem(generateKeyPairSync('ed25519').privateKey)],
  ])('%s is E0802 before any request, naming the secret only', async (_label, value) => {
    const t = await setup(auth, mock(spki(rsa.publicKey)), { secrets });
    const out = await run({ ...t, env: envFor(t.ir, t.scenario, { SYNTHETIC_CLIENT_KEY: value }) });
    expect(out.result).toMatchObject({ exitCode: 1, error: { code: 'E0802' } });
    expect(out.result.error?.message).toContain('secret client_key');
    expect(t.api.requests).toEqual([]);
    expectNoSecrets(t.api, t.scenario, [out], [value]);
  });
});

describe('auth: token exchange life cycle', () => {
  const auth = (lifetimeSeconds: number, renewBeforeSeconds: number, expiresAtPath?: string[]): AuthIR => ({
    kind: 'token_exchange',
    request: {
      method: 'POST',
      url: {
        parts: [
          { kind: 'setting', name: 'base_url' },
          { kind: 'text', text: '/login' },
        ],
      },
      headers: [],
      query: [],
      body: {
        kind: 'object',
        entries: [
          { key: 'key', value: { kind: 'string', template: { parts: [{ kind: 'secret', name: 'api_key' }] } } },
          { key: 'secret', value: { kind: 'string', template: { parts: [{ kind: 'secret', name: 'api_secret' }] } } },
        ],
      },
    },
    tokenPath: ['auth', 'token'],
    lifetimeSeconds,
    ...(expiresAtPath ? { expiresAtPath } : {}),
    renewBeforeSeconds,
    header: { name: 'X-Session', value: { parts: [...text('Token ').parts, { kind: 'token' }] }, omitIfEmpty: false },
    loc: LOC,
  });
  const mock = (lifetimeSeconds: number, expiresAtPath?: string) => ({
    kind: 'token_exchange',
    path: '/login',
    body: { key: 'api_key', secret: 'api_secret' },
    tokenPath: 'auth.token',
    lifetimeSeconds,
    ...(expiresAtPath ? { expiresAtPath } : {}),
    header: 'X-Session',
    prefix: 'Token ',
  });
  const secrets = ['api_key', 'api_secret'];
  // Page 2 first answers 429 with Retry-After 40 s, moving the clock past the renewal point.
  const slowPage2: MockScenario['faults'] = [{ page: 1, status: 429, retryAfter: { seconds: 40, format: 'seconds' } }];

  it('caches the token for the run: one login for three pages', async () => {
    const t = await setup(auth(3600, 60), mock(3600), { secrets });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    expect(tokenRequests(t.api)).toHaveLength(1);
    expect(JSON.parse(tokenRequests(t.api)[0]?.body ?? '')).toEqual({
      key: t.scenario.credentials.api_key,
      secret: t.scenario.credentials.api_secret,
    });
    expectNoSecrets(t.api, t.scenario, [out]);
  });

  it('renews the token renew_before ahead of its lifetime', async () => {
    // Lifetime 60 s, renew 30 s early: after the 40 s wait the token is due for renewal.
    const t = await setup(auth(60, 30), mock(60), { secrets, faults: slowPage2 });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    expect(t.api.issuedTokens).toHaveLength(2);
    const sessions = data(t.api).map((r) => r.headers['x-session']);
    const [first, second] = t.api.issuedTokens;
    // page 1, page 2 (429), page 2 retried with the same still-valid token, page 3 with the new one.
    expect(sessions).toEqual([`Token ${first}`, `Token ${first}`, `Token ${first}`, `Token ${second}`]);
    expect(data(t.api).every((r) => r.status !== 401)).toBe(true);
    expectNoSecrets(t.api, t.scenario, [out]);
  });

  it('keeps the token when it is not yet due (lifetime 3600 s, renew 60 s early)', async () => {
    const t = await setup(auth(3600, 60), mock(3600), { secrets, faults: slowPage2 });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(t.api.issuedTokens).toHaveLength(1);
  });

  it('reads the expiry from the login response when the map names expires_at', async () => {
    // The server's tokens live 50 s and say so; the map's fixed lifetime (3600 s) must not win.
    const t = await setup(auth(3600, 20, ['auth', 'expires_at']), mock(50, 'auth.expires_at'), {
      secrets,
      faults: slowPage2,
    });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    expect(t.api.issuedTokens).toHaveLength(2);
  });

  it('logs in again once when the API refuses a token it considers expired', async () => {
    // The server expires tokens after 10 s though the map believes 3600 s.
    const t = await setup(auth(3600, 60), mock(10), { secrets, faults: slowPage2 });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    expect(t.api.issuedTokens).toHaveLength(2);
    expect(data(t.api).map((r) => r.status)).toEqual([200, 429, 401, 200, 200]);
    expectNoSecrets(t.api, t.scenario, [out]);
  });
});
