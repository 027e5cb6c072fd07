/**
 * Time-window pagination with a window cursor: window bounds in the request, the partial window
 * holding "now" (open-ended with `when window.complete`), the first run's look-back, and the page
 * cap over windows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compileFile } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { loadScenario } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { loadFixtureRecords } from '../support/fixtures.ts';
import { fakeClock, run, stateCursor, tempStateFile } from './harness.ts';
import { SYNTHETIC_LOC as LOC, syntheticIR } from '../support/ir.ts';
import { RECORDS, syntheticScenario } from './synthetic.ts';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const [r1, r2, r3, r4, r5] = RECORDS;
const hour = (h: number) => `2024-06-01T0${h}:00:00.000Z`;

async function setup(maxPagesPerRun = 100) {
  const ir = syntheticIR({
    pagination: { kind: 'time_window', stepSeconds: 3600, format: { kind: 'iso8601' }, loc: LOC },
    cursor: { kind: 'window', initial: { setting: 'start', lookbackSeconds: 0 }, loc: LOC },
    query: [
      { name: 'from', value: { parts: [{ kind: 'window', edge: 'start' }] }, omitIfEmpty: false },
      { name: 'to', value: { parts: [{ kind: 'window', edge: 'end' }] }, omitIfEmpty: false },
    ],
    maxPagesPerRun,
  });
  const scenario = syntheticScenario({
    pagination: { kind: 'time_window', fromParam: 'from', toParam: 'to' },
    emptyBody: { data: [] },
    settings: { start: '2024-06-01T00:00:00Z' },
    pages: [
      { body: { data: [r1, r2] }, window: { from: hour(0), to: hour(1) } },
      { body: { data: [r3] }, window: { from: hour(2), to: hour(3) } },
      { body: { data: [r4] }, window: { from: hour(3), to: hour(4) } },
      { body: { data: [r5] }, window: { from: hour(4), to: hour(5) } },
    ],
  });
  const clock = fakeClock(Date.parse('2024-06-01T03:30:00Z'));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return { ir, scenario, clock, api, stateFile: tempStateFile() };
}

const windows = (a: MockApi, from = 0) => a.requests.slice(from).map((r) => `${r.query.from} ${r.query.to}`);

describe('time windows', () => {
  it('requests [start, start + step) windows up to now; the partial window is fetched again until complete', async () => {
    const t = await setup();
    const first = await run(t);
    expect(first.result.exitCode).toBe(0);
    expect(windows(t.api)).toEqual([
      `${hour(0)} ${hour(1)}`,
      `${hour(1)} ${hour(2)}`,
      `${hour(2)} ${hour(3)}`,
      `${hour(3)} ${hour(4)}`,
    ]);
    expect(first.events).toEqual([r1, r2, r3, r4]);
    expect(stateCursor(first.state, 'logs')).toBe(hour(3));

    // Same "now": only the partial window again (its events are delivered again: at least once).
    const second = await run(t);
    expect(windows(t.api, 4)).toEqual([`${hour(3)} ${hour(4)}`]);
    expect(second.events).toEqual([r4]);

    t.clock.advance(100 * 60 * 1000); // 05:10
    const third = await run(t);
    expect(windows(t.api, 5)).toEqual([
      `${hour(3)} ${hour(4)}`,
      `${hour(4)} ${hour(5)}`,
      `${hour(5)} 2024-06-01T06:00:00.000Z`,
    ]);
    expect(third.events).toEqual([r4, r5]);
    expect(stateCursor(third.state, 'logs')).toBe(hour(5));
  });

  it('counts windows against max_pages and continues next run', async () => {
    const t = await setup(2);
    const first = await run(t);
    expect(first.result).toMatchObject({ exitCode: 0, pages: 2 });
    expect(first.events).toEqual([r1, r2]);
    expect(stateCursor(first.state, 'logs')).toBe(hour(2));
    const second = await run(t);
    expect(second.events).toEqual([r3, r4]);
    expect(stateCursor(second.state, 'logs')).toBe(hour(3));
  });

  it("Entro's first run starts initial_interval (default 1440h) ago, aligned to midnight UTC; today is asked without `to`", async () => {
    const ir = compileFile('maps/entro.map').ir as IntegrationIR;
    const scenario = { ...loadScenario('entro', 'audit'), settings: {} };
    const clock = fakeClock(Date.parse('2024-11-13T10:00:00Z'));
    api = await startMockApi(scenario, { now: () => clock.now() });
    const out = await run({ ir, scenario, api, clock, stateFile: tempStateFile() });
    expect(out.result.exitCode).toBe(0);
    const asked = api.requests.map((r) => [r.query.from, r.query.to]);
    // 13/11/2024 10:00 minus 60 days is 14/09/2024 10:00: 61 daily windows up to today.
    expect(asked).toHaveLength(61);
    expect(asked[0]).toEqual(['14/09/2024', '15/09/2024']);
    expect(asked.at(-2)).toEqual(['12/11/2024', '13/11/2024']);
    expect(asked.at(-1)).toEqual(['13/11/2024', undefined]);
    // The fixture's 13/11 page answers only a request with `to` (a complete day), as in Elastic's mock.
    expect(out.events).toEqual(loadFixtureRecords('entro', 'audit').slice(0, 3));
    expect(stateCursor(out.state, 'audit')).toBe('2024-11-13T00:00:00.000Z');
  });

  it('Entro: the window holding now is open-ended (no `to`); once complete it is asked again with `to`', async () => {
    const ir = compileFile('maps/entro.map').ir as IntegrationIR;
    const base = loadScenario('entro', 'audit');
    const day13 = base.pages[1]!;
    // So far today: the first record of the 13th, served only to the request without `to`.
    const partial = {
      ...day13,
      body: (day13.body as unknown[]).slice(0, 1),
      window: { from: '13/11/2024', open: true },
    };
    const scenario = { ...base, pages: [...base.pages, partial], settings: { initial_interval: '30h' } };
    const clock = fakeClock(Date.parse('2024-11-13T10:00:00Z'));
    api = await startMockApi(scenario, { now: () => clock.now() });
    const stateFile = tempStateFile();
    const records = loadFixtureRecords('entro', 'audit');

    const first = await run({ ir, scenario, api, clock, stateFile });
    expect(first.result.exitCode).toBe(0);
    expect(api.requests.map((r) => [r.query.from, r.query.to])).toEqual([
      ['12/11/2024', '13/11/2024'],
      ['13/11/2024', undefined],
    ]);
    expect(first.events).toEqual(records.slice(0, 4));
    expect(stateCursor(first.state, 'audit')).toBe('2024-11-13T00:00:00.000Z');

    clock.advance(15 * 3600 * 1000); // 14/11/2024 01:00: the 13th is complete
    const second = await run({ ir, scenario, api, clock, stateFile });
    expect(second.result.exitCode).toBe(0);
    expect(api.requests.slice(2).map((r) => [r.query.from, r.query.to])).toEqual([
      ['13/11/2024', '14/11/2024'],
      ['14/11/2024', undefined],
    ]);
    // The whole 13th (its first record again: at least once, same document id).
    expect(second.events).toEqual(records.slice(3));
    expect(stateCursor(second.state, 'audit')).toBe('2024-11-14T00:00:00.000Z');
  });
});
