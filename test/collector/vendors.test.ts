/**
 * `mapc collect` on each vendor's real map (compiled from `maps/<vendor>.map`) against the mock
 * API serving that vendor's fixture pages (`fixtures/<vendor>/<stream>/`).
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileFile } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { loadScenario, type MockScenario } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { loadFixtureCases, loadFixtureRecords } from '../support/fixtures.ts';
import { valueAt } from '../support/redaction.ts';
import { EXPECTED_GEO, testGeoDatabases } from '../support/geoip.ts';
import { loadGeoDatabases } from '../../compiler/interpret/index.ts';
import {
  envFor,
  expectNoSecrets,
  fakeClock,
  run,
  stateCursor,
  streamState,
  tempStateFile,
  type FakeClock,
  type RunOutput,
} from './harness.ts';

interface Vendor {
  readonly vendor: string;
  readonly stream: string;
  /** Fake "now" of the runs. */
  readonly now: string;
  readonly sets: Record<string, string>;
  /**
   * Events (split records) on the first page/window, and the state after it: the committed
   * cursor, and the largest record value of the page sequence in progress (none for windows,
   * where each window is a sequence of its own).
   */
  readonly firstPageEvents: number;
  readonly stateAfterFirstPage: { readonly cursor: string; readonly max?: string };
  /** Data requests of a clean run. */
  readonly dataRequests: number;
}

const VENDORS: readonly Vendor[] = [
  {
    vendor: 'endor_labs',
    stream: 'audit',
    now: '2024-11-20T00:00:00Z',
    sets: { backfill_start: '2024-11-01T00:00:00Z' },
    firstPageEvents: 3,
    // The backfill start stays committed until the sequence completes; the sequence in progress
    // holds the newest meta.create_time of page-1.json, as the record writes it.
    stateAfterFirstPage: { cursor: '2024-11-01T00:00:00Z', max: '2024-11-13T15:33:50.004999Z' },
    dataRequests: 3,
  },
  {
    vendor: 'entro',
    stream: 'audit',
    // Windows 12, 13, 14 November are complete; the 15th is partial (fetched, empty).
    now: '2024-11-15T10:00:00Z',
    sets: {},
    firstPageEvents: 3,
    stateAfterFirstPage: { cursor: '2024-11-13T00:00:00.000Z' },
    dataRequests: 4,
  },
  {
    vendor: 'enpass',
    stream: 'events',
    now: '2024-11-20T00:00:00Z',
    sets: { backfill_start: '2024-11-01T00:00:00Z' },
    firstPageEvents: 2,
    stateAfterFirstPage: { cursor: '2024-11-01T00:00:00Z', max: '2024-11-13T09:20:44.123456Z' },
    dataRequests: 3,
  },
];

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function compile(vendor: string): IntegrationIR {
  const result = compileFile(`maps/${vendor}.map`);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.ir as IntegrationIR;
}

async function setup(
  v: Pick<Vendor, 'vendor' | 'stream' | 'now'>,
  edit: (s: MockScenario) => MockScenario = (s) => s,
): Promise<{
  ir: IntegrationIR;
  scenario: MockScenario;
  clock: FakeClock;
  api: MockApi;
  stateFile: string;
}> {
  const ir = compile(v.vendor);
  const scenario = edit(loadScenario(v.vendor, v.stream));
  const clock = fakeClock(Date.parse(v.now));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return { ir, scenario, clock, api, stateFile: tempStateFile() };
}

const dataRequests = (a: MockApi) => a.requests.filter((r) => r.endpoint === 'data');

