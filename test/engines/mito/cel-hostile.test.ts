/**
 * The generated CEL programs against a hostile vendor API (`test/mock-api/`, `MockHostile`), run on
 * mito as the Elastic Agent runs them (`agent.ts`, with the input's redirect policy through
 * `mito-agent`): credentials echoed in error answers in every encoding, next links and redirects
 * to another origin, URL settings with user information, page positions that repeat or hold a
 * credential, empty pages forever, polling links, oversized, endless and deeply nested bodies.
 *
 * Every test searches what the Agent would publish, persist and log (events, persisted cursors,
 * the DEBUG state log) and every request that reached the other origin for every credential in
 * every form (`leaks.ts`), checks that no record is lost, and that requests stay bounded.
 */
import { describe, expect, it } from 'vitest';
import type { AuthIR, IntegrationIR, PaginationIR, SourceIR } from '../../../compiler/ir.ts';
import { hostileCredential } from '../../mock-api/hostile.ts';
import { findLeaks } from '../../mock-api/leaks.ts';
import type { MockApi } from '../../mock-api/server.ts';
import { CelAgent } from './agent.ts';
import { compileStream, cursorSteps, fleetVars, messages, withApi } from './harness.ts';
import { celIR, LOC, nv, secret, setting, t } from '../../support/ir.ts';

type Json = Record<string, unknown>;

const RECORDS = [1, 2, 3, 4, 5, 6].map((n) => ({ id: `e${n}`, ts: `2024-11-1${n}T08:00:00.00000${n}Z` }));

const PAGE_TOKEN: PaginationIR = {
  kind: 'page_token',
  tokenPath: ['next'],
  param: { in: 'query', name: 'page_token' },
  loc: LOC,
};
const MOCK_PAGE_TOKEN = { kind: 'page_token', tokenPath: 'next', param: 'page_token' };
/** Three pages of two records, chained by page tokens. */
const TOKEN_PAGES = [
  { data: RECORDS.slice(0, 2), next: 'p2' },
  { data: RECORDS.slice(2, 4), next: 'p3' },
  { data: RECORDS.slice(4) },
];

/** Everything the Agent would publish, persist or log, and what reached the other origin. */
function exposed(agents: readonly CelAgent[], published: readonly Json[], api: MockApi): string {
  return JSON.stringify([
    published,
    agents.map((a) => [a.loggedStates, a.persistHistory, a.persistedCursor ?? null]),
    api.foreign?.requests ?? [],
  ]);
}

function expectNoLeaks(agents: readonly CelAgent[], published: readonly Json[], api: MockApi, secrets: string[]): void {
  const leaks = findLeaks(exposed(agents, published, api), [...secrets, ...api.issuedTokens]);
  expect(leaks).toEqual([]);
}

/** Runs `runs` periodic runs of `agent`, returning every published event. */
async function runs(agent: CelAgent, count: number): Promise<{ published: Json[]; errors: Json[] }> {
  const published: Json[] = [];
  const errors: Json[] = [];
  for (let i = 0; i < count; i++) {
    const r = await agent.periodicRun();
    published.push(...r.published);
    errors.push(...r.errors);
  }
  return { published, errors };
}

const records = (events: readonly Json[]): unknown[] => messages(events.filter((e) => !('error' in e)));
const errorMessages = (errors: readonly Json[]): string[] =>
  errors.map((e) => String((e.error as Json | undefined)?.message));

/** One auth kind, as the IR and the mock API see it. */
interface AuthCase {
  readonly name: string;
  readonly auth: AuthIR;
  readonly secrets: readonly string[];
  readonly mock: Json;
}

