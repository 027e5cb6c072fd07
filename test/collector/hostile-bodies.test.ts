/**
 * Bounded resources against a hostile API (IR doc, "Run-time safety and incremental state",
 * §5): oversized bodies (with and without `Content-Length`) and a body that never ends are
 * aborted while streaming (E0808) and the cursor stays; a real `mapc collect` process reading
 * an endless body grows by less than the bound (64 MiB) plus a margin over the same command's
 * footprint on a well-behaved API (about 185 MiB: tsx and the compiler); a record nested 10,000 levels deep,
 * or one the mapping cannot process, becomes one error event with its position and the run
 * goes on.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../collector/http.ts';
import type { MockHostile } from '../mock-api/scenario.ts';
import { startMockApi, type MockApi } from '../mock-api/server.ts';
import { fakeClock, run, streamState, tempStateFile } from './harness.ts';
import { ndjson, pagingKind, runChild } from './hostile-kit.ts';
import { syntheticIR } from '../support/ir.ts';
import { RECORDS, syntheticScenario } from './synthetic.ts';

// mapRecord as the interpreter has it, except that a record with id "overflow" throws the
// RangeError a stack overflow in the interpreter would (its depth limit is the interpreter's own).
vi.mock('../../compiler/interpret/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../compiler/interpret/index.ts')>();
  return {
    ...real,
    mapRecord: (...args: Parameters<typeof real.mapRecord>) => {
      if (args[1].includes('"id":"overflow"')) throw new RangeError('Maximum call stack size exceeded');
      return real.mapRecord(...args);
    },
  };
});

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const START = '2024-04-30T00:00:00Z';
const MiB = 1024 * 1024;

async function setup(o: { hostile?: MockHostile; pages?: unknown[]; maxPagesPerRun?: number } = {}) {
  const kind = pagingKind('page_token', 3);
  const ir = syntheticIR({
    pagination: kind.ir,
    retry: { maxAttempts: 2, backoffBaseSeconds: 1, backoffMaxSeconds: 1 },
    ...(o.maxPagesPerRun !== undefined ? { maxPagesPerRun: o.maxPagesPerRun } : {}),
  });
  const scenario = syntheticScenario({
    ...kind.scenario(RECORDS, 3),
    ...(o.pages ? { pages: o.pages } : {}),
    ...(o.hostile ? { hostile: o.hostile } : {}),
  });
  const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return { ir, scenario, clock, api, stateFile: tempStateFile() };
}

const dataRequests = (a: MockApi) => a.requests.filter((r) => r.endpoint === 'data');

describe('bounded response size (E0808)', () => {
  it.each([
    ['with Content-Length', false],
    ['chunked, while streaming', true],
  ])('a body over --max-response-bytes is aborted %s, not retried; the cursor stays', async (_, chunked) => {
    const t = await setup({ hostile: { oversized: { page: 1, bytes: 8 * MiB, chunked } } });
    const out = await run({ ...t, options: { maxResponseBytes: 1 * MiB } });
    expect(out.result.error?.code).toBe('E0808');
    expect(out.result.error?.message).toMatch(/^page 2: the response is larger than 1048576 bytes/);
    expect(dataRequests(t.api).map((r) => r.page)).toEqual([0, 1]);
    expect(out.events).toEqual(RECORDS.slice(0, 3));
    expect(streamState(out.state, 'logs')).toMatchObject({ cursor: START, sequence: { pages: 1 } });
    // The same body under the bound is read whole (spaces after the JSON).
    const ok = await run({ ...t, options: { maxResponseBytes: 9 * MiB } });
    expect(ok.result.exitCode).toBe(0);
    expect(ok.events).toEqual(RECORDS.slice(3));
  });

  it('an endless body is aborted once past the bound, and the server stops sending', async () => {
    const t = await setup({ hostile: { endlessBody: { page: 0 } } });
    const out = await run({ ...t, options: { maxResponseBytes: 4 * MiB } });
    expect(out.result.error?.code).toBe('E0808');
    expect(out.events).toEqual([]);
    expect(streamState(out.state, 'logs')).toEqual({ cursor: START });
    const sent = dataRequests(t.api)[0]?.bytesSent ?? 0;
    await new Promise((r) => setTimeout(r, 200));
    // Stopped: no more than the bound plus what socket buffers held when the client aborted.
    expect(dataRequests(t.api)[0]?.bytesSent).toBe(sent);
    expect(sent).toBeLessThan(4 * MiB + 8 * MiB);
  });

  it('a real mapc collect process reading an endless body grows by less than the bound, and exits 1 (E0808)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapc-endless-'));
    const child = async (hostile?: MockHostile) => {
      const t = await setup(hostile ? { hostile } : {});
      const out = await runChild(
        t.ir,
        join(dir, 'ir.json'),
        ['--set', `base_url=${t.api.url}`, '--set', `start=${START}`],
        {},
        { timeoutMs: 90_000 },
      );
      const sent = dataRequests(t.api)[0]?.bytesSent ?? 0;
      await t.api.close();
      return { ...out, sent };
    };
    // The same command on a well-behaved API: the process's own footprint (tsx, the compiler).
    const baseline = await child();
    expect(baseline.code).toBe(0);
    const endless = await child({ endlessBody: { page: 0 } });
    // Figures for the report: the default bound (64 MiB) against an endless body.
    process.stdout.write(
      `endless body: peak RSS ${(endless.peakRssBytes / MiB).toFixed(1)} MiB (baseline run ${(baseline.peakRssBytes / MiB).toFixed(1)} MiB), ${(endless.sent / MiB).toFixed(1)} MiB sent by the server\n`,
    );
    expect(endless.code).toBe(1);
    const error = endless.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.level === 'error');
    expect(error).toMatchObject({ code: 'E0808', url: '{base_url}/logs' });
    expect(endless.sent).toBeGreaterThan(DEFAULT_MAX_RESPONSE_BYTES);
    expect(baseline.peakRssBytes).toBeGreaterThan(0);
    // Bounded: at most the 64 MiB bound plus 36 MiB above the baseline run, and under 300 MiB in all.
    expect(endless.peakRssBytes - baseline.peakRssBytes).toBeLessThan(DEFAULT_MAX_RESPONSE_BYTES + 36 * MiB);
    expect(endless.peakRssBytes).toBeLessThan(300 * MiB);
  }, 180_000);
});

describe('records that cannot be passed on (E0811)', () => {
  const deep: MockHostile = {
    deepRecord: { page: 1, index: 1, depth: 10_000, fields: { id: 'deep', ts: '2024-05-01T00:04:30Z' } },
  };

  it('a record nested 10,000 levels deep becomes one error event with its position; the run goes on', async () => {
    const t = await setup({ hostile: deep });
    const out = await run(t);
    expect(out.result).toMatchObject({ exitCode: 0, errorEvents: 1, events: 8 });
    const error = out.events[4] as Record<string, unknown>;
    expect(error).toEqual({
      '@timestamp': '2024-06-01T00:00:00.000Z',
      event: { kind: 'pipeline_error', dataset: 'synthetic.logs' },
      error: {
        code: 'E0811',
        message: ['mapc collect: record 1 of page 2 is nested deeper than 64 levels'],
      },
      mapc: { collect: { stream: 'logs', page: 2, index: 1 } },
    });
    expect([...out.events.slice(0, 4), ...out.events.slice(5)]).toEqual(RECORDS);
    expect(out.logs.filter((l) => l.code === 'E0811')).toHaveLength(1);
    // The deep record's time counts: it was handled (as an error), so the cursor moves past it.
    expect(streamState(out.state, 'logs')).toEqual({ cursor: RECORDS[6]?.ts });
    // No record content in the error event or the log.
    expect(out.stdout.includes('"nested"')).toBe(false);
    expect(out.stderr.includes('"nested"')).toBe(false);
  });

  it('with --mapped, too; and records the mapping cannot take (not objects, a RangeError) become error events', async () => {
    const t = await setup({
      hostile: deep,
      pages: [
        { data: [RECORDS[0], 42, RECORDS[1]], next: 'tok-2' },
        { data: [{ id: 'overflow', ts: '2024-05-01T00:03:00Z' }, RECORDS[2]] },
      ],
    });
    const out = await run({ ...t, options: { mapped: true } });
    expect(out.result).toMatchObject({ exitCode: 0, errorEvents: 3 });
    const errors = out.events
      .map((e) => e as { error?: { message?: string[] }; mapc?: unknown })
      .filter((e) => e.mapc !== undefined)
      .map((e) => [e.mapc, e.error?.message]);
    expect(errors).toEqual([
      [
        { collect: { stream: 'logs', page: 1, index: 1 } },
        ['mapc collect: record 1 of page 1 cannot be mapped (E0701)'],
      ],
      [
        { collect: { stream: 'logs', page: 2, index: 0 } },
        ['mapc collect: record 0 of page 2 cannot be mapped (RangeError)'],
      ],
      [
        { collect: { stream: 'logs', page: 2, index: 1 } },
        ['mapc collect: record 1 of page 2 is nested deeper than 64 levels'],
      ],
    ]);
    // The other records are mapped documents under the vendor namespace.
    expect(out.events.filter((e) => (e as { synthetic?: unknown }).synthetic !== undefined)).toHaveLength(3);
  });

  it('64 levels pass, 65 do not', async () => {
    const at = (depth: number): MockHostile => ({
      deepRecord: { page: 0, index: 0, depth, fields: { id: `d${depth}` } },
    });
    for (const [depth, errors] of [
      [64, 0],
      [65, 1],
    ] as const) {
      const t = await setup({ hostile: at(depth), pages: [{ data: [] }] });
      const out = await run(t);
      expect([depth, out.result.errorEvents, out.events.length]).toEqual([depth, errors, 1]);
      await t.api.close();
    }
  });

  it('a record nested a million levels deep (an array chain) costs no stack either', async () => {
    const t = await setup({
      hostile: { deepRecord: { page: 0, index: 0, depth: 1_000_000, shape: 'array' } },
      pages: [{ data: [RECORDS[0]] }],
    });
    const out = await run(t);
    expect(out.result).toMatchObject({ exitCode: 0, errorEvents: 1, events: 2 });
    expect(ndjson(out.stdout)[1]).toEqual(RECORDS[0]);
  });
});
