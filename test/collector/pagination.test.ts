/**
 * `mapc collect` for every pagination kind of `PaginationIR` (time windows: see the Entro vendor
 * test), with the cursor sent as a query parameter (GET) or in a JSON body (POST).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PaginationIR } from '../../compiler/ir.ts';
import type { MockScenario } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { fakeClock, run, stateCursor, streamState, tempStateFile } from './harness.ts';
import { SYNTHETIC_LOC as LOC, syntheticIR } from '../support/ir.ts';
import { chunks, RECORDS, syntheticScenario } from './synthetic.ts';

interface Case {
  readonly name: string;
  readonly pagination: PaginationIR;
  readonly cursorIn: 'query' | 'body';
  /** Scenario fields besides the common ones. */
  readonly scenario: Record<string, unknown>;
  readonly records: readonly unknown[];
  /** Data requests of a clean first run. */
  readonly requests: number;
  /** Records on the first page (0 when there is a single page). */
  readonly firstPage: number;
}

const pages3 = chunks(RECORDS, 3);

const CASES: readonly Case[] = [
  {
    name: 'none (one page)',
    pagination: { kind: 'none' },
    cursorIn: 'query',
    scenario: { pages: [{ data: RECORDS }] },
    records: RECORDS,
    requests: 1,
    firstPage: 0,
  },
  {
    name: 'page_token in a POST body',
    pagination: { kind: 'page_token', tokenPath: ['next'], param: { in: 'body', path: ['page', 'token'] }, loc: LOC },
    cursorIn: 'body',
    scenario: {
      pagination: { kind: 'page_token', tokenPath: 'next', param: { in: 'body', path: ['page', 'token'] } },
      pages: pages3.map((data, i) => (i < pages3.length - 1 ? { data, next: `tok-${i + 2}` } : { data, next: '' })),
    },
    records: RECORDS,
    requests: 3,
    firstPage: 3,
  },
  {
    name: 'cursor_has_more in the query',
    pagination: {
      kind: 'cursor_has_more',
      tokenPath: ['meta', 'cursor'],
      hasMorePath: ['meta', 'has_more'],
      param: { in: 'query', name: 'cursor' },
      loc: LOC,
    },
    cursorIn: 'query',
    scenario: {
      pagination: { kind: 'cursor_has_more', tokenPath: 'meta.cursor', hasMorePath: 'meta.has_more', param: 'cursor' },
      pages: pages3.map((data, i) => ({
        data,
        meta: i < pages3.length - 1 ? { has_more: true, cursor: `c${i + 2}` } : { has_more: false, cursor: 'stale' },
      })),
    },
    records: RECORDS,
    requests: 3,
    firstPage: 3,
  },
  {
    name: 'page_number in the query (stops on a short page)',
    pagination: {
      kind: 'page_number',
      param: { in: 'query', name: 'page' },
      start: 1,
      size: { param: { in: 'query', name: 'per_page' }, value: 3 },
      loc: LOC,
    },
    cursorIn: 'query',
    scenario: { pagination: { kind: 'page_number', param: 'page', start: 1, sizeParam: 'per_page' }, records: RECORDS },
    records: RECORDS,
    requests: 3,
    firstPage: 3,
  },
  {
    name: 'page_number in a POST body, starting at 0',
    pagination: {
      kind: 'page_number',
      param: { in: 'body', path: ['paging', 'page'] },
      start: 0,
      size: { param: { in: 'body', path: ['paging', 'size'] }, value: 3 },
      loc: LOC,
    },
    cursorIn: 'body',
    scenario: {
      pagination: {
        kind: 'page_number',
        param: { in: 'body', path: 'paging.page' },
        start: 0,
        sizeParam: { in: 'body', path: 'paging.size' },
      },
      records: RECORDS,
    },
    records: RECORDS,
    requests: 3,
    firstPage: 3,
  },
  {
    name: 'offset + limit with a total (stops at the total, no empty page)',
    pagination: {
      kind: 'offset',
      offsetParam: { in: 'query', name: 'offset' },
      limitParam: { in: 'query', name: 'limit' },
      limit: 3,
      totalPath: ['total'],
      loc: LOC,
    },
    cursorIn: 'query',
    scenario: {
      pagination: { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', totalPath: 'total' },
      records: RECORDS.slice(0, 6),
    },
    records: RECORDS.slice(0, 6),
    requests: 2,
    firstPage: 3,
  },
  {
    name: 'offset + limit without a total (stops on a short page)',
    pagination: {
      kind: 'offset',
      offsetParam: { in: 'query', name: 'offset' },
      limitParam: { in: 'query', name: 'limit' },
      limit: 3,
      loc: LOC,
    },
    cursorIn: 'query',
    scenario: {
      pagination: { kind: 'offset', offsetParam: 'offset', limitParam: 'limit' },
      records: RECORDS.slice(0, 6),
    },
    records: RECORDS.slice(0, 6),
    requests: 3,
    firstPage: 3,
  },
  {
    name: 'RFC 8288 Link header',
    pagination: { kind: 'link_header', loc: LOC },
    cursorIn: 'query',
    scenario: { pagination: { kind: 'link_header', pageParam: 'p' }, pages: pages3.map((data) => ({ data })) },
    records: RECORDS,
    requests: 3,
    firstPage: 3,
  },
];

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function setup(c: Case, edit: (s: MockScenario) => MockScenario = (s) => s) {
  const ir = syntheticIR({ pagination: c.pagination, cursorIn: c.cursorIn });
  const scenario = edit(syntheticScenario(c.scenario, c.cursorIn));
  const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return { ir, scenario, clock, api, stateFile: tempStateFile() };
}

describe.each(CASES)('pagination: $name', (c) => {
  it('gets every record exactly once, in order; a rerun with the saved state gets none', async () => {
    const t = await setup(c);
    const first = await run(t);
    expect(first.result.exitCode).toBe(0);
    expect(first.events).toEqual(c.records);
    expect(t.api.requests.filter((r) => r.endpoint === 'data').map((r) => r.status)).toEqual(
      Array(c.requests).fill(200),
    );
    // The cursor is the newest record's own text.
    expect(stateCursor(first.state, 'logs')).toBe((c.records[c.records.length - 1] as { ts: string }).ts);
    if (c.cursorIn === 'body') {
      const sent = JSON.parse(t.api.requests[0]?.body ?? '{}') as { filter?: { since?: string } };
      expect(sent.filter?.since).toBe('2024-04-30T00:00:00Z');
    } else {
      expect(t.api.requests[0]?.query.since).toBe('2024-04-30T00:00:00Z');
    }

    const second = await run(t);
    expect(second.result.exitCode).toBe(0);
    expect(second.events).toEqual([]);
  });

  it("a run failing for good on page 2 keeps the cursor and page 1's progress; the next run resumes at page 2 without loss", async () => {
    const failPage = c.firstPage === 0 ? 0 : 1;
    const t = await setup(c, (s) => ({ ...s, failPage }));
    const failed = await run(t);
    expect(failed.result.exitCode).toBe(1);
    expect(failed.events).toEqual(c.records.slice(0, c.firstPage));
    // The committed cursor moves only when the page sequence completes; page 1's progress is kept.
    const state = streamState(failed.state, 'logs');
    expect(state?.cursor).toBe('2024-04-30T00:00:00Z');
    expect(state?.sequence?.max).toBe(
      c.firstPage === 0 ? undefined : (c.records[c.firstPage - 1] as { ts: string }).ts,
    );
    expect(state?.sequence?.pages).toBe(c.firstPage === 0 ? undefined : 1);

    t.api.setFailPage(undefined);
    const before = t.api.requests.length;
    const resumed = await run(t);
    expect(resumed.result.exitCode).toBe(0);
    expect([...failed.events, ...resumed.events]).toEqual(c.records);
    // Resumed at page 2 (page 1 is not fetched again), with the same committed cursor.
    const pages = t.api.requests.slice(before).map((r) => r.page ?? -1);
    expect(pages[0]).toBe(failPage);
    expect(Math.min(...pages)).toBe(failPage);
    expect(stateCursor(resumed.state, 'logs')).toBe((c.records[c.records.length - 1] as { ts: string }).ts);
  });
});
