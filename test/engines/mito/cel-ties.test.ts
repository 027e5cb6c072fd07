/**
 * SEMANTICS §1, the tie proof for the generated CEL programs on mito: records whose timestamps
 * tie across every page boundary, an API that filters strictly after the cursor
 * (`since > cursor`, as the Endor Labs filter does), records newest or oldest first, and runs
 * that stop after every page (the page cap, a 5xx, a reset connection, an Agent restart that
 * keeps only the persisted cursor): every record is delivered at least once, and a complete
 * rerun delivers nothing new.
 */
import { describe, expect, it } from 'vitest';
import { tiedRecords } from '../../mock-api/hostile.ts';
import { normalizeScenario, startMockApi, type MockApi } from '../../mock-api/server.ts';
import { CelAgent } from './agent.ts';
import { compileStream, fleetVars, messages } from './harness.ts';
import { celIR, LOC, nv, setting, t } from '../../support/ir.ts';

type Json = Record<string, unknown>;

const PAGES = 4;
const PER_PAGE = 3;
const BACKFILL = '2024-01-01T00:00:00Z';

type Stop = 'page cap' | '5xx' | 'reset' | 'restart';

/** The ids of the records in published events (error events left out). */
function ids(events: readonly Json[]): string[] {
  return (messages(events.filter((e) => !('error' in e))) as { id: string }[]).map((r) => r.id);
}

async function tieRun(order: 'oldest_first' | 'newest_first', stop: Stop): Promise<void> {
  const all = tiedRecords(PAGES, PER_PAGE, order);
  const pages = Array.from({ length: PAGES }, (_, p) => ({
    data: all.slice(p * PER_PAGE, (p + 1) * PER_PAGE),
    ...(p + 1 < PAGES ? { next: `p${p + 2}` } : {}),
  }));
  const scenario = normalizeScenario({
    path: '/v1/events',
    pagination: { kind: 'page_token', tokenPath: 'next', param: 'page_token' },
    recordsPath: 'data',
    pages,
    since: { param: 'since', field: 'ts' },
  });
  const api: MockApi = await startMockApi(scenario);
  try {
    const ir = celIR({
      request: {
        method: 'GET',
        url: t(setting('base_url'), '/v1/events'),
        headers: [],
        query: [nv('since', t({ kind: 'cursor' }))],
      },
      pagination: { kind: 'page_token', tokenPath: ['next'], param: { in: 'query', name: 'page_token' }, loc: LOC },
      cursor: {
        kind: 'record_max',
        field: ['ts'],
        format: { kind: 'iso8601' },
        initial: { setting: 'backfill_start', lookbackSeconds: 0 },
        loc: LOC,
      },
      maxPagesPerRun: stop === 'page cap' || stop === 'restart' ? 1 : 100,
    });
    const { config } = compileStream(
      ir,
      ir.streams[0]!,
      fleetVars(ir, { base_url: api.url, backfill_start: BACKFILL }),
    );
    let agent = new CelAgent(config);
    const delivered: string[] = [];
    for (let run = 1; run <= 2 * PAGES; run++) {
      if (stop === 'restart') agent = new CelAgent(config, agent.persistedCursor);
      if (stop === '5xx' || stop === 'reset')
        api.setFailPage(run < PAGES ? run : undefined, stop === '5xx' ? 500 : 'reset');
      const r = await agent.periodicRun();
      delivered.push(...ids(r.published));
      if (agent.persistedCursor !== undefined && !('seq' in agent.persistedCursor)) break;
    }
    // Every record at least once, and the sequence completed with the newest instant.
    expect(new Set(delivered)).toEqual(new Set(all.map((r) => r.id)));
    const newest = [...all].sort((a, b) => a.ts.localeCompare(b.ts)).at(-1)!.ts;
    expect(agent.persistedCursor).toEqual({ max: newest });
    // Runs were really cut after every page.
    const failed = api.requests.filter((r) => r.status !== 200).length;
    if (stop === '5xx' || stop === 'reset') expect(failed).toBe(PAGES - 1);
    else expect(api.requests).toHaveLength(PAGES);
    // A complete rerun delivers nothing new.
    const rerun = await new CelAgent(config, agent.persistedCursor).periodicRun();
    expect(ids(rerun.published)).toEqual([]);
    expect(api.requests.at(-1)?.query.since).toBe(newest);
  } finally {
    await api.close();
  }
}

describe('CEL input on mito: ties across every page boundary, runs stopped after every page', () => {
  for (const order of ['oldest_first', 'newest_first'] as const) {
    for (const stop of ['page cap', '5xx', 'reset', 'restart'] as const) {
      it(`records ${order.replace('_', ' ')}, stopped by ${stop}: every record delivered, rerun empty`, async () => {
        await tieRun(order, stop);
      });
    }
  }
});

describe('CEL input on mito: the first run saves the initial cursor before its first request', () => {
  it('a look-back start is saved once: a first request that fails does not make the next run slide with now', async () => {
    const api = await startMockApi(
      normalizeScenario({
        path: '/v1/events',
        recordsPath: 'data',
        pages: [{ data: [] }],
        since: { param: 'since', field: 'ts' },
        failPage: 0,
      }),
    );
    try {
      const ir = celIR({
        request: {
          method: 'GET',
          url: t(setting('base_url'), '/v1/events'),
          headers: [],
          query: [nv('since', t({ kind: 'cursor' }))],
        },
        cursor: {
          kind: 'record_max',
          field: ['ts'],
          format: { kind: 'iso8601' },
          initial: { lookbackSeconds: 3600 },
          loc: LOC,
        },
      });
      const { config } = compileStream(ir, ir.streams[0]!, fleetVars(ir, { base_url: api.url }));
      const before = Date.now();
      const first = new CelAgent(config);
      const run = await first.periodicRun();
      expect(run.errors).toHaveLength(1);
      const saved = String(first.persistedCursor?.max);
      expect(Date.parse(saved)).toBeGreaterThanOrEqual(before - 3_600_000 - 1000);
      expect(Date.parse(saved)).toBeLessThanOrEqual(Date.now() - 3_600_000);
      await new Promise((r) => setTimeout(r, 1100));
      api.setFailPage(undefined);
      // A restarted Agent with the saved cursor asks from the same instant.
      await new CelAgent(config, first.persistedCursor).periodicRun();
      expect(api.requests.map((r) => r.query.since)).toEqual([saved, saved]);
    } finally {
      await api.close();
    }
  });
});
