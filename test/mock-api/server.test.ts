import { afterEach, describe, expect, it } from 'vitest';
import { normalizeScenario, startMockApi, type MockApi } from './server.ts';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const pagesWithToken = [
  { list: { objects: [{ id: 1 }, { id: 2 }], response: { next_page_token: 't1' } } },
  { list: { objects: [{ id: 3 }], response: { next_page_token: 't2' } } },
  { list: { objects: [{ id: 4 }], response: {} } },
];

async function getJson(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

describe('mock API', () => {
  it('serves page_token pages in order and answers 401 without the header credential', async () => {
    const scenario = normalizeScenario({
      path: '/logs',
      auth: { kind: 'header', header: 'Authorization', secret: 'api_token' },
      pagination: { kind: 'page_token', tokenPath: 'list.response.next_page_token', param: 'page_token' },
      recordsPath: 'list.objects',
      pages: pagesWithToken,
    });
    api = await startMockApi(scenario);
    const auth = { headers: { Authorization: scenario.credentials.api_token! } };
    expect((await getJson(`${api.url}/logs`)).status).toBe(401);
    expect((await getJson(`${api.url}/logs`, { headers: { Authorization: 'wrong' } })).status).toBe(401);
    expect((await getJson(`${api.url}/logs`, auth)).body).toEqual(pagesWithToken[0]);
    expect((await getJson(`${api.url}/logs?page_token=t1`, auth)).body).toEqual(pagesWithToken[1]);
    expect((await getJson(`${api.url}/logs?page_token=t2`, auth)).body).toEqual(pagesWithToken[2]);
    expect((await getJson(`${api.url}/logs?page_token=nope`, auth)).status).toBe(400);
    expect(api.requests.map((r) => r.status)).toEqual([401, 401, 200, 200, 200, 400]);
  });

  it('injects one 429 with Retry-After (seconds and HTTP-date), one 500, and a permanent failure', async () => {
    const t = Date.UTC(2024, 10, 13, 12, 0, 0);
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        pagination: { kind: 'page_token', tokenPath: 'list.response.next_page_token', param: 'page_token' },
        recordsPath: 'list.objects',
        pages: pagesWithToken,
        faults: [
          { page: 0, status: 429, retryAfter: { seconds: 7, format: 'seconds' } },
          { page: 1, status: 429, retryAfter: { seconds: 30, format: 'http-date' } },
          { page: 1, status: 500 },
        ],
        failPage: 2,
      }),
      { now: () => t },
    );
    const first = await getJson(`${api.url}/logs`);
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '7']);
    expect((await getJson(`${api.url}/logs`)).status).toBe(200);
    const second = await getJson(`${api.url}/logs?page_token=t1`);
    expect([second.status, second.headers.get('retry-after')]).toEqual([429, 'Wed, 13 Nov 2024 12:00:30 GMT']);
    expect((await getJson(`${api.url}/logs?page_token=t1`)).status).toBe(500);
    expect((await getJson(`${api.url}/logs?page_token=t1`)).status).toBe(200);
    expect((await getJson(`${api.url}/logs?page_token=t2`)).status).toBe(500);
    expect((await getJson(`${api.url}/logs?page_token=t2`)).status).toBe(500);
    api.setFailPage(undefined);
    expect((await getJson(`${api.url}/logs?page_token=t2`)).status).toBe(200);
  });

  it('applies the incremental filter by instant at microsecond precision', async () => {
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        recordsPath: 'items',
        pages: [{ items: [{ t: '2024-01-01T00:00:00.000001Z' }, { t: '2024-01-01T00:00:00.000002Z' }] }],
        since: { param: 'filter', pattern: 't > date\\((.*)\\)', field: 't' },
      }),
    );
    const res = await getJson(`${api.url}/logs?filter=${encodeURIComponent('t > date(2024-01-01T00:00:00.000001Z)')}`);
    expect(res.body).toEqual({ items: [{ t: '2024-01-01T00:00:00.000002Z' }] });
  });

  it('issues expiring tokens at the token exchange endpoint', async () => {
    let t = 1_000_000;
    const scenario = normalizeScenario({
      path: '/logs',
      auth: {
        kind: 'token_exchange',
        path: '/login',
        body: { key: 'api_key', secret: 'api_secret' },
        lifetimeSeconds: 60,
      },
      pages: [[{ id: 1 }]],
    });
    api = await startMockApi(scenario, { now: () => t });
    const c = scenario.credentials;
    const bad = await getJson(`${api.url}/login`, {
      method: 'POST',
      body: JSON.stringify({ key: c.api_key, secret: 'x' }),
    });
    expect(bad.status).toBe(401);
    const good = await getJson(`${api.url}/login`, {
      method: 'POST',
      body: JSON.stringify({ key: c.api_key, secret: c.api_secret }),
    });
    const token = (good.body as { token: string }).token;
    expect(token).toBe(api.issuedTokens[0]);
    expect((await getJson(`${api.url}/logs`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    t += 60_000;
    expect((await getJson(`${api.url}/logs`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('serves OAuth2 client credentials with Basic client auth and checks scopes', async () => {
    const scenario = normalizeScenario({
      path: '/logs',
      auth: {
        kind: 'oauth2_client_credentials',
        path: '/oauth/token',
        clientId: 'cid',
        clientSecret: 'csecret',
        scopes: ['audit.read'],
      },
      pages: [[{ id: 1 }]],
    });
    api = await startMockApi(scenario);
    const c = scenario.credentials;
    const basic = `Basic ${Buffer.from(`${c.cid}:${c.csecret}`).toString('base64')}`;
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const noScope = await getJson(`${api.url}/oauth/token`, {
      method: 'POST',
      headers: { ...form, Authorization: basic },
      body: 'grant_type=client_credentials',
    });
    expect(noScope.status).toBe(400);
    const ok = await getJson(`${api.url}/oauth/token`, {
      method: 'POST',
      headers: { ...form, Authorization: basic },
      body: 'grant_type=client_credentials&scope=audit.read',
    });
    expect(ok.status).toBe(200);
    const token = (ok.body as { access_token: string }).access_token;
    expect((await getJson(`${api.url}/logs`, { headers: { Authorization: `Bearer ${token}` } })).body).toEqual([
      { id: 1 },
    ]);
  });

  it('slices offset pages with a total and page-number pages, and links pages with RFC 8288 headers', async () => {
    const records = [1, 2, 3, 4, 5].map((id) => ({ id }));
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        recordsPath: 'data',
        records,
        pagination: { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', totalPath: 'total' },
      }),
    );
    expect((await getJson(`${api.url}/logs?offset=4&limit=2`)).body).toEqual({ data: [{ id: 5 }], total: 5 });
    await api.close();
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        recordsPath: 'data',
        records,
        pagination: { kind: 'page_number', param: 'page', start: 1, sizeParam: 'per_page' },
      }),
    );
    expect((await getJson(`${api.url}/logs?page=2&per_page=2`)).body).toEqual({ data: [{ id: 3 }, { id: 4 }] });
    await api.close();
    api = await startMockApi(
      normalizeScenario({ path: '/logs', pagination: { kind: 'link_header' }, pages: [[1], [2]] }),
    );
    const first = await getJson(`${api.url}/logs?x=1`);
    expect(first.headers.get('link')).toBe(`<${api.url}/logs?x=1&page=1>; rel="next"`);
    const last = await getJson(`${api.url}/logs?x=1&page=1`);
    expect([last.body, last.headers.get('link')]).toEqual([[2], null]);
  });

  it('advertises a quota and refuses requests beyond it until the reset', async () => {
    let t = 5_000_000;
    api = await startMockApi(
      normalizeScenario({ path: '/logs', pages: [[1]], rateLimit: { quota: 2, windowSeconds: 10 } }),
      { now: () => t },
    );
    const a = await getJson(`${api.url}/logs`);
    expect([a.headers.get('x-ratelimit-remaining'), a.headers.get('x-ratelimit-reset')]).toEqual(['1', '5010']);
    expect((await getJson(`${api.url}/logs`)).headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await getJson(`${api.url}/logs`)).status).toBe(429);
    expect(api.rateLimitViolations).toBe(1);
    t += 10_000;
    expect((await getJson(`${api.url}/logs`)).status).toBe(200);
  });
});
