/**
 * Pagination that does not advance (IR doc, "Run-time safety and incremental state", §2): a
 * page token or `has_more` cursor that repeats forever, a `Link` cycle, empty pages that still
 * claim more, a polling API's always-present next link, and an expired page token on resume.
 * Every loop stops within a few requests with E0809, discards the sequence and keeps the cursor.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MockHostile, MockScenario } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { fakeClock, run, streamState, tempStateFile } from './harness.ts';
import { pagingKind } from './hostile-kit.ts';
import { syntheticIR } from '../support/ir.ts';
import { RECORDS, syntheticScenario } from './synthetic.ts';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const START = '2024-04-30T00:00:00Z';
const NEWEST = RECORDS[6]?.ts;

async function setup(
  paging: 'page_token' | 'cursor_has_more' | 'link_header',
  o: {
    hostile?: MockHostile;
    faults?: MockScenario['faults'];
    maxPagesPerRun?: number;
    pages?: unknown[];
  } = {},
) {
  const kind = pagingKind(paging, 3);
  const ir = syntheticIR({ pagination: kind.ir, maxPagesPerRun: o.maxPagesPerRun ?? 10_000 });
  const scenario = syntheticScenario({
    ...kind.scenario(RECORDS, 3),
    ...(o.pages ? { pages: o.pages } : {}),
    ...(o.hostile ? { hostile: o.hostile } : {}),
    ...(o.faults ? { faults: o.faults } : {}),
  });
  const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return { ir, scenario, clock, api, stateFile: tempStateFile() };
}

const dataRequests = (a: MockApi) => a.requests.filter((r) => r.endpoint === 'data');

describe('loop detection (E0809)', () => {
  it.each(['page_token', 'cursor_has_more'] as const)(
    '%s: a position that repeats forever stops after one repeat, the sequence discarded, the cursor kept',
    async (paging) => {
      const t = await setup(paging, { hostile: { repeatLastPage: true } });
      const out = await run(t);
      expect(out.result.error?.code).toBe('E0809');
      expect(out.result.error?.message).toBe(
        'pagination does not advance: the next position repeats one already used in this page sequence; the page sequence is discarded and the cursor stays',
      );
      // Pages 1-3, then page 3 again (its token leads to itself): 4 requests.
      expect(dataRequests(t.api).map((r) => r.page)).toEqual([0, 1, 2, 2]);
      expect(out.events).toEqual([...RECORDS, RECORDS[6]]);
      expect(streamState(out.state, 'logs')).toEqual({ cursor: START });
      // Every run costs the same few requests: never max_pages (10,000 here).
      const again = await run(t);
      expect(again.result.error?.code).toBe('E0809');
      expect(dataRequests(t.api)).toHaveLength(8);
    },
  );

  it('a repeat across runs (page cap 1) is seen from the stored positions', async () => {
    const t = await setup('page_token', { hostile: { repeatLastPage: true }, maxPagesPerRun: 1 });
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) codes.push((await run(t)).result.error?.code);
    expect(codes).toEqual([undefined, undefined, undefined, 'E0809', undefined]);
    expect(dataRequests(t.api).map((r) => r.page)).toEqual([0, 1, 2, 2, 0]);
  });

  it('link_header: a cycle back to an earlier page is E0809 after one lap', async () => {
    const t = await setup('link_header', { hostile: { repeatLastPage: true } });
    const out = await run(t);
    expect(out.result.error?.code).toBe('E0809');
    expect(out.result.error?.message).toMatch(/the next link repeats one already used/);
    // p0 (the map's URL), p1, p2, then p=0 (a new URL), whose next link p=1 was used.
    expect(dataRequests(t.api).map((r) => r.page)).toEqual([0, 1, 2, 0]);
    expect(streamState(out.state, 'logs')).toEqual({ cursor: START });
  });

  it.each(['page_token', 'cursor_has_more'] as const)(
    '%s: empty pages that claim more forever: the 4th ends the run',
    async (paging) => {
      const t = await setup(paging, { hostile: { emptyPagesForever: true } });
      const out = await run(t);
      expect(out.result.error).toMatchObject({
        code: 'E0809',
        message:
          'pagination does not advance: 4 pages in a row without records still claim more; the page sequence is discarded and the cursor stays',
      });
      // 3 pages of records, then 4 empty ones.
      expect(dataRequests(t.api)).toHaveLength(7);
      expect(out.events).toEqual(RECORDS);
      expect(streamState(out.state, 'logs')).toEqual({ cursor: START });
    },
  );

  it('three empty pages that claim more are tolerated', async () => {
    // Pages: records, 3 empty pages claiming more, then records and the end.
    const t = await setup('page_token', {
      pages: [
        { data: RECORDS.slice(0, 3), next: 'a' },
        { data: [], next: 'b' },
        { data: [], next: 'c' },
        { data: [], next: 'd' },
        { data: RECORDS.slice(3) },
      ],
    });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    expect(streamState(out.state, 'logs')).toEqual({ cursor: NEWEST });
  });
});

describe('polling APIs (link_header)', () => {
  it('a next link to the page just fetched ends the sequence normally; a rerun costs one request', async () => {
    const t = await setup('link_header', { hostile: { pollingLink: true } });
    const first = await run(t);
    expect(first.result.exitCode).toBe(0);
    expect(first.events).toEqual(RECORDS);
    expect(streamState(first.state, 'logs')).toEqual({ cursor: NEWEST });
    const before = dataRequests(t.api).length;
    const second = await run(t);
    expect(second.result.exitCode).toBe(0);
    expect(second.events).toEqual([]);
    expect(dataRequests(t.api).length - before).toBe(1);
  });

  it('an empty page with a next link ends the sequence normally', async () => {
    const t = await setup('link_header', { hostile: { emptyPagesForever: true } });
    const out = await run(t);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toEqual(RECORDS);
    // Pages 1-3, then one empty page.
    expect(dataRequests(t.api)).toHaveLength(4);
    expect(streamState(out.state, 'logs')).toEqual({ cursor: NEWEST });
  });
});

describe('an expired page token on resume', () => {
  it('restarts the sequence at its first page (re-delivery, never loss)', async () => {
    const t = await setup('page_token', { maxPagesPerRun: 1, faults: [{ page: 1, status: 400 }] });
    const first = await run(t);
    expect(first.events).toEqual(RECORDS.slice(0, 3));
    expect(streamState(first.state, 'logs')?.sequence?.next).toEqual({ kind: 'token', value: 'tok-2' });
    // The same map with a larger page cap for the second run.
    const second = await run({ ...t, ir: syntheticIR({ pagination: pagingKind('page_token', 3).ir }) });
    expect(second.result.exitCode).toBe(0);
    // The resumed token was refused (400): page 1 again, then the rest.
    expect(dataRequests(t.api).map((r) => [r.page, r.status])).toEqual([
      [0, 200],
      [1, 400],
      [0, 200],
      [1, 200],
      [2, 200],
    ]);
    expect(second.events).toEqual(RECORDS);
    expect(second.logs.some((l) => String(l.msg).includes('the resumed page position was refused'))).toBe(true);
    expect(streamState(second.state, 'logs')).toEqual({ cursor: NEWEST });
  });

  it('a 401 on resume is a credential error (E0803), not a restart', async () => {
    const t = await setup('page_token', { maxPagesPerRun: 1, faults: [{ page: 1, status: 401 }] });
    await run(t);
    const second = await run(t);
    expect(second.result.error?.code).toBe('E0803');
    expect(streamState(second.state, 'logs')?.sequence?.next).toEqual({ kind: 'token', value: 'tok-2' });
  });
});