const AUTH_CASES: readonly AuthCase[] = [
  {
    name: 'a header secret',
    auth: { kind: 'header', header: 'X-Api-Key', secret: 'api_key', loc: LOC },
    secrets: ['api_key'],
    mock: { kind: 'header', header: 'X-Api-Key', secret: 'api_key' },
  },
  {
    name: 'a bearer token',
    auth: { kind: 'bearer', secret: 'api_token', loc: LOC },
    secrets: ['api_token'],
    mock: { kind: 'bearer', secret: 'api_token' },
  },
  {
    name: 'HTTP basic',
    auth: { kind: 'basic', username: { kind: 'secret', name: 'user' }, password: 'password', loc: LOC },
    secrets: ['user', 'password'],
    mock: { kind: 'basic', username: 'user', password: 'password' },
  },
  {
    name: 'a token exchange',
    auth: {
      kind: 'token_exchange',
      request: {
        method: 'POST',
        url: t(setting('base_url'), '/auth/login'),
        headers: [],
        query: [],
        body: {
          kind: 'object',
          entries: [
            { key: 'key', value: { kind: 'string', template: t(secret('api_key')) } },
            { key: 'secret', value: { kind: 'string', template: t(secret('api_secret')) } },
          ],
        },
      },
      tokenPath: ['token'],
      lifetimeSeconds: 3600,
      renewBeforeSeconds: 60,
      header: nv('Authorization', t('Bearer ', { kind: 'token' })),
      loc: LOC,
    },
    secrets: ['api_key', 'api_secret'],
    mock: { kind: 'token_exchange', path: '/auth/login', body: { key: 'api_key', secret: 'api_secret' } },
  },
  {
    name: 'OAuth2 client credentials',
    auth: {
      kind: 'oauth2_client_credentials',
      tokenUrl: t(setting('base_url'), '/oauth/token'),
      clientId: { kind: 'secret', name: 'client_id' },
      clientSecret: 'client_secret',
      scopes: ['read'],
      loc: LOC,
    },
    secrets: ['client_id', 'client_secret'],
    mock: { kind: 'oauth2', path: '/oauth/token', clientId: 'client_id', clientSecret: 'client_secret' },
  },
];

function authIR(c: AuthCase, source: Partial<SourceIR> = {}): IntegrationIR {
  return celIR({ auth: c.auth, pagination: PAGE_TOKEN, ...source }, c.secrets);
}

function hostileCredentials(c: AuthCase): Record<string, string> {
  return Object.fromEntries(c.secrets.map((s) => [s, hostileCredential(s)]));
}

describe('CEL input on mito against a hostile API: credentials', () => {
  for (const [i, c] of AUTH_CASES.entries()) {
    it(`${c.name}: error answers echoing the credentials in every encoding leak nothing; no record lost`, async () => {
      const credentials = hostileCredentials(c);
      await withApi(
        {
          path: '/v1/events',
          auth: c.mock,
          credentials,
          pagination: MOCK_PAGE_TOKEN,
          recordsPath: 'data',
          pages: TOKEN_PAGES,
          // Each answer to page 1 is an error until the sixth (the 429 is retried at once, no
          // Retry-After); 401 also drops a cached token.
          faults: [
            { page: 1, status: 429 },
            { page: 1, status: 400 },
            { page: 1, status: 401 },
            { page: 1, status: 403 },
            { page: 1, status: 500 },
          ],
          hostile: { echoCredentials: i % 2 === 0 ? 'json' : 'text' },
        },
        async (api) => {
          const ir = authIR(c);
          const { agent } = compileStream(ir, ir.streams[0]!, fleetVars(ir, { base_url: api.url, ...credentials }));
          const all = await runs(agent, 5);
          expect(records(all.published)).toEqual([...RECORDS.slice(0, 2), ...RECORDS.slice(2)]);
          expect(all.errors.map((e) => (e.error as Json).code)).toEqual(['400', '401', '403', '500']);
          // The echoes were there to be leaked: every error answer carried the credentials.
          expect(api.requests.filter((r) => r.status >= 400)).toHaveLength(5);
          expectNoLeaks([agent], all.published, api, Object.values(credentials));
        },
      );
    });
  }

  for (const c of AUTH_CASES.filter(
    (x) => x.auth.kind === 'token_exchange' || x.auth.kind === 'oauth2_client_credentials',
  )) {
    it(`${c.name}: a refused login echoing the credentials sent leaks nothing`, async () => {
      const wrong = hostileCredentials(c);
      await withApi(
        {
          path: '/v1/events',
          auth: c.mock,
          pagination: MOCK_PAGE_TOKEN,
          recordsPath: 'data',
          pages: TOKEN_PAGES,
          hostile: { echoCredentials: 'json' },
        },
        async (api, right) => {
          const ir = authIR(c);
          const { agent } = compileStream(ir, ir.streams[0]!, fleetVars(ir, { base_url: api.url, ...wrong }));
          const run = await agent.periodicRun();
          expect(run.published).toEqual(run.errors);
          expect(errorMessages(run.errors)).toEqual([
            expect.stringMatching(
              /^POST \{base_url\}\/(auth\/login|oauth\/token): HTTP 401 Unauthorized, \d+ bytes \(application\/json\)$/,
            ),
          ]);
          expect(api.requests.map((r) => [r.endpoint, r.status])).toEqual([['token', 401]]);
          expectNoLeaks([agent], run.published, api, [...Object.values(wrong), ...Object.values(right)]);
        },
      );
    });
  }

  it('a URL setting with user information is refused before any request, naming only its Fleet variable (url for the base URL)', async () => {
    const c = AUTH_CASES[1]!;
    await withApi(
      { path: '/v1/events', auth: c.mock, pagination: MOCK_PAGE_TOKEN, recordsPath: 'data', pages: TOKEN_PAGES },
      async (api, creds) => {
        const ir = authIR(c);
        const base = api.url.replace('http://', 'http://svc:pa%20ss@');
        const { agent } = compileStream(ir, ir.streams[0]!, fleetVars(ir, { base_url: base, ...creds }));
        const run = await agent.periodicRun();
        expect(errorMessages(run.errors)).toEqual([
          'GET {base_url}/v1/events: URL settings with user information are refused (put credentials in secrets): url',
        ]);
        expect(api.requests).toEqual([]);
        expect(agent.persistHistory).toEqual([]);
      },
    );
  });
});

