/**
 * The bundled maps' CEL input programs, run on mito (Elastic's CEL runtime) against the mock
 * vendor API, evaluation after evaluation as the Elastic Agent runs them (see `agent.ts`).
 */
import { describe, expect, it } from 'vitest';
import type { IntegrationIR } from '../../../compiler/ir.ts';
import { instantNanos, loadScenario, startMockApi, type MockApi, type MockScenario } from '../../mock-api/server.ts';
import { loadFixtureIR, loadFixtureRecords } from '../../support/fixtures.ts';
import { CelAgent } from './agent.ts';
import { allStrings, compileStream, cursorSteps, fleetVars, messages } from './harness.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSource } from '../../../compiler/compile.ts';
import { REPO_ROOT } from '../../support/fixtures.ts';
import { renameIntegration } from '../../support/rename-integration.ts';

type Json = Record<string, unknown>;

/** Every value a test must never find in events or logged state. */
function secretsOf(scenario: MockScenario, api: MockApi): string[] {
  return [...Object.values(scenario.credentials), ...api.issuedTokens];
}

function expectNoSecrets(values: unknown, secrets: readonly string[]): void {
  const strings = allStrings(values);
  for (const secret of secrets) expect(strings.filter((s) => s.includes(secret))).toEqual([]);
}

