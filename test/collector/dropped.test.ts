/**
 * `drop when` in `mapc collect --mapped`: a dropped record writes no event, and the run log's
 * `collection complete` line counts it (`dropped: N`); without `--mapped` records are passed on
 * raw (the engines' pipelines drop them) and nothing is counted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compileFile } from '../../compiler/compile.ts';
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

/** The Endor Labs map with `drop when spec.operation in ["USER_LOGIN", "OPERATION_UNSPECIFIED"]`. */
function droppingLogins(): IntegrationIR {
  const { ir } = compileFile('maps/endor_labs.map');
  if (!ir) throw new Error('maps/endor_labs.map does not compile');
  const [stream] = ir.streams;
  const drop = [
    {
      kind: 'in' as const,
      path: ['spec', 'operation'],
      values: ['USER_LOGIN', 'OPERATION_UNSPECIFIED'],
    },
  ];
  return { ...ir, streams: [{ ...stream!, mapping: { ...stream!.mapping, drop, dropLoc: [stream!.loc] } }] };
}

async function collect(mapped: boolean) {
  const ir = droppingLogins();
  const scenario = loadScenario('endor_labs', 'audit');
  const clock = fakeClock(Date.parse('2024-11-20T00:00:00Z'));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return run({ ir, scenario, api, clock, sets: { backfill_start: '2024-11-01T00:00:00Z' }, options: { mapped } });
}

describe('mapc collect --mapped with drop when', () => {
  const records = loadFixtureRecords('endor_labs', 'audit') as { spec: { operation: string } }[];
  const kept = records.filter((r) => !['USER_LOGIN', 'OPERATION_UNSPECIFIED'].includes(r.spec.operation));

  it('writes no event for a dropped record and logs how many were dropped', async () => {
    const out = await collect(true);
    expect(out.result.exitCode).toBe(0);
    expect(kept.length).toBeLessThan(records.length);
    expect(out.events).toHaveLength(kept.length);
    expect(out.result.dropped).toBe(records.length - kept.length);
    expect(out.logs.at(-1)).toMatchObject({
      msg: 'collection complete',
      events: kept.length,
      dropped: records.length - kept.length,
    });
  });

  it('without --mapped passes every record on and counts nothing', async () => {
    const out = await collect(false);
    expect(out.events).toEqual(records);
    expect(out.result.dropped).toBeUndefined();
    expect(out.logs.at(-1)).not.toHaveProperty('dropped');
  });
});