describe('CEL input on mito against a hostile API: other origins', () => {
  const c = AUTH_CASES[0]!; // X-Api-Key: a custom header, which Go forwards on any redirect.

  it('a Link next URL on another origin is not followed: error event, committed cursor kept, records of the page kept', async () => {
    const credentials = hostileCredentials(c);
    await withApi(
      {
        path: '/v1/events',
        auth: c.mock,
        credentials,
        pagination: { kind: 'link_header', pageParam: 'page' },
        recordsPath: 'data',
        pages: [{ data: RECORDS.slice(0, 2) }, { data: RECORDS.slice(2, 4) }, { data: RECORDS.slice(4) }],
        hostile: { foreignLink: { page: 1 } },
      },
      async (api) => {
        const ir = celIR({ auth: c.auth, pagination: { kind: 'link_header', loc: LOC } }, c.secrets);
        const { agent } = compileStream(ir, ir.streams[0]!, fleetVars(ir, { base_url: api.url, ...credentials }));
        const all = await runs(agent, 2);
        expect(api.foreign?.requests).toEqual([]);
        expect(errorMessages(all.errors)).toEqual(
          Array(2).fill(
            'GET {base_url}/v1/events: the next page link is not on the origin of the request URL; it is not followed (credentials go to the configured origin only)',
          ),
        );
        // Page 0, then page 1 (published), whose link is refused; the next run resumes at page 1 and
        // is refused again. No record of the other origin.
        expect(records(all.published)).toEqual([...RECORDS.slice(0, 4), ...RECORDS.slice(2, 4)]);
        expect(api.requests.map((r) => r.page)).toEqual([0, 1, 1]);
        // The cursor stays at page 1, inside the sequence: nothing committed.
        expect(cursorSteps(agent.persistHistory).map((s) => s.next)).toEqual(
          Array(3).fill(`${api.url}/v1/events?page=1`),
        );
        expectNoLeaks([agent], all.published, api, Object.values(credentials));
      },
    );
  });

  for (const status of [301, 302, 303, 307, 308] as const) {
    it(`a ${status} redirect to another origin is refused by the input's client: nothing reaches it, cursor kept`, async () => {
      const credentials = hostileCredentials(c);
      await withApi(
        {
          path: '/v1/events',
          auth: c.mock,
          credentials,
          pagination: MOCK_PAGE_TOKEN,
          recordsPath: 'data',
          pages: TOKEN_PAGES,
          hostile: { redirect: { page: 1, status, to: 'foreign' } },
        },
        async (api) => {
          const ir = authIR(c);
          const { config, agent } = compileStream(
            ir,
            ir.streams[0]!,
            fleetVars(ir, { base_url: api.url, ...credentials }),
          );
          expect(config['resource.redirect.max_redirects']).toBe(0);
          const run = await agent.periodicRun();
          expect(api.foreign?.requests).toEqual([]);
          expect(errorMessages(run.errors)).toEqual([
            'GET {base_url}/v1/events: request failed: the API answered with a redirect, which is refused (credentials go to the configured origin only)',
          ]);
          expect(records(run.published)).toEqual(RECORDS.slice(0, 2));
          expect(cursorSteps(agent.persistHistory)).toEqual([{ committed: undefined, next: 'p2', eventsPublished: 2 }]);
          expectNoLeaks([agent], run.published, api, Object.values(credentials));
        },
      );
    });
  }

  it("without the option, Go's own redirect policy takes the credentials to the other origin; its answer is still refused", async () => {
    const credentials = hostileCredentials(c);
    await withApi(
      {
        path: '/v1/events',
        auth: c.mock,
        credentials,
        pagination: MOCK_PAGE_TOKEN,
        recordsPath: 'data',
        pages: TOKEN_PAGES,
        hostile: { redirect: { page: 0, status: 302, to: 'foreign' } },
      },
      async (api) => {
        const ir = authIR(c);
        const { config } = compileStream(ir, ir.streams[0]!, fleetVars(ir, { base_url: api.url, ...credentials }));
        const { ['resource.redirect.max_redirects']: _refused, ...withoutOption } = config;
        const run = await new CelAgent(withoutOption).periodicRun();
        // Go net/http forwards every header of the first request but Authorization, Cookie and
        // their kin, and those only to another host name (client.go makeHeadersCopier): why the
        // template refuses redirects.
        expect(api.foreign?.requests.map((r) => r.headers['x-api-key'])).toEqual([credentials.api_key]);
        // The records the other origin answered are not published.
        expect(errorMessages(run.errors)).toEqual([
          'GET {base_url}/v1/events: the API redirected the request to another origin; the answer is not used (credentials go to the configured origin only)',
        ]);
        expect(records(run.published)).toEqual([]);
      },
    );
  });

  it('a same-origin redirect is refused too (the input cannot tell origins apart): error event, cursor kept', async () => {
    await withApi(
      {
        path: '/v1/events',
        pagination: MOCK_PAGE_TOKEN,
        recordsPath: 'data',
        pages: TOKEN_PAGES,
        hostile: { redirect: { page: 1, status: 307, to: 'same' } },
      },
      async (api) => {
        const ir = celIR({ pagination: PAGE_TOKEN });
        const { agent } = compileStream(ir, ir.streams[0]!, fleetVars(ir, { base_url: api.url }));
        const run = await agent.periodicRun();
        expect(errorMessages(run.errors)).toEqual([
          'GET {base_url}/v1/events: request failed: the API answered with a redirect, which is refused (credentials go to the configured origin only)',
        ]);
        expect(cursorSteps(agent.persistHistory).at(-1)?.next).toBe('p2');
      },
    );
  });
});