describe('Endor Labs audit on mito: token exchange, page_token, record_max cursor', () => {
  const ir: IntegrationIR = loadFixtureIR('endor_labs');
  const stream = ir.streams[0]!;
  const records = loadFixtureRecords('endor_labs', 'audit');
  const base = loadScenario('endor_labs', 'audit');
  const newest = records
    .map((r) => (r as { meta: { create_time: string } }).meta.create_time)
    .reduce((a, b) => (instantNanos(b)! > instantNanos(a)! ? b : a));

  const start = async (scenario: MockScenario): Promise<{ api: MockApi; vars: Record<string, unknown> }> => {
    const api = await startMockApi(scenario);
    const vars = fleetVars(ir, {
      base_url: api.url,
      namespace: 'acme-corp',
      backfill_start: '2024-11-01T00:00:00Z',
      api_key: scenario.credentials.api_key,
      api_secret: scenario.credentials.api_secret,
    });
    return { api, vars };
  };

  it('emits every record once, in order, logs in once, persists each page with the sequence in progress, commits the cursor with the last page, and a rerun emits nothing', async () => {
    const { api, vars } = await start(base);
    try {
      const { agent } = compileStream(ir, stream, vars);
      const run = await agent.periodicRun();
      expect(run.errors).toEqual([]);
      expect(messages(run.published)).toEqual(records);
      // The initial cursor first (no request), then one evaluation per page.
      expect(run.evaluations).toBe(4);
      expect(run.dropped).toEqual([{ mapc_control: 'initial_cursor' }]);

      // One login, reused for the three pages; every data request carries the issued token.
      const logins = api.requests.filter((r) => r.endpoint === 'token');
      expect(logins.map((r) => [r.method, r.status, JSON.parse(r.body)])).toEqual([
        ['POST', 200, { key: base.credentials.api_key, secret: base.credentials.api_secret }],
      ]);
      const data = api.requests.filter((r) => r.endpoint === 'data');
      expect(data.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(data.every((r) => r.headers.authorization === `Bearer ${api.issuedTokens[0]}`)).toBe(true);
      // Every page of the pagination sends the same filter (the cursor snapshot) and the previous page's token.
      expect(data.map((r) => r.query['list_parameters.filter'])).toEqual(
        Array(3).fill('meta.create_time > date(2024-11-01T00:00:00Z)'),
      );
      expect(data.map((r) => r.query['list_parameters.page_token'])).toEqual([
        undefined,
        'fixture-page-2',
        'fixture-page-3',
      ]);

      // Each page persists its cursor with its events: the committed cursor unchanged and the next
      // page's token while the sequence is in progress, the newest record time once it completes.
      // The first run saves the initial cursor before its first request.
      expect(cursorSteps(agent.persistHistory)).toEqual([
        { committed: '2024-11-01T00:00:00Z', eventsPublished: 1 },
        { committed: '2024-11-01T00:00:00Z', next: 'fixture-page-2', eventsPublished: 4 },
        { committed: '2024-11-01T00:00:00Z', next: 'fixture-page-3', eventsPublished: 7 },
        { committed: newest, eventsPublished: 1 + records.length },
      ]);

      // A restarted Agent with the saved cursor asks for newer records only and emits nothing.
      const again = new CelAgent(agent.config, agent.persistedCursor);
      const rerun = await again.periodicRun();
      expect(rerun.published).toEqual([]);
      expect(api.requests.at(-1)?.query['list_parameters.filter']).toBe(`meta.create_time > date(${newest})`);
      expect(again.persistedCursor).toEqual({ max: newest });

      expectNoSecrets([run.published, rerun.published, agent.loggedStates, again.loggedStates], secretsOf(base, api));
    } finally {
      await api.close();
    }
  });

  it('survives a 429 (waits Retry-After, same page again) and a 500 (error event, cursor kept, next run resumes at the failed page)', async () => {
    const scenario: MockScenario = {
      ...base,
      faults: [
        { page: 1, status: 429, retryAfter: { seconds: 1, format: 'seconds' } },
        { page: 2, status: 500 },
      ],
    };
    const { api, vars } = await start(scenario);
    try {
      const { agent } = compileStream(ir, stream, vars);
      const t0 = Date.now();
      const first = await agent.periodicRun();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
      // Pages 1 and 2 (3 records each) were published; page 3 answered 500: one error event, and
      // the persisted cursor still points at page 3 with the committed cursor unchanged.
      expect(messages(first.published.filter((e) => !('error' in e)))).toEqual(records.slice(0, 6));
      expect(first.errors).toEqual([
        {
          error: {
            code: '500',
            message:
              'GET {base_url}/v1/namespaces/{namespace}/audit-logs: HTTP 500 Internal Server Error, 24 bytes (application/json)',
          },
        },
      ]);
      expect(cursorSteps(agent.persistHistory).at(-1)).toEqual({
        committed: '2024-11-01T00:00:00Z',
        next: 'fixture-page-3',
        eventsPublished: 7,
      });

      // The next interval resumes at the failed page (same filter and token) and completes.
      const second = await agent.periodicRun();
      expect(second.errors).toEqual([]);
      expect(messages([...first.published, ...second.published].filter((e) => !('error' in e)))).toEqual(records);
      expect(agent.persistedCursor).toEqual({ max: newest });
      const data = api.requests.filter((r) => r.endpoint === 'data');
      expect(data.map((r) => [r.page, r.status])).toEqual([
        [0, 200],
        [1, 429],
        [1, 200],
        [2, 500],
        [2, 200],
      ]);
      expect(api.requests.filter((r) => r.endpoint === 'token')).toHaveLength(1);
      expectNoSecrets([first.published, second.published, agent.loggedStates], secretsOf(scenario, api));
    } finally {
      await api.close();
    }
  });

  it('logs in again when the data API rejects the cached token', async () => {
    const { api, vars } = await start(base);
    try {
      const { agent } = compileStream(ir, stream, vars);
      // A token the API never issued, cached as valid for hours.
      agent.state.auth = { token: 'stale-token', expires: new Date(Date.now() + 3_600_000).toISOString() };
      const first = await agent.periodicRun();
      expect(first.errors).toHaveLength(1);
      expect(first.errors[0]).toMatchObject({ error: { code: '401' } });
      const second = await agent.periodicRun();
      expect(messages(second.published)).toEqual(records);
      expect(api.requests.filter((r) => r.endpoint === 'token')).toHaveLength(1);
    } finally {
      await api.close();
    }
  });
});

describe('Entro audit on mito: raw header auth, daily time windows, split', () => {
  const ir: IntegrationIR = loadFixtureIR('entro');
  const stream = ir.streams[0]!;
  const records = loadFixtureRecords('entro', 'audit');
  const base = loadScenario('entro', 'audit');

  // The fixture days (12-14/11/2024) are served as the days 4, 3 and 2 before today, so that one
  // periodic run reaches "now" within its page cap; record contents are untouched.
  const day = (back: number): Date => {
    const t = new Date();
    return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() - back));
  };
  const ddmmyyyy = (d: Date): string =>
    `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
  const rfc3339 = (d: Date): string => d.toISOString().replace('.000Z', 'Z');
  /** Today so far: the 13th's first raw record, served only to the request without `to` (as Elastic's mock). */
  const today = {
    body: (base.pages[1]!.body as unknown[]).slice(0, 1),
    window: { from: ddmmyyyy(day(0)), open: true },
  };
  const shifted = (faults: MockScenario['faults'] = [], extra: MockScenario['pages'] = []): MockScenario => ({
    ...base,
    pages: [...base.pages.map((p, i) => ({ ...p, window: { from: ddmmyyyy(day(4 - i)) } })), ...extra],
    faults,
  });

  const start = async (scenario: MockScenario, lookBack = '96h'): Promise<{ api: MockApi; agent: CelAgent }> => {
    const api = await startMockApi(scenario);
    const vars = fleetVars(ir, {
      base_url: api.url,
      initial_interval: lookBack,
      api_token: scenario.credentials.api_token,
    });
    return { api, agent: compileStream(ir, stream, vars).agent };
  };

  it('starts initial_interval ago at a UTC midnight, fetches one day per evaluation, asks today without `to`, splits secrets, and persists each complete day with its events', async () => {
    const scenario = shifted([], [today]);
    const { api, agent } = await start(scenario);
    try {
      const run = await agent.periodicRun();
      expect(run.errors).toEqual([]);
      // Today's record (records[3]) comes from the open-ended request, after the complete days.
      expect(messages(run.published)).toEqual([...records, records[3]]);
      const windows = api.requests.map((r) => [r.query.from, r.query.to, r.status]);
      expect(windows).toEqual([
        ...[4, 3, 2, 1].map((back) => [ddmmyyyy(day(back)), ddmmyyyy(day(back - 1)), 200]),
        [ddmmyyyy(day(0)), undefined, 200],
      ]);
      expect(api.requests.every((r) => r.headers.authorization === scenario.credentials.api_token)).toBe(true);
      // The initial cursor first (96h ago aligned down to midnight, before any request); then each
      // complete day moves the cursor with its own events (empty days with a dropped control
      // event); today's incomplete window publishes its events with the cursor unmoved.
      expect(agent.persistHistory.map((h) => h.cursor)).toEqual(
        [4, 3, 2, 1, 0, 0].map((back) => ({ window_start: rfc3339(day(back)) })),
      );
      expect(run.dropped).toEqual([
        { mapc_control: 'initial_cursor' },
        { mapc_control: 'empty_page' },
        { mapc_control: 'empty_page' },
      ]);

      const again = new CelAgent(agent.config, agent.persistedCursor);
      const rerun = await again.periodicRun();
      // Today again (open-ended, not yet complete): at least once, same document id.
      expect(messages(rerun.published)).toEqual([records[3]]);
      expect([api.requests.at(-1)?.query.from, api.requests.at(-1)?.query.to]).toEqual([ddmmyyyy(day(0)), undefined]);
      expectNoSecrets([run.published, agent.loggedStates, again.loggedStates], secretsOf(scenario, api));
    } finally {
      await api.close();
    }
  });

  it('with a zero look-back, anchors the first (incomplete) window at today and keeps it until it completes', async () => {
    const { api, agent } = await start(shifted(), '0s');
    try {
      const first = await agent.periodicRun();
      expect(first.published).toEqual([]);
      expect(agent.persistedCursor).toEqual({ window_start: rfc3339(day(0)) });
      // A restart reads the same window again: the cursor does not slide with now.
      const again = new CelAgent(agent.config, agent.persistedCursor);
      await again.periodicRun();
      expect(again.persistedCursor).toEqual(agent.persistedCursor);
      expect(api.requests.map((r) => [r.query.from, r.query.to])).toEqual([
        [ddmmyyyy(day(0)), undefined],
        [ddmmyyyy(day(0)), undefined],
      ]);
    } finally {
      await api.close();
    }
  });

  it('survives a 429 and a 500 without losing or repeating a record', async () => {
    const scenario = shifted([
      { page: 0, status: 429, retryAfter: { seconds: 1, format: 'http-date' } },
      { page: 1, status: 500 },
    ]);
    const { api, agent } = await start(scenario);
    try {
      const first = await agent.periodicRun();
      expect(first.errors).toHaveLength(1);
      expect(agent.persistedCursor).toEqual({ window_start: rfc3339(day(3)) });
      const second = await agent.periodicRun();
      const all = [...first.published, ...second.published].filter((e: Json) => !('error' in e));
      expect(messages(all)).toEqual(records);
      expect(agent.persistedCursor).toEqual({ window_start: rfc3339(day(0)) });
      expectNoSecrets([all, agent.loggedStates], secretsOf(scenario, api));
    } finally {
      await api.close();
    }
  });
  it('with a scheme around the token (`auth header "Authorization" = "SSWS {secret.api_token}"`), sends `SSWS <token>` on every request and collects the same records', async () => {
    const source = readFileSync(join(REPO_ROOT, 'maps', 'entro.map'), 'utf8');
    const schemed = source.replace(
      'auth header "Authorization" = secret.api_token',
      'auth header "Authorization" = "SSWS {secret.api_token}"',
    );
    expect(schemed).not.toBe(source);
    const schemedIr = compileSource(schemed, 'entro.map').ir!;
    const scenario = { ...shifted(), auth: { ...base.auth, prefix: 'SSWS ' } } as MockScenario;
    const api = await startMockApi(scenario);
    try {
      const vars = fleetVars(schemedIr, {
        base_url: api.url,
        initial_interval: '96h',
        api_token: scenario.credentials.api_token,
      });
      const { agent } = compileStream(schemedIr, schemedIr.streams[0]!, vars);
      const run = await agent.periodicRun();
      expect(run.errors).toEqual([]);
      expect(messages(run.published)).toEqual(records);
      expect(api.requests.length).toBeGreaterThan(0);
      expect(api.requests.every((r) => r.headers.authorization === `SSWS ${scenario.credentials.api_token}`)).toBe(
        true,
      );
      expect(api.requests.every((r) => r.status === 200)).toBe(true);
    } finally {
      await api.close();
    }
  });
});

describe('Enpass events on mito: bearer token, cursor + has_more, record_max cursor', () => {
  const ir: IntegrationIR = loadFixtureIR('enpass');
  const stream = ir.streams[0]!;
  const records = loadFixtureRecords('enpass', 'events');
  const base = loadScenario('enpass', 'events');
  const newest = records
    .map((r) => (r as { created_at: string }).created_at)
    .reduce((a, b) => (instantNanos(b)! > instantNanos(a)! ? b : a));

  const start = async (scenario: MockScenario, backfill?: string): Promise<{ api: MockApi; agent: CelAgent }> => {
    const api = await startMockApi(scenario);
    const vars = fleetVars(ir, {
      base_url: api.url,
      api_token: scenario.credentials.api_token,
      ...(backfill ? { backfill_start: backfill } : {}),
    });
    return { api, agent: compileStream(ir, stream, vars).agent };
  };

  it('emits every record once, in order, sends the bearer token, commits the cursor with the last page; rerun emits nothing', async () => {
    const { api, agent } = await start(base, '2024-01-01T00:00:00Z');
    try {
      const run = await agent.periodicRun();
      expect(run.errors).toEqual([]);
      expect(messages(run.published)).toEqual(records);
      expect(
        api.requests.every(
          (r) => r.headers.authorization === `Bearer ${base.credentials.api_token}` && r.status === 200,
        ),
      ).toBe(true);
      expect(api.requests.map((r) => r.query.since)).toEqual(Array(api.requests.length).fill('2024-01-01T00:00:00Z'));
      expect(cursorSteps(agent.persistHistory)).toEqual([
        { committed: '2024-01-01T00:00:00Z', eventsPublished: 1 },
        { committed: '2024-01-01T00:00:00Z', next: 'fixture-cursor-2', eventsPublished: 3 },
        { committed: '2024-01-01T00:00:00Z', next: 'fixture-cursor-3', eventsPublished: 6 },
        { committed: newest, eventsPublished: 1 + records.length },
      ]);
      const again = new CelAgent(agent.config, agent.persistedCursor);
      const rerun = await again.periodicRun();
      expect(rerun.published).toEqual([]);
      expect(api.requests.at(-1)?.query.since).toBe(newest);
      expectNoSecrets([run.published, agent.loggedStates, again.loggedStates], secretsOf(base, api));
    } finally {
      await api.close();
    }
  });

  it('without a backfill start, starts at now: no past record', async () => {
    const { api, agent } = await start(base);
    try {
      const before = Date.now();
      const run = await agent.periodicRun();
      expect(run.published).toEqual([]);
      const since = Date.parse(String(api.requests[0]?.query.since));
      expect(since).toBeGreaterThanOrEqual(before - 1000);
      expect(since).toBeLessThanOrEqual(Date.now());
    } finally {
      await api.close();
    }
  });

  it('a network error (connection reset) is an error event; the next run resumes at that page without loss', async () => {
    const scenario: MockScenario = { ...base, faults: [{ page: 1, status: 'reset' }] };
    const { api, agent } = await start(scenario, '2024-01-01T00:00:00Z');
    try {
      const first = await agent.periodicRun();
      expect(first.errors).toEqual([
        { error: { message: 'GET {base_url}/api/v1/event-logs: request failed: network error or timeout' } },
      ]);
      expect(cursorSteps(agent.persistHistory)).toEqual([
        { committed: '2024-01-01T00:00:00Z', eventsPublished: 1 },
        { committed: '2024-01-01T00:00:00Z', next: 'fixture-cursor-2', eventsPublished: 3 },
      ]);
      const second = await agent.periodicRun();
      expect(api.requests.at(-3)?.query.cursor).toBe('fixture-cursor-2');
      const all = [...first.published, ...second.published].filter((e: Json) => !('error' in e));
      expect(messages(all)).toEqual(records);
      expect(agent.persistedCursor).toEqual({ max: newest });
    } finally {
      await api.close();
    }
  });
});

describe('Bitwarden events on mito: OAuth2 client credentials at its own identity URL, page_token, start = cursor, end = now', () => {
  const ir: IntegrationIR = loadFixtureIR('bitwarden');
  const stream = ir.streams[0]!;
  const records = loadFixtureRecords('bitwarden', 'event');
  const base = loadScenario('bitwarden', 'event');
  /** The newest `date` of the fixtures (page 1 holds it; the API answers newest first). */
  const newest = '2024-11-14T09:12:44.5184431Z';
  /** The fixtures are from November 2024 and mito runs at the real now: look back far enough. */
  const lookBack = `${24 * 365 * 5}h`;

  const start = async (scenario: MockScenario): Promise<{ api: MockApi; agent: CelAgent }> => {
    const api = await startMockApi(scenario);
    const vars = fleetVars(ir, {
      base_url: api.url,
      identity_url: api.url,
      initial_interval: lookBack,
      client_id: scenario.credentials.client_id,
      client_secret: scenario.credentials.client_secret,
    });
    return { api, agent: compileStream(ir, stream, vars).agent };
  };
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

  it('gets one token with the documented scope, pages by continuationToken with one start and end, commits the newest date; the next run starts there', async () => {
    const { api, agent } = await start(base);
    try {
      const run = await agent.periodicRun();
      expect(run.errors).toEqual([]);
      expect(messages(run.published)).toEqual(records);
      const tokens = api.requests.filter((r) => r.endpoint === 'token');
      expect(tokens.map((r) => [r.method, r.status])).toEqual([['POST', 200]]);
      expect(new URLSearchParams(tokens[0]!.body).get('scope')).toBe('api.organization');
      const data = api.requests.filter((r) => r.endpoint === 'data');
      expect(data.every((r) => r.status === 200 && r.headers.authorization === `Bearer ${api.issuedTokens[0]}`)).toBe(
        true,
      );
      // The look-back start and the sequence's own `end` (whole seconds), the same on every page.
      const [first] = data;
      expect(first!.query['start']).toMatch(rfc3339);
      expect(first!.query['end']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Date.parse(first!.query['end']!) - Date.parse(first!.query['start']!)).toBeGreaterThanOrEqual(
        24 * 365 * 5 * 3_600_000 - 1000,
      );
      expect(data.map((r) => [r.query['start'], r.query['end'], r.query['continuationToken']])).toEqual([
        [first!.query['start'], first!.query['end'], undefined],
        [first!.query['start'], first!.query['end'], 'fixture-continuation-2'],
        [first!.query['start'], first!.query['end'], 'fixture-continuation-3'],
      ]);
      // The initial cursor is persisted first (with its control event, counted as published),
      // then each page persists the next position beside the unchanged committed start; the
      // completed sequence commits the newest date.
      expect(cursorSteps(agent.persistHistory)).toEqual([
        { committed: first!.query['start'], eventsPublished: 1 },
        { committed: first!.query['start'], next: 'fixture-continuation-2', eventsPublished: 4 },
        { committed: first!.query['start'], next: 'fixture-continuation-3', eventsPublished: 7 },
        { committed: newest, eventsPublished: 8 },
      ]);
      // A restarted Agent asks from that date on: the mock's start is inclusive, as Bitwarden's,
      // so the newest event comes again (same document id) and nothing else.
      const again = new CelAgent(agent.config, agent.persistedCursor);
      const rerun = await again.periodicRun();
      expect(messages(rerun.published)).toEqual(records.filter((r) => (r as { date: string }).date === newest));
      const later = api.requests.filter((r) => r.endpoint === 'data').slice(data.length);
      expect(later.length).toBeGreaterThan(0);
      for (const r of later) expect(r.query['start']).toBe(newest);
      expectNoSecrets([run.published, rerun.published, agent.loggedStates, again.loggedStates], secretsOf(base, api));
    } finally {
      await api.close();
    }
  });

  it('a 500 on page 2 is an error event; the next run resumes at that page, with the same start and end, without loss', async () => {
    const { api, agent } = await start({ ...base, faults: [{ page: 1, status: 500 }] });
    try {
      const first = await agent.periodicRun();
      expect(first.errors).toEqual([
        {
          error: {
            code: '500',
            message: 'GET {base_url}/public/events: HTTP 500 Internal Server Error, 24 bytes (application/json)',
          },
        },
      ]);
      expect(messages(first.published.filter((e: Json) => !('error' in e)))).toEqual(records.slice(0, 3));
      const firstPage = api.requests.find((r) => r.endpoint === 'data')!;
      const second = await agent.periodicRun();
      const resumed = api.requests.filter((r) => r.endpoint === 'data').at(-2)!;
      expect([resumed.query['start'], resumed.query['end'], resumed.query['continuationToken']]).toEqual([
        firstPage.query['start'],
        firstPage.query['end'],
        'fixture-continuation-2',
      ]);
      expect(messages(second.published)).toEqual(records.slice(3));
    } finally {
      await api.close();
    }
  });
});

describe('Enpass renamed 1enpass (an integration name that starts with a digit) on mito', () => {
  it('collects every record once with the bearer token and commits the cursor, as under its own name', async () => {
    const source = renameIntegration(readFileSync(join(REPO_ROOT, 'maps', 'enpass.map'), 'utf8'), 'enpass', '1enpass');
    const { ir, diagnostics } = compileSource(source, 'maps/enpass.map');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(ir?.name).toBe('1enpass');
    const records = loadFixtureRecords('enpass', 'events');
    const scenario = loadScenario('enpass', 'events');
    const api = await startMockApi(scenario);
    try {
      const vars = fleetVars(ir!, {
        base_url: api.url,
        api_token: scenario.credentials.api_token,
        backfill_start: '2024-01-01T00:00:00Z',
      });
      const { agent } = compileStream(ir!, ir!.streams[0]!, vars);
      const run = await agent.periodicRun();
      expect(run.errors).toEqual([]);
      expect(messages(run.published)).toEqual(records);
      expect(api.requests.every((r) => r.headers.authorization === `Bearer ${scenario.credentials.api_token}`)).toBe(
        true,
      );
      expect(cursorSteps(agent.persistHistory).at(-1)).toMatchObject({ eventsPublished: 1 + records.length });
    } finally {
      await api.close();
    }
  });
});
