/**
 * One page of lookahead (`collector/run.ts` `Lookahead`): the request for page N+1 is sent while
 * page N's records are written, and the run's guarantees hold as without it: the state checkpoint
 * moves only after the page's records are written and flushed; an error of the request sent
 * ahead surfaces after the page before it is done; no request is sent after a stop condition;
 * a stopped run cancels a request sent ahead, its retry wait included.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { collectFromIR } from '../../collector/run.ts';
import { systemClock, type Clock } from '../../collector/clock.ts';
import type { MockApi } from '../mock-api/server.ts';
import { startMockApi } from '../mock-api/server.ts';
import { syntheticIR } from '../support/ir.ts';
import { envFor, fakeClock, run, streamState, tempStateFile } from './harness.ts';
import { pagingKind } from './hostile-kit.ts';
import { syntheticScenario } from './synthetic.ts';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const records = Array.from({ length: 12 }, (_, i) => ({
  id: `r${i + 1}`,
  ts: `2024-05-01T00:00:${String(i + 1).padStart(2, '0')}Z`,
}));

async function setup(
  options: {
    maxPagesPerRun?: number;
    retry?: { maxAttempts: number; backoffBaseSeconds: number; backoffMaxSeconds: number };
  } = {},
) {
  const k = pagingKind('page_token', 3);
  const ir = syntheticIR({
    pagination: k.ir,
    maxPagesPerRun: options.maxPagesPerRun ?? 100,
    retry: options.retry ?? { maxAttempts: 0, backoffBaseSeconds: 1, backoffMaxSeconds: 1 },
  });
  const scenario = syntheticScenario(k.scenario(records, 3));
  const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
  api = await startMockApi(scenario, { now: () => clock.now() });
  return { ir, scenario, clock, api, stateFile: tempStateFile() };
}

const dataRequests = (a: MockApi) => a.requests.filter((r) => r.endpoint === 'data');

interface WriteRecord {
  lines: number;
  /** Data requests the API had received when the write completed. */
  requests: number;
  done: boolean;
}

/** A stdout whose writes complete `delayMs` later, recording each (see {@link WriteRecord}). */
function observedStdout(a: MockApi, log: WriteRecord[], delayMs = 0): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      const entry = { lines: chunk.toString('utf8').split('\n').length - 1, requests: 0, done: false };
      log.push(entry);
      setTimeout(() => {
        entry.requests = dataRequests(a).length;
        entry.done = true;
        done();
      }, delayMs);
    },
  });
}