/** A record_max cursor over `ts`, sent as `since`, from a backfill start. */
const SINCE_CURSOR: Partial<SourceIR> = {
  request: {
    method: 'GET',
    url: t(setting('base_url'), '/v1/events'),
    headers: [],
    query: [nv('since', t({ kind: 'cursor' }))],
  },
  cursor: {
    kind: 'record_max',
    field: ['ts'],
    format: { kind: 'iso8601' },
    initial: { setting: 'backfill_start', lookbackSeconds: 0 },
    loc: LOC,
  },
};
const BACKFILL = '2024-01-01T00:00:00Z';

interface PagingCase {
  readonly name: string;
  readonly pagination: PaginationIR;
  readonly mock: Json;
  readonly pages: readonly Json[];
}

const HAS_MORE: PaginationIR = {
  kind: 'cursor_has_more',
  tokenPath: ['next'],
  hasMorePath: ['has_more'],
  param: { in: 'query', name: 'cursor' },
  loc: LOC,
};

const PAGING: readonly PagingCase[] = [
  { name: 'page_token', pagination: PAGE_TOKEN, mock: MOCK_PAGE_TOKEN, pages: TOKEN_PAGES },
  {
    name: 'cursor_has_more',
    pagination: HAS_MORE,
    mock: { kind: 'cursor_has_more', tokenPath: 'next', hasMorePath: 'has_more', param: 'cursor' },
    pages: [
      { data: RECORDS.slice(0, 2), next: 'c2', has_more: true },
      { data: RECORDS.slice(2, 4), next: 'c3', has_more: true },
      { data: RECORDS.slice(4), has_more: false },
    ],
  },
  {
    name: 'link_header',
    pagination: { kind: 'link_header', loc: LOC },
    mock: { kind: 'link_header', pageParam: 'page' },
    pages: [{ data: RECORDS.slice(0, 2) }, { data: RECORDS.slice(2, 4) }, { data: RECORDS.slice(4) }],
  },
];

