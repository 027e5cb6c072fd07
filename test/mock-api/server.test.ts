import { afterEach, describe, expect, it } from 'vitest';
import { deepRecordText, encodedForms, hostileCredential, tiedRecords } from './hostile.ts';
import { findLeaks } from './leaks.ts';
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

describe('hostile mock API', () => {
  const tokenPages = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ data: [{ id: i }], ...(i < n - 1 ? { next: `t${i + 1}` } : {}) }));

  it('echoes the credentials a request carried, in every form, in error bodies', async () => {
    const secret = hostileCredential('key');
    const scenario = normalizeScenario({
      path: '/logs',
      auth: { kind: 'header', header: 'X-API-Key', secret: 'api_key' },
      credentials: { api_key: secret },
      recordsPath: 'data',
      pages: tokenPages(2),
      faults: [{ page: 0, status: 400 }],
      hostile: { echoCredentials: true },
    });
    api = await startMockApi(scenario);
    const headers = { 'X-API-Key': secret, Authorization: `Bearer ${secret}` };
    const res = await fetch(`${api.url}/logs`, { headers });
    expect([res.status, res.headers.get('content-type')]).toEqual([400, 'text/plain; charset=utf-8']);
    const text = await res.text();
    const forms = encodedForms(secret);
    for (const form of Object.values(forms)) expect(text).toContain(form);
    expect(new Set(findLeaks(text, [secret]).map((l) => l.form))).toEqual(
      new Set(['raw', 'json', 'url', 'form', 'base64', 'base64url', 'decoded-base64']),
    );
    // 401 for a wrong credential echoes what was sent, too.
    const wrong = await fetch(`${api.url}/logs`, { headers: { 'X-API-Key': 'wrong-key' } });
    expect([wrong.status, (await wrong.text()).includes('raw: wrong-key')]).toEqual([401, true]);
  });

  it('echoes as JSON with the credential in "error", and for Basic pairs and issued tokens', async () => {
    const scenario = normalizeScenario({
      path: '/logs',
      auth: { kind: 'basic', username: 'user', password: 'pass' },
      credentials: { user: 'alice', pass: hostileCredential('pw') },
      failPage: 0,
      pages: [[1]],
      hostile: { echoCredentials: 'json' },
    });
    api = await startMockApi(scenario);
    const basic = Buffer.from(`alice:${scenario.credentials.pass}`).toString('base64');
    const res = await fetch(`${api.url}/logs`, { headers: { Authorization: `Basic ${basic}` } });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: string; echo: Record<string, string[]> };
    // The credentials found in the request come first (the user name, then the password).
    expect(body.error).toBe('alice');
    expect(body.echo.raw?.slice(0, 2)).toEqual(['alice', scenario.credentials.pass]);
    expect(body.echo.raw).toContain(`Basic ${basic}`);
    expect(body.echo.base64).toContain(Buffer.from(scenario.credentials.pass!).toString('base64'));
  });

  it('links to and redirects to a foreign origin that records every request', async () => {
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        recordsPath: 'data',
        pagination: { kind: 'link_header' },
        pages: tokenPages(3),
        hostile: { foreignLink: { page: 0 }, redirect: { page: 1, status: 307, to: 'foreign' } },
      }),
    );
    const foreign = api.foreign!;
    expect(new URL(foreign.url).port).not.toBe(new URL(api.url).port);
    const first = await fetch(`${api.url}/logs`);
    expect(first.headers.get('link')).toBe(`<${foreign.url}/logs?page=1>; rel="next"`);
    const second = await fetch(`${api.url}/logs?page=1`, { redirect: 'manual', headers: { 'X-Probe': 'p' } });
    expect([second.status, second.headers.get('location')]).toEqual([307, `${foreign.url}/logs?page=1`]);
    expect(foreign.requests).toEqual([]);
    const injected = await fetch(`${foreign.url}/logs?page=1`, { headers: { 'X-Probe': 'p' } });
    expect(await injected.json()).toEqual({
      data: [{ id: 'injected-by-foreign-origin', ts: '2999-01-01T00:00:00.000001Z' }],
    });
    expect(foreign.requests.map((r) => [r.url, r.headers['x-probe']])).toEqual([['/logs?page=1', 'p']]);
  });

  it('redirects within its own origin a given number of hops', async () => {
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        pages: [[1]],
        hostile: { redirect: { page: 0, status: 302, to: 'same', hops: 2 } },
      }),
    );
    const r1 = await fetch(`${api.url}/logs?x=1`, { redirect: 'manual' });
    expect([r1.status, r1.headers.get('location')]).toEqual([302, `${api.url}/logs?x=1&_mock_hop=1`]);
    const r2 = await fetch(r1.headers.get('location')!, { redirect: 'manual' });
    expect(r2.headers.get('location')).toBe(`${api.url}/logs?x=1&_mock_hop=2`);
    expect(await (await fetch(r2.headers.get('location')!, { redirect: 'manual' })).json()).toEqual([1]);
    expect(api.foreign).toBeUndefined();
  });

  it('repeats the last page forever (page token, has_more cursor, link cycle)', async () => {
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        recordsPath: 'data',
        pagination: { kind: 'page_token', tokenPath: 'next', param: 'page_token' },
        pages: tokenPages(2),
        hostile: { repeatLastPage: true },
      }),
    );
    const last = (await getJson(`${api.url}/logs?page_token=t1`)).body as { next: string };
    expect(last).toEqual({ data: [{ id: 1 }], next: 'mock-repeat-last-page' });
    expect((await getJson(`${api.url}/logs?page_token=${last.next}`)).body).toEqual(last);
    await api.close();
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        recordsPath: 'data',
        pagination: { kind: 'cursor_has_more', tokenPath: 'cursor', hasMorePath: 'has_more', param: 'cursor' },
        pages: [{ data: [1] }],
        hostile: { repeatLastPage: true },
      }),
    );
    const page = (await getJson(`${api.url}/logs`)).body;
    expect(page).toEqual({ data: [1], cursor: 'mock-repeat-last-page', has_more: true });
    expect((await getJson(`${api.url}/logs?cursor=mock-repeat-last-page`)).body).toEqual(page);
    await api.close();
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        pagination: { kind: 'link_header' },
        pages: [[1], [2]],
        hostile: { repeatLastPage: true },
      }),
    );
    expect((await getJson(`${api.url}/logs?page=1`)).headers.get('link')).toBe(`<${api.url}/logs?page=0>; rel="next"`);
  });

  it('serves empty pages that claim more, forever', async () => {
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        recordsPath: 'data',
        pagination: { kind: 'cursor_has_more', tokenPath: 'cursor', hasMorePath: 'has_more', param: 'cursor' },
        pages: [],
        hostile: { emptyPagesForever: true },
      }),
    );
    let cursor = '';
    for (let i = 1; i <= 5; i++) {
      const body = (await getJson(`${api.url}/logs${cursor === '' ? '' : `?cursor=${cursor}`}`)).body as {
        data: unknown[];
        cursor: string;
        has_more: boolean;
      };
      expect(body).toEqual({ data: [], cursor: `mock-empty-${i}`, has_more: true });
      cursor = body.cursor;
    }
    await api.close();
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        pagination: { kind: 'link_header' },
        pages: [[1]],
        hostile: { emptyPagesForever: true },
      }),
    );
    const empty = await getJson(`${api.url}/logs?page=7`);
    expect([empty.body, empty.headers.get('link')]).toEqual([[], `<${api.url}/logs?page=8>; rel="next"`]);
  });

  it('polling: the last page links to itself', async () => {
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        pagination: { kind: 'link_header' },
        pages: [[1], [2]],
        hostile: { pollingLink: true },
      }),
    );
    expect((await getJson(`${api.url}/logs?a=b`)).headers.get('link')).toBe(`<${api.url}/logs?a=b&page=1>; rel="next"`);
    expect((await getJson(`${api.url}/logs?a=b&page=1`)).headers.get('link')).toBe(
      `<${api.url}/logs?a=b&page=1>; rel="next"`,
    );
  });

  it('pads a page past a size, with or without Content-Length, and streams an endless body', async () => {
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        recordsPath: 'data',
        pagination: { kind: 'page_token', tokenPath: 'next', param: 'page_token' },
        pages: tokenPages(3),
        hostile: { oversized: { page: 1, bytes: 3_000_000, chunked: true }, endlessBody: { page: 2 } },
      }),
    );
    const big = await fetch(`${api.url}/logs?page_token=t1`);
    expect(big.headers.get('content-length')).toBeNull();
    const text = await big.text();
    expect([text.length, JSON.parse(text)]).toEqual([3_000_000, tokenPages(3)[1]]);

    const endless = await fetch(`${api.url}/logs?page_token=t2`);
    const reader = endless.body!.getReader();
    let got = 0;
    let head = '';
    while (got < 5_000_000) {
      const { value } = await reader.read();
      if (head === '') head = Buffer.from(value!.subarray(0, 30)).toString('utf8');
      got += value!.length;
    }
    await reader.cancel();
    expect(head.startsWith('{"data":[{"id":"endless"},')).toBe(true);
    const rec = api.requests.at(-1)!;
    await new Promise((r) => setTimeout(r, 100));
    const stopped = rec.bytesSent!;
    await new Promise((r) => setTimeout(r, 200));
    // The mock stops writing once the client has gone away.
    expect(rec.bytesSent).toBe(stopped);
    expect(stopped).toBeGreaterThanOrEqual(5_000_000);
  });

  it('inserts a record nested 10,000 levels deep, built as text', async () => {
    api = await startMockApi(
      normalizeScenario({
        path: '/logs',
        recordsPath: 'data',
        pages: [{ data: [{ id: 'a' }, { id: 'b' }] }],
        hostile: { deepRecord: { page: 0, index: 1, depth: 10_000, fields: { id: 'deep' } } },
      }),
    );
    const text = await (await fetch(`${api.url}/logs`)).text();
    expect(text.startsWith('{"data":[{"id":"a"},{"id":"deep","nested":{"a":{"a":')).toBe(true);
    // 9,999 nested objects and the record's own brace: 10,000 levels.
    expect(text.endsWith('null' + '}'.repeat(10_000) + ',{"id":"b"}]}')).toBe(true);
    expect(deepRecordText(3, {}, 'array')).toBe('{"nested":[[null]]}');
  });

  it('ties timestamps across every page boundary', () => {
    const records = tiedRecords(3, 3);
    expect(records.map((r) => r.ts.slice(17, 19))).toEqual(['01', '02', '03', '03', '04', '05', '05', '06', '07']);
    expect(tiedRecords(2, 2, 'newest_first').map((r) => r.id)).toEqual(['t4', 't3', 't2', 't1']);
  });

  it('fails a page permanently by reset or hang, switchable between runs', async () => {
    api = await startMockApi(normalizeScenario({ path: '/logs', pages: [[1]], failPage: 0, failMode: 'reset' }));
    await expect(fetch(`${api.url}/logs`)).rejects.toThrow();
    api.setFailPage(0, 'hang');
    await expect(fetch(`${api.url}/logs`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    api.setFailPage(undefined);
    expect((await getJson(`${api.url}/logs`)).body).toEqual([1]);
    expect(api.requests.map((r) => r.status)).toEqual([0, 0, 200]);
  });
});
