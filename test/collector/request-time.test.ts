/**
 * `{now}` in `mapc collect` (IR `TemplatePart` `now`): the instant the page sequence started, as
 * RFC 3339 in UTC with whole seconds; every page of a sequence sends the same, a sequence resumed
 * by a later run included, and a new sequence sends its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requestTime } from '../../collector/template.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { fakeClock, run, tempStateFile } from './harness.ts';
import { pagingKind } from './hostile-kit.ts';
import { cursor, nv, syntheticIR, t } from '../support/ir.ts';
import { RECORDS, syntheticScenario } from './synthetic.ts';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const dataRequests = (a: MockApi) => a.requests.filter((r) => r.endpoint === 'data');

describe('{now}', () => {
  it('is RFC 3339 in UTC with whole seconds', () => {
    expect(requestTime(Date.parse('2024-06-01T12:34:56.789Z'))).toBe('2024-06-01T12:34:56Z');
    expect(requestTime(0)).toBe('1970-01-01T00:00:00Z');
  });

  it('every page of a sequence sends the instant it started; a resumed sequence sends the same, a new one its own', async () => {
    const kind = pagingKind('page_token', 3);
    const clock = fakeClock(Date.parse('2024-06-01T00:00:00.500Z'));
    const scenario = syntheticScenario(kind.scenario(RECORDS, 3));
    api = await startMockApi(scenario, { now: () => clock.now() });
    // One page a run: the sequence of 3 pages spans 3 runs, an hour apart.
    const ir = syntheticIR({
      pagination: kind.ir,
      query: [nv('since', t(cursor)), nv('end', t({ kind: 'now' }))],
      maxPagesPerRun: 1,
    });
    const t0 = { scenario, clock, api, stateFile: tempStateFile() };
    for (let i = 0; i < 4; i++) {
      const out = await run({ ...t0, ir });
      expect(out.result.exitCode).toBe(0);
      clock.advance(3600_000);
    }
    expect(dataRequests(api).map((r) => [r.query['page_token'], r.query['end']])).toEqual([
      [undefined, '2024-06-01T00:00:00Z'],
      ['tok-2', '2024-06-01T00:00:00Z'],
      ['tok-3', '2024-06-01T00:00:00Z'],
      // The next sequence, three hours later.
      [undefined, '2024-06-01T03:00:00Z'],
    ]);
  });

  it('is kept in the state only for a request that uses it', async () => {
    const kind = pagingKind('page_token', 3);
    const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
    const scenario = syntheticScenario(kind.scenario(RECORDS, 3));
    api = await startMockApi(scenario, { now: () => clock.now() });
    const base = { scenario, clock, api };
    const withNow = await run({
      ...base,
      stateFile: tempStateFile(),
      ir: syntheticIR({
        pagination: kind.ir,
        query: [nv('since', t(cursor)), nv('end', t({ kind: 'now' }))],
        maxPagesPerRun: 1,
      }),
    });
    expect(JSON.parse(withNow.state!).streams.logs.sequence.now).toBe('2024-06-01T00:00:00Z');
    const without = await run({
      ...base,
      stateFile: tempStateFile(),
      ir: syntheticIR({ pagination: kind.ir, maxPagesPerRun: 1 }),
    });
    expect(JSON.parse(without.state!).streams.logs.sequence).not.toHaveProperty('now');
  });
});