function pagingAgent(api: MockApi, c: PagingCase, source: Partial<SourceIR> = {}): CelAgent {
  const ir = celIR({ pagination: c.pagination, ...SINCE_CURSOR, ...source });
  return compileStream(ir, ir.streams[0]!, fleetVars(ir, { base_url: api.url, backfill_start: BACKFILL })).agent;
}

function pagingScenario(c: PagingCase, extra: Json): Json {
  return {
    path: '/v1/events',
    pagination: c.mock,
    recordsPath: 'data',
    pages: c.pages,
    since: { param: 'since', field: 'ts' },
    ...extra,
  };
}

const LOOP =
  'GET {base_url}/v1/events: pagination loop: the next page position repeats one already fetched in this page sequence; the sequence is discarded';

describe('CEL input on mito against a hostile API: pagination that does not advance', () => {
  for (const c of PAGING) {
    it(`${c.name}: a position that repeats ends each run with one error event; the committed cursor stays`, async () => {
      await withApi(pagingScenario(c, { hostile: { repeatLastPage: true } }), async (api) => {
        const agent = pagingAgent(api, c);
        const first = await agent.periodicRun();
        expect(errorMessages(first.errors)).toEqual([LOOP]);
        // Every record once, then the page fetched again (its records again) before the loop is seen.
        expect(records(first.published).slice(0, 6)).toEqual(RECORDS);
        const perRun = api.requests.length;
        expect(perRun).toBe(4);
        // The sequence is discarded: the committed cursor alone, unchanged.
        expect(agent.persistedCursor).toEqual({ max: BACKFILL });
        const second = await agent.periodicRun();
        expect(errorMessages(second.errors)).toEqual([LOOP]);
        expect(api.requests).toHaveLength(2 * perRun);
        expect(api.requests[perRun]?.query).toEqual({ since: BACKFILL });
      });
    });
  }

  for (const c of PAGING.filter((x) => x.name !== 'link_header')) {
    it(`${c.name}: empty pages that claim more forever: the fourth ends the run; the committed cursor stays`, async () => {
      await withApi(pagingScenario(c, { hostile: { emptyPagesForever: true } }), async (api) => {
        const agent = pagingAgent(api, c);
        const run = await agent.periodicRun();
        expect(errorMessages(run.errors)).toEqual([
          'GET {base_url}/v1/events: pagination loop: 4 pages in a row without records while the API claims more; the sequence is discarded',
        ]);
        expect(records(run.published)).toEqual(RECORDS);
        expect(api.requests).toHaveLength(3 + 4);
        expect(agent.persistedCursor).toEqual({ max: BACKFILL });
      });
    });
  }

  it('link_header: a page without records ends the sequence normally and commits the cursor (issue 9 item 11)', async () => {
    const c = PAGING[2]!;
    await withApi(pagingScenario(c, { hostile: { emptyPagesForever: true } }), async (api) => {
      const agent = pagingAgent(api, c);
      const run = await agent.periodicRun();
      expect(run.errors).toEqual([]);
      expect(records(run.published)).toEqual(RECORDS);
      expect(api.requests.map((r) => r.page)).toEqual([0, 1, 2, 3]);
      expect(agent.persistedCursor).toEqual({ max: RECORDS[5]!.ts });
      // Nothing new: one request a run.
      await agent.periodicRun();
      expect(api.requests).toHaveLength(5);
      expect(api.requests[4]?.query.since).toBe(RECORDS[5]!.ts);
    });
  });

  it('link_header: a next link to the page just fetched (polling APIs) ends the sequence; nothing new costs one request a run', async () => {
    const c = PAGING[2]!;
    await withApi(pagingScenario(c, { hostile: { pollingLink: true } }), async (api) => {
      const agent = pagingAgent(api, c);
      const first = await agent.periodicRun();
      expect(first.errors).toEqual([]);
      expect(records(first.published)).toEqual(RECORDS);
      expect(api.requests).toHaveLength(3);
      expect(cursorSteps(agent.persistHistory).at(-1)).toEqual({ committed: RECORDS[5]!.ts, eventsPublished: 7 });
      for (let i = 1; i <= 3; i++) {
        const again = await agent.periodicRun();
        expect(again.published).toEqual([]);
        expect(api.requests).toHaveLength(3 + i);
      }
    });
  });

  it('a resumed request refused with 400 (an expired page token) discards the sequence, which starts again at its first page', async () => {
    const c = PAGING[0]!;
    await withApi(
      pagingScenario(c, { faults: [{ page: 1, status: 400 }], hostile: { echoCredentials: 'json' } }),
      async (api) => {
        const agent = pagingAgent(api, c, { maxPagesPerRun: 1 });
        const first = await agent.periodicRun();
        expect(cursorSteps(agent.persistHistory)).toEqual([
          { committed: BACKFILL, eventsPublished: 1 },
          { committed: BACKFILL, next: 'p2', eventsPublished: 3 },
        ]);
        const second = await agent.periodicRun();
        expect(errorMessages(second.errors)).toEqual([
          expect.stringMatching(
            /^GET \{base_url\}\/v1\/events: HTTP 400 Bad Request, \d+ bytes \(application\/json\); the resumed page sequence is discarded and starts again at its first page$/,
          ),
        ]);
        expect(agent.persistedCursor).toEqual({ max: BACKFILL });
        const rest = await runs(agent, 4);
        expect(rest.errors).toEqual([]);
        expect(records([...first.published, ...second.published, ...rest.published])).toEqual([
          ...RECORDS.slice(0, 2),
          ...RECORDS,
        ]);
        expect(agent.persistedCursor).toEqual({ max: RECORDS[5]!.ts });
        expect(api.requests.map((r) => [r.query.page_token, r.status])).toEqual([
          [undefined, 200],
          ['p2', 400],
          [undefined, 200],
          ['p2', 200],
          ['p3', 200],
          [undefined, 200],
        ]);
      },
    );
  });

  for (const status of [401, 403] as const) {
    it(`a resumed request refused with ${status} keeps the sequence: the next run resumes it`, async () => {
      const c = PAGING[0]!;
      await withApi(pagingScenario(c, { faults: [{ page: 1, status }] }), async (api) => {
        const agent = pagingAgent(api, c, { maxPagesPerRun: 1 });
        await agent.periodicRun();
        const second = await agent.periodicRun();
        expect(second.errors.map((e) => (e.error as Json).code)).toEqual([String(status)]);
        expect(cursorSteps([{ cursor: agent.persistedCursor!, eventsPublished: 0 }])[0]?.next).toBe('p2');
        await agent.periodicRun();
        expect(api.requests.map((r) => [r.query.page_token, r.status])).toEqual([
          [undefined, 200],
          ['p2', status],
          ['p2', 200],
        ]);
      });
    });
  }

  const positions: readonly [string, (cred: string) => string][] = [
    ['as is', (cred) => `next-${cred}`],
    ['URL-encoded', (cred) => `next-${encodeURIComponent(cred)}`],
    ['base64', (cred) => `next-${Buffer.from(cred).toString('base64')}`],
  ];
  for (const [form, position] of positions) {
    it(`a next page token holding the credential ${form} is neither followed nor stored`, async () => {
      const c = AUTH_CASES[1]!;
      const credentials = hostileCredentials(c);
      const pages = [{ data: RECORDS.slice(0, 2), next: position(credentials.api_token!) }, { data: RECORDS.slice(2) }];
      await withApi(
        { path: '/v1/events', auth: c.mock, credentials, pagination: MOCK_PAGE_TOKEN, recordsPath: 'data', pages },
        async (api) => {
          const ir = authIR(c);
          const { agent } = compileStream(ir, ir.streams[0]!, fleetVars(ir, { base_url: api.url, ...credentials }));
          const run = await agent.periodicRun();
          expect(errorMessages(run.errors)).toEqual([
            'GET {base_url}/v1/events: the next page position sent by the API contains a credential; it is neither followed nor stored',
          ]);
          expect(records(run.published)).toEqual(RECORDS.slice(0, 2));
          expect(api.requests).toHaveLength(1);
          expectNoLeaks([agent], run.published, api, Object.values(credentials));
        },
      );
    });
  }
});

