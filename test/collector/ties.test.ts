/**
 * No lost record (IR doc, "Run-time safety and incremental state", §1; SEMANTICS §1's proof): an
 * API with a strict incremental filter (`ts > {cursor}`, as Endor Labs' `meta.create_time >
 * date(...)`) and records whose timestamps tie across EVERY page boundary, collected by runs
 * that each stop after one page: by the page cap, by a 5xx, by a reset connection, and by
 * SIGKILL of a real `mapc collect` process. Every record is delivered at least once, and a
 * complete rerun delivers nothing new. Records newest first too.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tiedRecords } from '../mock-api/hostile.ts';
import type { MockFailMode } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { fakeClock, run, streamState, tempStateFile } from './harness.ts';
import { ndjson, pagingKind, runChild } from './hostile-kit.ts';
import { syntheticIR } from '../support/ir.ts';
import { syntheticScenario } from './synthetic.ts';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

type Kind = 'page_token' | 'cursor_has_more' | 'link_header' | 'page_number' | 'offset';
const START = '2024-04-30T00:00:00Z';

async function setup(
  kind: Kind,
  records: readonly { id: string; ts: string }[],
  perPage: number,
  maxPagesPerRun: number,
) {
  const k = pagingKind(kind, perPage);
  const ir = syntheticIR({
    pagination: k.ir,
    maxPagesPerRun,
    retry: { maxAttempts: 1, backoffBaseSeconds: 1, backoffMaxSeconds: 1 },
  });
  const scenario = syntheticScenario(k.scenario(records, perPage));
  const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return { ir, scenario, clock, api, stateFile: tempStateFile(), records, kind, perPage };
}

type Setup = Awaited<ReturnType<typeof setup>>;

const ids = (events: readonly unknown[]) => events.map((e) => (e as { id: string }).id);

/** A complete rerun (no page cap, no fault): nothing new, exit 0, the cursor at the newest record. */
async function expectCompleteRerun(t: Setup): Promise<void> {
  t.api.setFailPage(undefined);
  const rerun = await run({ ...t, ir: syntheticIR({ pagination: pagingKind(t.kind, t.perPage).ir }) });
  expect(rerun.result.exitCode).toBe(0);
  expect(rerun.events).toEqual([]);
  const newest = [...t.records].sort((a, b) => a.ts.localeCompare(b.ts)).at(-1)?.ts;
  expect(streamState(rerun.state, 'logs')).toEqual({ cursor: newest });
}

describe("issue 7's three runs (page cap 1, r2 and r3 share a timestamp across the page boundary)", () => {
  it('deliver r1, r2, r3, r4 (before: r1, r2, r4)', async () => {
    const records = [
      { id: 'r1', ts: '2024-05-01T00:00:01.000001Z' },
      { id: 'r2', ts: '2024-05-01T00:00:02.000001Z' },
      { id: 'r3', ts: '2024-05-01T00:00:02.000001Z' },
      { id: 'r4', ts: '2024-05-01T00:00:03.000001Z' },
    ];
    const t = await setup('page_token', records, 2, 1);
    const runs = [await run(t), await run(t), await run(t)];
    expect(runs.map((r) => r.result.exitCode)).toEqual([0, 0, 0]);
    expect(runs.map((r) => ids(r.events))).toEqual([['r1', 'r2'], ['r3', 'r4'], []]);
    expect(streamState(runs[2]?.state, 'logs')).toEqual({ cursor: records[3]?.ts });
  });
});