describe('one page of lookahead', () => {
  it("requests page N+1 while page N's records are written", async () => {
    const t = await setup();
    const writes: WriteRecord[] = [];
    // Each write takes 100 ms: long enough for the request sent ahead to reach the API.
    const out = await run({ ...t, options: { stdout: observedStdout(t.api, writes, 100) } });
    expect(out.result).toMatchObject({ exitCode: 0, pages: 4, events: 12 });
    // When page k's write (k = 1..3) completes, page k+1 has been requested; the last page has
    // none after it. Without lookahead: [1, 2, 3, 4].
    expect(writes.map((w) => w.requests)).toEqual([2, 3, 4, 4]);
    expect(dataRequests(t.api)).toHaveLength(4);
  });

  it("moves the state checkpoint only after the page's records are written and flushed", async () => {
    const t = await setup();
    const writes: WriteRecord[] = [];
    const checkpoints: { pages: number; flushedLines: number }[] = [];
    const out = await run({
      ...t,
      options: {
        stdout: observedStdout(t.api, writes),
        stateHooks: {
          beforeRename: (tempFile) => {
            const flushedLines = writes.filter((w) => w.done).reduce((n, w) => n + w.lines, 0);
            checkpoints.push({ pages: sequencePages(tempFile), flushedLines });
          },
        },
      },
    });
    expect(out.result.exitCode).toBe(0);
    // Each state write after a page sees every line of that page flushed (3 records a page).
    const pageCheckpoints = checkpoints.filter((c) => c.pages > 0);
    expect(pageCheckpoints.map((c) => c.pages)).toEqual([1, 2, 3]);
    for (const c of pageCheckpoints) expect(c.flushedLines).toBeGreaterThanOrEqual(3 * c.pages);
  });

  it('an error of the page requested ahead surfaces after the page before it is written and recorded', async () => {
    const t = await setup();
    t.api.setFailPage(2, 500);
    const out = await run(t);
    expect(out.result).toMatchObject({ exitCode: 1, pages: 2, events: 6, error: { code: 'E0800' } });
    expect(out.events.map((e) => (e as { id: string }).id)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(streamState(out.state, 'logs')).toMatchObject({ sequence: { pages: 2 } });
    // The error is the last thing logged, after page 2's line.
    expect(out.logs.at(-1)).toMatchObject({ level: 'error', code: 'E0800' });
    expect(out.logs.filter((l) => l['msg'] === 'page done').map((l) => l['page'])).toEqual([1, 2]);
  });

  it('sends no request beyond the page cap', async () => {
    const t = await setup({ maxPagesPerRun: 2 });
    const out = await run(t);
    expect(out.result).toMatchObject({ exitCode: 0, pages: 2, events: 6 });
    expect(dataRequests(t.api)).toHaveLength(2);
  });

  it('sends no request after a page sequence that ends', async () => {
    const t = await setup();
    await run(t);
    expect(dataRequests(t.api)).toHaveLength(4);
    const again = await run(t);
    expect(again.result).toMatchObject({ exitCode: 0, pages: 1 });
    expect(dataRequests(t.api)).toHaveLength(5);
  });
});

describe('a stopped run cancels the request sent ahead', () => {
  it('aborts its retry wait when writing the page before it fails', async () => {
    // Page 2 fails once, so its request (sent ahead) waits before a retry, on a clock that only
    // ever ends a wait by its signal; page 1's records cannot be written.
    const t = await setup({ retry: { maxAttempts: 2, backoffBaseSeconds: 30, backoffMaxSeconds: 30 } });
    t.api.setFailPage(1, 500);
    const waits: AbortSignal[] = [];
    const clock: Clock = {
      now: () => t.clock.now(),
      random: () => 0.5,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          expect(signal).toBeDefined();
          waits.push(signal!);
          signal!.addEventListener('abort', () => reject(signal!.reason as Error), { once: true });
        }),
    };
    const stdout = new Writable({
      write(_chunk, _enc, done) {
        // Fails once the request sent ahead is waiting to retry (or after 2 s without one).
        const started = Date.now();
        const check = (): void => {
          if (waits.length > 0 || Date.now() - started > 2000) done(new Error('EPIPE: the reader went away'));
          else setTimeout(check, 5);
        };
        check();
      },
    });
    const result = await collectFromIR(t.ir, {
      env: envFor(t.ir, t.scenario),
      sets: { ...t.scenario.settings, base_url: t.api.url },
      stdout,
      stderr: () => undefined,
      clock,
      stateFile: t.stateFile,
      checkpointMs: 0,
    });
    expect(result.exitCode).toBe(1);
    expect(waits).toHaveLength(1);
    expect(waits[0]!.aborted).toBe(true);
    // Nothing was retried after the stop.
    expect(dataRequests(t.api)).toHaveLength(2);
  });

  it('systemClock.sleep ends at once when its signal aborts', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const wait = systemClock.sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(new Error('stopped')), 10);
    await expect(wait).rejects.toThrow('stopped');
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect(systemClock.sleep(60_000, controller.signal)).rejects.toThrow('stopped');
  });
});

/** `sequence.pages` of the state file `file` (0: no sequence in progress). */
function sequencePages(file: string): number {
  const state = JSON.parse(readFileSync(file, 'utf8')) as {
    streams: Record<string, { sequence?: { pages: number } }>;
  };
  return state.streams['logs']?.sequence?.pages ?? 0;
}