describe('CEL input on mito against a hostile API: bodies', () => {
  const c = PAGING[0]!;

  it('an endless body stops at resource.max_body_size (64 MiB): error event, cursor kept at that page', async () => {
    await withApi(pagingScenario(c, { hostile: { endlessBody: { page: 1 } } }), async (api) => {
      const agent = pagingAgent(api, c);
      const run = await agent.periodicRun();
      expect(errorMessages(run.errors)).toEqual([
        'GET {base_url}/v1/events: request failed: the response is larger than 67108864 bytes (resource.max_body_size)',
      ]);
      expect(records(run.published)).toEqual(RECORDS.slice(0, 2));
      expect(cursorSteps(agent.persistHistory).at(-1)?.next).toBe('p2');
      // The client stopped reading: what the server could write is bounded by socket buffers.
      expect(api.requests[1]?.bytesSent).toBeLessThan(96 * 1024 * 1024);
    });
  });

  for (const chunked of [false, true]) {
    it(`an oversized body (${chunked ? 'chunked' : 'with Content-Length'}) over the configured limit fails the request`, async () => {
      await withApi(
        pagingScenario(c, { hostile: { oversized: { page: 0, bytes: 3 * 1024 * 1024, chunked } } }),
        async (api) => {
          const ir = celIR({ pagination: c.pagination, ...SINCE_CURSOR });
          const { config } = compileStream(
            ir,
            ir.streams[0]!,
            fleetVars(ir, { base_url: api.url, backfill_start: BACKFILL }),
          );
          const agent = new CelAgent({ ...config, 'resource.max_body_size': 1024 * 1024 });
          const run = await agent.periodicRun();
          expect(errorMessages(run.errors)).toEqual([
            expect.stringMatching(/^GET \{base_url\}\/v1\/events: request failed: the response is larger than/),
          ]);
          // Only the initial cursor, saved before the first request.
          expect(agent.persistHistory.map((h) => h.cursor)).toEqual([{ max: BACKFILL }]);
        },
      );
    });
  }

  it('a record nested 5,000 levels deep passes through as its JSON text', async () => {
    await withApi(
      pagingScenario(c, {
        hostile: { deepRecord: { page: 0, depth: 5000, fields: { id: 'deep', ts: RECORDS[0]!.ts } } },
      }),
      async (api) => {
        const agent = pagingAgent(api, c);
        const run = await agent.periodicRun();
        expect(run.errors).toEqual([]);
        const texts = run.published.map((e) => String(e.message));
        expect(texts).toHaveLength(7);
        expect(texts[0]!.length).toBeGreaterThan(5000 * 6);
      },
    );
  });

  it("a record nested deeper than Go's JSON decoder allows (10,000) is an error event; the cursor stays", async () => {
    await withApi(
      pagingScenario(c, {
        hostile: { deepRecord: { page: 1, depth: 10_001, fields: { id: 'deep', ts: RECORDS[2]!.ts } } },
      }),
      async (api) => {
        const agent = pagingAgent(api, c);
        const run = await agent.periodicRun();
        expect(errorMessages(run.errors)).toEqual([
          expect.stringMatching(
            /^GET \{base_url\}\/v1\/events: HTTP 200 OK, \d+ bytes \(application\/json\); the body is not JSON$/,
          ),
        ]);
        expect(cursorSteps(agent.persistHistory).at(-1)?.next).toBe('p2');
      },
    );
  });
});
