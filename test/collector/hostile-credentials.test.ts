/**
 * A hostile API against `mapc collect`'s credentials (IR doc, "Run-time safety and incremental
 * state", §3-4): error bodies that echo every credential in raw, JSON-escaped, URL-encoded,
 * form-encoded, base64 and base64url forms; `Link` next URLs and redirects to another origin (a
 * second server that records every request); URLs with user information; `string` settings
 * holding a token in the URL path. For every auth kind: 0 credentials in stdout, stderr, the
 * state file, the error, or anything the other origin received.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { hostileCredential } from '../mock-api/hostile.ts';
import type { MockHostile, MockScenario } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { envFor, fakeClock, run, streamState, tempStateFile, type RunOutput } from './harness.ts';
import { authKinds, leaks, leftBehind, pagingKind, type AuthKind } from './hostile-kit.ts';
import { syntheticIR } from '../support/ir.ts';
import { RECORDS, syntheticScenario } from './synthetic.ts';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const START = '2024-04-30T00:00:00Z';

async function setup(
  auth: AuthKind,
  o: {
    paging?: 'page_token' | 'link_header';
    hostile?: MockHostile;
    faults?: MockScenario['faults'];
    failPage?: number;
    path?: string;
    edit?: (ir: IntegrationIR) => IntegrationIR;
  } = {},
) {
  const kind = pagingKind(o.paging ?? 'page_token', 3);
  let ir = syntheticIR({
    pagination: kind.ir,
    auth: auth.ir,
    secrets: auth.secrets,
    settings: auth.settings,
    retry: { maxAttempts: 1, backoffBaseSeconds: 1, backoffMaxSeconds: 1 },
  });
  if (o.edit) ir = o.edit(ir);
  const scenario = syntheticScenario({
    ...kind.scenario(RECORDS, 3),
    auth: auth.mock,
    credentials: auth.credentials,
    ...(o.hostile ? { hostile: o.hostile } : {}),
    ...(o.faults ? { faults: o.faults } : {}),
    ...(o.failPage !== undefined ? { failPage: o.failPage } : {}),
    ...(o.path !== undefined ? { path: o.path } : {}),
  });
  const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return { ir, scenario, clock, api, stateFile: tempStateFile(), sets: auth.sets };
}

function expectNoLeaks(t: { api: MockApi; scenario: MockScenario }, outputs: RunOutput[], extra: string[] = []): void {
  expect(leaks(t.api, t.scenario, leftBehind(outputs, t.api), extra)).toEqual([]);
}

const AUTHS = authKinds();

describe.each(AUTHS)('auth $name against an API echoing credentials', (auth) => {
  it.each(['text', 'json'] as const)(
    'a 400 answer echoing them (%s) fails the run without a trace of them',
    async (mode) => {
      const t = await setup(auth, { hostile: { echoCredentials: mode }, faults: [{ page: 1, status: 400 }] });
      const out = await run(t);
      expect(out.result.error?.code).toBe('E0800');
      expect(out.result.error?.message).toBe('page 2 failed: HTTP 400 Bad Request');
      // The log line describes the answer: status, method, URL template, size, content type; no body.
      const error = out.logs.find((l) => l.level === 'error');
      expect(error).toMatchObject({
        code: 'E0800',
        status: 400,
        statusText: 'Bad Request',
        method: 'GET',
        url: '{base_url}/logs',
        contentType: mode === 'json' ? 'application/json' : 'text/plain; charset=utf-8',
      });
      expect(error?.bytes).toBeGreaterThan(200);
      // The echo really carried every form of the credentials: the mock's answer was hostile.
      expect(out.events).toEqual(RECORDS.slice(0, 3));
      expectNoLeaks(t, [out]);
    },
  );

  it('a 500 echoing them, retried then given up, leaves no trace of them', async () => {
    const t = await setup(auth, { hostile: { echoCredentials: true }, failPage: 0 });
    const out = await run(t);
    expect(out.result.error?.code).toBe('E0800');
    expectNoLeaks(t, [out]);
  });

  it('wrong credentials answered 401 with an echo of them (E0803) leave no trace of either', async () => {
    const t = await setup(auth, { hostile: { echoCredentials: true } });
    const wrong = Object.fromEntries(
      t.ir.secrets.map((s) => [
        s.envVar,
        auth.wrong?.[s.name] ?? hostileCredential(`wrong-${s.name.replace(/_/g, '-')}`),
      ]),
    );
    const out = await run({ ...t, env: wrong });
    // OAuth2 servers answer a bad client with 401 too; 400 invalid_client is refused the same way.
    expect(out.result.error?.code).toBe('E0803');
    expect(t.api.requests.every((r) => r.status === 401)).toBe(true);
    expectNoLeaks(t, [out], Object.values(wrong));
  });
});

describe.each(AUTHS)('auth $name: credentials go only to the configured origin', (auth) => {
  it('a Link next URL on another origin is refused (E0810): nothing reaches it, the cursor stays', async () => {
    const t = await setup(auth, { paging: 'link_header', hostile: { foreignLink: { page: 0 } } });
    const out = await run(t);
    expect(out.result.error?.code).toBe('E0810');
    expect(t.api.foreign?.requests).toEqual([]);
    // Page 1 came from the configured origin: delivered; the injected records were never fetched.
    expect(out.events).toEqual(RECORDS.slice(0, 3));
    expect(streamState(out.state, 'logs')).toEqual({ cursor: START });
    expectNoLeaks(t, [out]);
  });

  it.each([301, 302, 303, 307, 308] as const)(
    'a %s redirect to another origin is refused (E0810): nothing reaches it',
    async (status) => {
      const t = await setup(auth, { hostile: { redirect: { page: 1, status, to: 'foreign' } } });
      const out = await run(t);
      expect(out.result.error?.code).toBe('E0810');
      expect(out.result.error?.message).toMatch(
        new RegExp(`^page 2: HTTP ${status} redirect to another origin refused`),
      );
      expect(t.api.foreign?.requests).toEqual([]);
      expect(out.events).toEqual(RECORDS.slice(0, 3));
      expect(streamState(out.state, 'logs')?.cursor).toBe(START);
      expectNoLeaks(t, [out]);
    },
  );
});

describe('redirects within the origin', () => {
  const header = AUTHS[0] as AuthKind;

  it('are followed with the credentials, up to 5 in a row', async () => {
    const t = await setup(header, { hostile: { redirect: { page: 1, status: 307, to: 'same', hops: 5 } } });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    const page2 = t.api.requests.filter((r) => r.page === 1);
    expect(page2.map((r) => r.status)).toEqual([307, 307, 307, 307, 307, 200]);
    expect(page2.every((r) => r.headers['x-api-key'] === header.credentials.api_key)).toBe(true);
  });

  it('a sixth redirect in a row ends the run (E0804) after 6 requests for that page', async () => {
    const t = await setup(header, { hostile: { redirect: { page: 0, status: 302, to: 'same', hops: 50 } } });
    const out = await run(t);
    expect(out.result.error).toMatchObject({ code: 'E0804', message: 'page 1: more than 5 redirects' });
    expect(t.api.requests).toHaveLength(6);
  });
});

describe('credentials in disguise', () => {
  const header = AUTHS[0] as AuthKind;

  it('a URL setting with user information is refused (E0802) naming the setting, before any request', async () => {
    const t = await setup(header);
    const password = hostileCredential('userinfo').replace(/[^A-Za-z0-9-]/g, '');
    const withUserinfo = t.api.url.replace('http://', `http://operator:${password}@`);
    const out = await run({ ...t, sets: { base_url: withUserinfo } });
    expect(out.result.error).toEqual({
      code: 'E0802',
      message:
        "--set base_url: setting base_url carries user information (user:password@); put credentials in the map's auth",
    });
    expect(t.api.requests).toEqual([]);
    expectNoLeaks(t, [out], [password]);
  });

  it('a string setting in the URL path (a token in disguise) is logged by name, never by value', async () => {
    const tenant = hostileCredential('tenant').replace(/[^A-Za-z0-9-]/g, '');
    const t = await setup(header, {
      path: `/t/${tenant}/logs`,
      faults: [{ page: 1, status: 404 }],
      edit: (ir) => {
        const stream = ir.streams[0];
        if (!stream) throw new Error('no stream');
        const request = {
          ...stream.source.request,
          url: {
            parts: [
              { kind: 'setting' as const, name: 'base_url' },
              { kind: 'text' as const, text: '/t/' },
              { kind: 'setting' as const, name: 'tenant' },
              { kind: 'text' as const, text: '/logs' },
            ],
          },
        };
        return {
          ...ir,
          settings: [
            ...ir.settings,
            {
              ...(ir.settings[0] as IntegrationIR['settings'][number]),
              name: 'tenant',
              type: 'string',
              envVar: 'SYNTHETIC_TENANT',
            },
          ],
          streams: [{ ...stream, source: { ...stream.source, request } }],
        };
      },
    });
    const out = await run({ ...t, sets: { tenant } });
    expect(out.result.error?.code).toBe('E0800');
    expect(out.logs.find((l) => l.level === 'error')?.url).toBe('{base_url}/t/{tenant}/logs');
    expect(out.stderr).toContain('{tenant}');
    expect(leaks(t.api, t.scenario, [out.stderr, out.result.error?.message ?? ''], [tenant])).toEqual([]);
  });
});

describe('the environment a test gives', () => {
  it('carries each auth kind’s hostile credentials (quotes, backslash, %, +, /, &, =, space)', () => {
    for (const auth of AUTHS) {
      const ir = syntheticIR({ pagination: { kind: 'none' }, auth: auth.ir, secrets: auth.secrets });
      const env = envFor(ir, syntheticScenario({ credentials: auth.credentials }));
      expect(Object.keys(env)).toHaveLength(auth.secrets.length);
      // A private key cannot hold them: it is PEM text, whose base64 has `+`, `/` and `=`.
      for (const [name, v] of Object.entries(env)) {
        if (name.endsWith('_CLIENT_KEY'))
          expect(v).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
        else expect(v).toMatch(/\+\/ "q"\\=&%$/);
      }
    }
  });
});
