/**
 * `collected_at` in `mapc collect --mapped`: every record of one poll gets the poll time (the
 * clock when the stream's run began), in the IR's date form; without `--mapped` records are passed
 * on raw and the engine writes its own collection time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bundledMapWith } from '../support/bundled-map.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { loadScenario } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { loadFixtureRecords } from '../support/fixtures.ts';
import { fakeClock, run } from './harness.ts';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const RULE = '    event.id           = uuid';

function withCollectionTime(): IntegrationIR {
  return bundledMapWith('endor_labs', RULE, ['    event.created = collected_at']);
}

async function collect(mapped: boolean) {
  const ir = withCollectionTime();
  const scenario = loadScenario('endor_labs', 'audit');
  const clock = fakeClock(Date.parse('2024-11-20T00:00:00.250Z'));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return run({ ir, scenario, api, clock, sets: { backfill_start: '2024-11-01T00:00:00Z' }, options: { mapped } });
}

describe('mapc collect and collected_at', () => {
  const records = loadFixtureRecords('endor_labs', 'audit');

  it('--mapped writes the poll time into every document of the poll', async () => {
    const out = await collect(true);
    expect(out.result.exitCode).toBe(0);
    expect(out.events).toHaveLength(records.length);
    for (const event of out.events as { event: { created?: unknown } }[])
      expect(event.event.created).toBe('2024-11-20T00:00:00.250Z');
  });

  it('without --mapped passes the records on raw', async () => {
    const out = await collect(false);
    expect(out.events).toEqual(records);
  });
});
