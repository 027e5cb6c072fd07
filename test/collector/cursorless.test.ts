/**
 * A stream without a cursor in `mapc collect` (compiler/ir.ts, "Run-time safety and incremental
 * state" 1.2-1.4): it keeps only its page sequence in progress. A run cut by the page cap or by a
 * failure resumes at the next page, so pages past the cap are read by the following runs instead of
 * never (before, every run restarted at page 1 and a sequence longer than the cap was never read to
 * its end); a complete sequence leaves no state, so the next run starts at page 1 again.
 */
import { afterEach, describe, expect, it } from 'vitest';
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

const KINDS = ['page_token', 'cursor_has_more', 'link_header', 'page_number', 'offset'] as const;

async function setup(kindName: (typeof KINDS)[number], maxPagesPerRun: number) {
  const kind = pagingKind(kindName, 2);
  const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
  const scenario = syntheticScenario(kind.scenario(RECORDS, 2));
  api = await startMockApi(scenario, { now: () => clock.now() });
  const ir = syntheticIR({ pagination: kind.ir, cursor: null, query: [], maxPagesPerRun });
  return { scenario, clock, api, ir, stateFile: tempStateFile() };
}

describe('a stream without a cursor', () => {
  it.each(KINDS)(
    '%s: runs cut by the page cap resume where the last one stopped and read every record once',
    async (kind) => {
      expect(RECORDS.length).toBeGreaterThan(4);
      const t = await setup(kind, 2);
      const events: unknown[] = [];
      const states: unknown[] = [];
      // Two pages of two records per run: the sequence ends in the run that reads the last record.
      for (let i = 0; i < Math.ceil(RECORDS.length / 4); i++) {
        const out = await run(t);
        expect(out.result.exitCode).toBe(0);
        events.push(...out.events);
        states.push(streamState(out.state, 'logs'));
      }
      expect(events).toEqual(RECORDS);
      // The sequence in progress is kept without a cursor; the complete one leaves no state.
      for (const s of states.slice(0, -1)) {
        expect(s).toMatchObject({ sequence: { pages: expect.any(Number) } });
        expect(s).not.toHaveProperty('cursor');
      }
      expect(states.at(-1)).toBeUndefined();
      // The run after a complete sequence starts at page 1.
      const again = await run(t);
      expect(again.result.exitCode).toBe(0);
      expect(again.events).toEqual(RECORDS.slice(0, 4));
    },
  );

  it('a run that fails after a page resumes after that page, and a complete sequence removes the state', async () => {
    const t = await setup('page_token', 10_000);
    t.api.setFailPage(1);
    const failed = await run(t);
    expect(failed.result.exitCode).toBe(1);
    expect(failed.events).toEqual(RECORDS.slice(0, 2));
    expect(streamState(failed.state, 'logs')).toMatchObject({ sequence: { next: { kind: 'token', value: 'tok-2' } } });
    t.api.setFailPage(undefined);
    const resumed = await run(t);
    expect(resumed.result.exitCode).toBe(0);
    expect(resumed.events).toEqual(RECORDS.slice(2));
    expect(JSON.parse(resumed.state!).streams).toEqual({});
  });

  it.each([0, 60_000])(
    'a sequence discarded as a loop (E0809) leaves no state, with checkpoints deferred by %i ms or not',
    async (checkpointMs) => {
      const kind = pagingKind('page_token', 2);
      const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
      const scenario = syntheticScenario({ ...kind.scenario(RECORDS, 2), hostile: { repeatLastPage: true } });
      api = await startMockApi(scenario, { now: () => clock.now() });
      const ir = syntheticIR({ pagination: kind.ir, cursor: null, query: [] });
      const out = await run({ scenario, clock, api, ir, stateFile: tempStateFile(), options: { checkpointMs } });
      expect(out.result.error?.code).toBe('E0809');
      expect(streamState(out.state, 'logs')).toBeUndefined();
    },
  );
});