describe.each(VENDORS)('mapc collect: $vendor', (v) => {
  const records = loadFixtureRecords(v.vendor, v.stream);

  it('gets every fixture record exactly once, in order, through one 429 (Retry-After) and one 500; a rerun gets none', async () => {
    const t = await setup(v, (s) => ({
      ...s,
      faults: [
        { page: 1, status: 429, retryAfter: { seconds: 3, format: 'seconds' } },
        { page: 2, status: 500 },
      ],
    }));
    const first = await run({ ...t, sets: v.sets });
    expect(first.result).toMatchObject({ exitCode: 0 });
    expect(first.events).toEqual(records);
    // The 429's Retry-After is honoured as is; the 500 gets a jittered backoff (random fixed at 0.5).
    expect(t.clock.sleeps).toContain(3000);
    expect(t.clock.sleeps).toContain(500);
    const statuses = dataRequests(t.api).map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(statuses.filter((s) => s === 500)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(0);
    expect(statuses.filter((s) => s === 200)).toHaveLength(v.dataRequests);

    const second = await run({ ...t, sets: v.sets });
    expect(second.result.exitCode).toBe(0);
    expect(second.events).toEqual([]);
    expect(stateCursor(second.state, v.stream)).toBe(stateCursor(first.state, v.stream));
    expectNoSecrets(t.api, t.scenario, [first, second]);
  });

  it("a run killed mid-way (a page failing for good) exits non-zero, keeps the last complete page's state, and the next run completes without loss", async () => {
    const t = await setup(v, (s) => ({ ...s, failPage: 1 }));
    const failed = await run({ ...t, sets: v.sets });
    expect(failed.result.exitCode).toBe(1);
    expect(failed.result.error?.code).toBe('E0800');
    expect(failed.events).toEqual(records.slice(0, v.firstPageEvents));
    const state = streamState(failed.state, v.stream);
    expect({ cursor: state?.cursor, max: state?.sequence?.max }).toEqual({ max: undefined, ...v.stateAfterFirstPage });
    const errors = failed.logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'E0800' });
    expect(String(errors[0]?.msg)).toMatch(/failed after \d+ attempts: HTTP 500/);

    t.api.setFailPage(undefined);
    const resumed = await run({ ...t, sets: v.sets });
    expect(resumed.result.exitCode).toBe(0);
    expect([...failed.events, ...resumed.events]).toEqual(records);
    expectNoSecrets(t.api, t.scenario, [failed, resumed]);
  });

  it('a wrong credential is a clear fatal error that prints no secret', async () => {
    const t = await setup(v);
    const wrong = Object.fromEntries(
      Object.entries(envFor(t.ir, t.scenario)).map(([k]) => [k, `wrong-${k.toLowerCase()}-value`]),
    );
    const out = await run({ ...t, sets: v.sets, env: wrong });
    expect(out.result.exitCode).toBe(1);
    expect(out.result.error?.code).toBe('E0803');
    expect(out.result.error?.message).toMatch(/refused the credentials \(HTTP 401\)/);
    expect(out.events).toEqual([]);
    expectNoSecrets(t.api, t.scenario, [out], Object.values(wrong));
  });

  it('a missing secret is E0802 naming its environment variable, before any request', async () => {
    const t = await setup(v);
    const out = await run({ ...t, sets: v.sets, env: {} });
    expect(out.result.exitCode).toBe(1);
    expect(out.result.error?.code).toBe('E0802');
    for (const secret of t.ir.secrets) expect(out.result.error?.message).toContain(secret.envVar);
    expect(t.api.requests).toEqual([]);
    expect(out.state).toBeUndefined();
  });

  it('--mapped prints {"_id", ...doc} for each record: the reference interpreter\'s documents', async () => {
    const t = await setup(v);
    const out = await run({ ...t, sets: v.sets, options: { mapped: true } });
    expect(out.result.exitCode).toBe(0);
    const expected = loadFixtureCases(v.vendor, v.stream).map((c) =>
      c.expected._id === undefined ? c.expected.doc : { _id: c.expected._id, ...c.expected.doc },
    );
    expect(out.events).toEqual(expected);
    expectNoSecrets(t.api, t.scenario, [out]);
  });

  it('leaves no temporary file next to the state file', async () => {
    const t = await setup(v);
    const out: RunOutput = await run({ ...t, sets: v.sets });
    expect(out.result.exitCode).toBe(0);
    expect(readdirSync(dirname(t.stateFile))).toEqual(['state.json']);
  });
});

