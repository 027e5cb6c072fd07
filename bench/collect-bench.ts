/**
 * Figure 5: `mapc collect` (`collectFromIR`, in this process) against the mock vendor API on
 * 127.0.0.1 (in a child process, see `mock-child.ts`): one run fetches every page of the
 * synthetic scenario (`collect-scenario.ts`) and writes every record to a counting sink. The
 * state file lives in a fresh temporary directory per run, removed afterwards.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { collectFromIR } from '../collector/run.ts';
import type { IntegrationIR } from '../compiler/ir.ts';
import { perSecond, summarize, type TimingSummary } from './stats.ts';

export interface CollectPlan {
  readonly pages: number;
  readonly perPage: number;
  /** Shorter unmeasured run first (JIT, sockets), in pages. */
  readonly warmupPages: number;
  /** Measured runs printing raw records (what the Vector and Logstash exec sources consume). */
  readonly rawReps: number;
  /** Measured runs with `--mapped` (every record also goes through the reference interpreter). */
  readonly mappedReps: number;
  /** Upper bound on the mock server's life, ms. */
  readonly serverLifetimeMs: number;
}

export interface CollectRow {
  readonly mode: 'raw' | 'mapped';
  readonly pages: number;
  readonly records: number;
  /** Bytes written to stdout per run. */
  readonly outputBytes: number;
  /** ms per run. */
  readonly time: TimingSummary;
  readonly pagesPerSecond: { readonly median: number; readonly p95: number };
  readonly recordsPerSecond: { readonly median: number; readonly p95: number };
}

export interface CollectResults {
  readonly map: string;
  readonly rows: readonly CollectRow[];
}

interface MockChild {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts `mock-child.ts` with the same Node and loader flags (tsx) this process runs with. */
async function startMockChild(plan: CollectPlan, token: string): Promise<MockChild> {
  const script = fileURLToPath(new URL('./mock-child.ts', import.meta.url));
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, script, String(plan.pages), String(plan.perPage), String(plan.serverLifetimeMs)],
    {
      env: { ...process.env, MAPC_BENCH_API_TOKEN: token },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGTERM'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('mock API child did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`mock API child exited with ${code} before listening`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  lines.close();
  return { url, stop };
}

/** A stdout that keeps nothing: counts bytes. */
function countingSink(): { stream: Writable; bytes: () => number } {
  let bytes = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  return { stream, bytes: () => bytes };
}

/** `ir` with room for `pages` pages in one run (the map's `max_pages` would stop earlier). */
function withMaxPages(ir: IntegrationIR, pages: number): IntegrationIR {
  return { ...ir, streams: ir.streams.map((s) => ({ ...s, source: { ...s.source, maxPagesPerRun: pages } })) };
}

/**
 * Runs the plan on `ir`, which must be the Enpass map (the scenario is shaped after it):
 * bearer secret, `base_url` and `backfill_start` settings, `cursor_has_more` paging.
 */
export async function benchCollect(ir: IntegrationIR, plan: CollectPlan): Promise<CollectResults> {
  const stream = ir.streams[0];
  const secret = ir.secrets[0];
  if (!stream || !secret || ir.streams.length !== 1)
    throw new Error(`collect bench: ${ir.name} is not shaped like maps/enpass.map`);
  const token = `bench-${randomBytes(16).toString('hex')}`;
  const api = await startMockChild(plan, token);
  const stateDir = mkdtempSync(join(tmpdir(), 'mapc-bench-'));
  try {
    const once = async (
      pages: number,
      mapped: boolean,
      runIndex: number,
    ): Promise<{ ms: number; pages: number; events: number; bytes: number }> => {
      const sink = countingSink();
      const errors: string[] = [];
      const start = performance.now();
      const result = await collectFromIR(withMaxPages(ir, pages), {
        stream: stream.name,
        stateFile: join(stateDir, `state-${runIndex}.json`),
        mapped,
        env: { [secret.envVar]: token },
        // Before every record: the server's since filter and the collector's cursor let all through.
        sets: { base_url: api.url, backfill_start: '2000-01-01T00:00:00Z' },
        stdout: sink.stream,
        stderr: (line) => {
          if (line.includes('"error"')) errors.push(line.trim());
        },
      });
      const ms = performance.now() - start;
      if (result.exitCode !== 0)
        throw new Error(
          `mapc collect failed: ${result.error?.code ?? ''} ${result.error?.message ?? errors.join(' | ')}`,
        );
      return { ms, pages: result.pages, events: result.events, bytes: sink.bytes() };
    };
    let run = 0;
    await once(plan.warmupPages, false, run++);
    const rows: CollectRow[] = [];
    for (const [mode, reps] of [
      ['raw', plan.rawReps],
      ['mapped', plan.mappedReps],
    ] as const) {
      if (reps === 0) continue;
      const results = [];
      for (let i = 0; i < reps; i++) results.push(await once(plan.pages + 1, mode === 'mapped', run++));
      const last = results[results.length - 1]!;
      const time = summarize(results.map((r) => r.ms));
      rows.push({
        mode,
        pages: last.pages,
        records: last.events,
        outputBytes: last.bytes,
        time,
        pagesPerSecond: { median: perSecond(last.pages, time.median), p95: perSecond(last.pages, time.p95) },
        recordsPerSecond: { median: perSecond(last.events, time.median), p95: perSecond(last.events, time.p95) },
      });
    }
    return { map: ir.name, rows };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
    await api.stop();
  }
}