describe.each(['oldest_first', 'newest_first'] as const)('ties across every page boundary, %s', (order) => {
  // 4 pages of 3: the last record of each page ties with the first of the next.
  const records = tiedRecords(4, 3, order);

  it.each(['page_token', 'cursor_has_more', 'link_header', 'page_number', 'offset'] as const)(
    '%s: runs stopped by the page cap after every page lose nothing',
    async (kind) => {
      const t = await setup(kind, records, 3, 1);
      const delivered: string[] = [];
      let runs = 0;
      for (;;) {
        const out = await run(t);
        runs++;
        expect(out.result).toMatchObject({ exitCode: 0, pages: 1 });
        delivered.push(...ids(out.events));
        if (streamState(out.state, 'logs')?.sequence === undefined) break;
        expect(runs).toBeLessThan(10);
      }
      // page_number/offset end on a short (here empty) page: one run more.
      expect(runs).toBe(kind === 'page_number' || kind === 'offset' ? 5 : 4);
      expect(new Set(delivered)).toEqual(new Set(records.map((r) => r.id)));
      expect(delivered).toHaveLength(records.length);
      await expectCompleteRerun(t);
    },
  );

  it.each([
    ['page_token', 500],
    ['page_token', 'reset'],
    ['link_header', 500],
    ['link_header', 'reset'],
    ['page_number', 500],
    ['cursor_has_more', 'reset'],
  ] as [Kind, MockFailMode][])(
    '%s: runs stopped after every page by a failing next page (%s) lose nothing',
    async (kind, mode) => {
      const t = await setup(kind, records, 3, 10_000);
      const delivered: string[] = [];
      for (let k = 1; ; k++) {
        // This run's next page fails for good: the run ends after exactly one page.
        t.api.setFailPage(k, mode);
        const out = await run(t);
        delivered.push(...ids(out.events));
        if (out.result.exitCode === 0) break;
        expect(out.result).toMatchObject({ exitCode: 1, pages: 1, error: { code: 'E0800' } });
        expect(streamState(out.state, 'logs')).toMatchObject({ cursor: START, sequence: { pages: k } });
        expect(k).toBeLessThan(10);
      }
      expect(new Set(delivered)).toEqual(new Set(records.map((r) => r.id)));
      await expectCompleteRerun(t);
    },
  );
});

/** The pages of the sequence in progress recorded in the state file (0: none, or no readable file). */
function pagesInState(stateFile: string): number {
  try {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      streams?: Record<string, { sequence?: { pages?: number } }>;
    };
    return state.streams?.['logs']?.sequence?.pages ?? 0;
  } catch {
    return 0;
  }
}

describe('ties across every page boundary, real processes killed after every page', () => {
  /**
   * Three processes, the first two killed while waiting for page 1 and page 2 (page k hangs): once
   * that request has arrived and, with `stateEveryPage`, once the state file records the page
   * before it (the collector requests a page while it still writes the one before: waiting for the
   * next page starts when that page is done).
   */
  async function killedAfterEveryPage(
    extra: readonly string[],
    stateEveryPage = false,
  ): Promise<{
    records: ReturnType<typeof tiedRecords>;
    outcomes: (string | number | null)[];
    delivered: string[];
    t: Setup;
  }> {
    const records = tiedRecords(3, 3);
    const t = await setup('page_token', records, 3, 10_000);
    const dir = mkdtempSync(join(tmpdir(), 'mapc-ties-'));
    const args = ['--state', t.stateFile, '--set', `base_url=${t.api.url}`, '--set', `start=${START}`, ...extra];
    const delivered: string[] = [];
    const outcomes: (string | number | null)[] = [];
    for (let k = 1; k <= 3; k++) {
      // The next page never answers; the process is killed once that request has arrived.
      t.api.setFailPage(k, 'hang');
      const child = await runChild(
        t.ir,
        join(dir, 'ir.json'),
        args,
        {},
        {
          until: () =>
            t.api.requests.some((r) => r.page === k && r.status === 0) &&
            (!stateEveryPage || pagesInState(t.stateFile) === k),
          timeoutMs: 60_000,
        },
      );
      outcomes.push(child.signal ?? child.code);
      delivered.push(...ids(ndjson(child.stdout)));
    }
    return { records, outcomes, delivered, t };
  }

  it('SIGKILL while waiting for the next page, run after run, state written after every page: every record delivered once', async () => {
    const { records, outcomes, delivered, t } = await killedAfterEveryPage(['--checkpoint-ms', '0'], true);
    // Killed after pages 1 and 2; the third process finds no page 3 and completes.
    expect(outcomes).toEqual(['SIGKILL', 'SIGKILL', 0]);
    expect(delivered).toEqual(records.map((r) => r.id));
    await expectCompleteRerun(t);
  }, 180_000);

  it('the same with the default checkpoint interval: pages since the last state write come again, none is lost', async () => {
    const { records, outcomes, delivered, t } = await killedAfterEveryPage([]);
    expect(outcomes.at(-1)).toBe(0);
    expect(new Set(delivered)).toEqual(new Set(records.map((r) => r.id)));
    await expectCompleteRerun(t);
  }, 180_000);
});