describe('mapc collect --mapped: redaction fails closed (compiler/ir.ts step 4)', () => {
  const entro = VENDORS.find((v) => v.vendor === 'entro') as Vendor;
  const SECRET = 'collect-LEAK-51c0e2-password';
  const unredactable = [{ password: SECRET }, 4815162342, [SECRET], true];

  /** Every `exposed_value` of the Entro pages replaced by a value no redaction takes, in turn. */
  function withUnredactable(s: MockScenario): MockScenario {
    let n = 0;
    const swap = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(swap);
      if (node === null || typeof node !== 'object') return node;
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [
          k,
          k === 'exposed_value' ? unredactable[n++ % unredactable.length] : swap(v),
        ]),
      );
    };
    return { ...s, pages: s.pages.map((p) => ({ ...p, body: swap(p.body) })) };
  }

  it('an Entro exposed_value that is an object, a number, an array or a boolean is printed nowhere', async () => {
    const t = await setup(entro, withUnredactable);
    const planted = JSON.stringify(t.scenario.pages).split(SECRET).length - 1;
    expect(planted).toBeGreaterThan(0);
    const out = await run({ ...t, sets: entro.sets, options: { mapped: true } });
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toHaveLength(loadFixtureRecords(entro.vendor, entro.stream).length);
    expect(out.stdout).not.toContain(SECRET);
    expect(out.stdout).not.toContain('4815162342');
    const message = 'mapc: cannot map results.secrets.exposed_value to related.hash';
    const failed = out.events.filter((e) =>
      (valueAt(e, ['error', 'message']) as unknown[] | undefined)?.includes(message),
    );
    // Records with a secret carry one of the values above: each failed, and none keeps exposed_value.
    expect(failed.length).toBe(JSON.stringify(t.scenario.pages).split('"exposed_value"').length - 1);
    for (const e of failed)
      expect(valueAt(e, ['entro', 'audit', 'results', 'secrets', 'exposed_value'])).toBeUndefined();
    expectNoSecrets(t.api, t.scenario, [out]);
  });

  it('with --validate, each record that breaks the record schema is logged (W0812: its JSON pointer and the schema rule, never the value) and still delivered', async () => {
    const t = await setup(entro, withUnredactable);
    const violating = JSON.stringify(t.scenario.pages).split('"exposed_value"').length - 1;
    expect(violating).toBeGreaterThan(0);
    for (const options of [{ validate: true }, { mapped: true, validate: true }]) {
      const out = await run({ ...t, sets: entro.sets, options, stateFile: tempStateFile() });
      expect(out.result.exitCode).toBe(0);
      expect(out.events).toHaveLength(loadFixtureRecords(entro.vendor, entro.stream).length);
      const warnings = out.logs.filter((l) => l['code'] === 'W0812');
      expect(warnings).toHaveLength(violating);
      for (const w of warnings) {
        expect(w).toMatchObject({ level: 'warn', stream: 'audit', pointer: '/results/secrets/exposed_value' });
        expect(String(w['rule'])).toMatch(/^#\/properties\/results\//);
        expect(String(w['msg'] ?? w['message'])).toMatch(
          /^record breaks the record schema at \/results\/secrets\/exposed_value: is (an object|an integer|an array|a boolean); must be string/,
        );
      }
      expect(out.stderr).not.toContain(SECRET);
      expect(out.stderr).not.toContain('4815162342');
    }
    // Without --validate nothing is validated (the engines' pipelines report the same records).
    const quiet = await run({ ...t, sets: entro.sets, stateFile: tempStateFile() });
    expect(quiet.logs.filter((l) => l['code'] === 'W0812')).toEqual([]);
  });
});

/**
 * Bitwarden's cursor is the newest event `date` seen, sent as `start` with `end` = `{now}`, the
 * instant the page sequence started (maps/bitwarden.map). The API's `start` is inclusive, as the
 * mock's filter is here (fixtures/bitwarden/event/scenario.json), so a rerun gets the newest event
 * of the last run again, with the same document id (re-delivery, de-duplicated by the sink).
 */
describe('mapc collect: bitwarden (OAuth2 client credentials at its own identity URL, start = cursor, end = now)', () => {
  const v = { vendor: 'bitwarden', stream: 'event', now: '2024-11-20T00:00:00Z', firstPageEvents: 3 };
  const records = loadFixtureRecords(v.vendor, v.stream);
  /** The newest `date` of the fixture records (page 1 holds it; the API answers newest first). */
  const newest = '2024-11-14T09:12:44.5184431Z';
  /** The first run reads back 30 days (the fixtures are 6-8 days old at `now`). */
  const lookBack = '720h';
  const firstStart = '2024-10-21T00:00:00.000Z';
  /** The identity server is the mock as well (it serves the token endpoint on its own origin). */
  const sets = (t: { api: MockApi }) => ({ identity_url: t.api.url, initial_interval: lookBack });

  it('--mapped with --geoip-database: geoip source.ip enriches from the database given, nothing else changes', async () => {
    const t = await setup(v);
    const { city } = testGeoDatabases();
    const out = await run({
      ...t,
      sets: sets(t),
      options: { mapped: true, geoDatabases: loadGeoDatabases([city]) },
    });
    expect(out.result.exitCode).toBe(0);
    const expected = loadFixtureCases(v.vendor, v.stream).map((c) => {
      const doc = structuredClone({ _id: c.expected._id, ...c.expected.doc }) as { source?: Record<string, unknown> };
      const geo = typeof doc.source?.['ip'] === 'string' ? EXPECTED_GEO[doc.source['ip']] : undefined;
      if (geo) doc.source!['geo'] = geo;
      return doc;
    });
    expect(out.events).toEqual(expected);
    // Not vacuous: the fixture's documentation addresses are in the test database.
    expect(out.events.filter((e) => valueAt(e, ['source', 'geo']) !== undefined).length).toBeGreaterThan(1);
  });

  it('gets every record in order through a 429 and a 500 with one token; the cursor is the newest date; a rerun gets only that event again, with its id', async () => {
    const t = await setup(v, (s) => ({
      ...s,
      faults: [
        { page: 1, status: 429, retryAfter: { seconds: 3, format: 'seconds' } },
        { page: 2, status: 500 },
      ],
    }));
    const first = await run({ ...t, sets: sets(t), options: { mapped: true } });
    expect(first.result.exitCode).toBe(0);
    const expected = loadFixtureCases(v.vendor, v.stream).map((c) => ({ _id: c.expected._id, ...c.expected.doc }));
    expect(first.events).toEqual(expected);
    expect(t.clock.sleeps).toContain(3000);
    // One client-credentials token for the whole run, asked for the documented scope.
    const tokens = t.api.requests.filter((r) => r.endpoint === 'token');
    expect(tokens.map((r) => [r.method, r.status])).toEqual([['POST', 200]]);
    expect(new URLSearchParams(tokens[0]!.body).get('scope')).toBe('api.organization');
    // Every data request carries that token and the same start/end (the look-back and the
    // sequence's start instant, also on the retried and continued pages); pages chain by token.
    const ok = dataRequests(t.api).filter((r) => r.status === 200);
    expect(ok.every((r) => r.headers.authorization === `Bearer ${t.api.issuedTokens[0]}`)).toBe(true);
    expect(ok.map((r) => [r.query['start'], r.query['end'], r.query['continuationToken']])).toEqual([
      [firstStart, v.now, undefined],
      [firstStart, v.now, 'fixture-continuation-2'],
      [firstStart, v.now, 'fixture-continuation-3'],
    ]);
    expect(stateCursor(first.state, v.stream)).toBe(newest);

    t.clock.advance(3_600_000);
    const before = dataRequests(t.api).length;
    const secondNow = new Date(Math.floor(t.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const second = await run({ ...t, sets: sets(t), options: { mapped: true } });
    expect(second.result.exitCode).toBe(0);
    expect(second.events).toEqual(
      expected.filter((d) => (d as Record<string, unknown>)['@timestamp'] === '2024-11-14T09:12:44.518Z'),
    );
    expect(second.events).toHaveLength(1);
    // The mock keeps its fixed page chain (the filtered second page is empty and ends the run).
    const again = dataRequests(t.api).slice(before);
    expect(again.length).toBeGreaterThan(0);
    for (const r of again) expect([r.query['start'], r.query['end']]).toEqual([newest, secondNow]);
    expect(stateCursor(second.state, v.stream)).toBe(newest);
    expectNoSecrets(t.api, t.scenario, [first, second]);
  });

  it('a run killed mid-way loses nothing: the next run resumes at the page after the last one written, with the same start and end', async () => {
    const t = await setup(v, (s) => ({ ...s, failPage: 1 }));
    const failed = await run({ ...t, sets: sets(t) });
    expect(failed.result.exitCode).toBe(1);
    expect(failed.result.error?.code).toBe('E0800');
    expect(failed.events).toEqual(records.slice(0, v.firstPageEvents));
    expect(streamState(failed.state, v.stream)).toMatchObject({
      cursor: firstStart,
      sequence: { next: { kind: 'token', value: 'fixture-continuation-2' }, pages: 1, max: newest },
    });

    t.api.setFailPage(undefined);
    t.clock.advance(3_600_000);
    const before = dataRequests(t.api).length;
    const resumed = await run({ ...t, sets: sets(t) });
    expect(resumed.result.exitCode).toBe(0);
    expect(resumed.events).toEqual(records.slice(v.firstPageEvents));
    const requests = dataRequests(t.api).slice(before);
    expect(requests.map((r) => [r.query['start'], r.query['end'], r.query['continuationToken']])).toEqual([
      [firstStart, v.now, 'fixture-continuation-2'],
      [firstStart, v.now, 'fixture-continuation-3'],
    ]);
    expect(stateCursor(resumed.state, v.stream)).toBe(newest);
    expectNoSecrets(t.api, t.scenario, [failed, resumed]);
  });

  it('a wrong client secret is a clear fatal error at the token endpoint that prints no secret', async () => {
    const t = await setup(v);
    const wrong = envFor(t.ir, t.scenario, { BITWARDEN_CLIENT_SECRET: 'wrong-client-secret-value' });
    const out = await run({ ...t, sets: sets(t), env: wrong });
    expect(out.result.exitCode).toBe(1);
    expect(out.result.error?.code).toBe('E0803');
    expect(out.events).toEqual([]);
    expect(dataRequests(t.api)).toEqual([]);
    expectNoSecrets(t.api, t.scenario, [out], ['wrong-client-secret-value']);
  });
});
