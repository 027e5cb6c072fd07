/**
 * Figure 7: `mapc collect` as a process (`node bin/mapc.js collect`, raw records to a pipe, as
 * the Vector and Logstash exec sources run it) against the least a Node script can do for the
 * same pages (`minimal-collect.mjs`), on the same API (`page-server.ts`, in this process, on
 * 127.0.0.1): wall time, records per second, the process's CPU time and peak RSS, and the ratio
 * of mapc's throughput to the script's. The runs alternate (script, mapc, script, mapc, ...).
 *
 * mapc collects the IR of `maps/enpass.map` with its page cap raised to the page count, from an
 * IR file (what `mapc ir` prints), with a fresh state file per run, which it replaces atomically
 * (write, fsync, rename, fsync of the directory: `collector/state.ts`) at most once a second
 * during the page sequence and at its end (the default `--checkpoint-ms`), the cost of its
 * at-least-once guarantee that the script does not pay; a third row runs mapc without a state
 * file (no cursor kept), which isolates that cost from the rest of the collector. The script
 * runs first in each repetition; the two mapc runs swap places from one repetition to the next.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IntegrationIR } from '../compiler/ir.ts';
import { startPageServer } from './page-server.ts';
import { measureNode, type ProcessSample } from './process.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ThroughputPlan {
  readonly pages: number;
  readonly perPage: number;
  readonly reps: number;
}

export interface ThroughputRow {
  readonly label: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  readonly recordsPerSecond: number;
  readonly outputMiB: number;
}

export interface ThroughputResults {
  readonly records: number;
  readonly reps: number;
  readonly minimal: ThroughputRow;
  readonly mapc: ThroughputRow;
  /** mapc without `--state`: no state file written. */
  readonly stateless: ThroughputRow;
  /** mapc records/s ÷ the script's. */
  readonly ratio: number;
  /** mapc records/s without a state file ÷ the script's. */
  readonly statelessRatio: number;
  /** The script's CPU time ÷ mapc's, for the same records (wall-time ratios are noise on a loaded machine). */
  readonly cpuRatio: number;
  /** The script's CPU time ÷ mapc's without a state file. */
  readonly statelessCpuRatio: number;
}

function medianRow(label: string, samples: readonly ProcessSample[], records: number): ThroughputRow {
  const med = (pick: (s: ProcessSample) => number): number => {
    const sorted = samples.map(pick).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const wallMs = med((s) => s.wallMs);
  return {
    label,
    wallMs,
    cpuMs: med((s) => s.cpuMs),
    maxRssMiB: med((s) => s.maxRssMiB),
    recordsPerSecond: (records * 1000) / wallMs,
    outputMiB: med((s) => s.stdoutBytes) / 1024 / 1024,
  };
}

/** Runs the plan on `ir`, which must be `maps/enpass.map`'s. */
export async function benchThroughput(ir: IntegrationIR, plan: ThroughputPlan): Promise<ThroughputResults> {
  const token = `bench-${randomBytes(16).toString('hex')}`;
  const server = await startPageServer(plan.pages, plan.perPage, token);
  const work = mkdtempSync(join(tmpdir(), 'mapc-bench-throughput-'));
  try {
    const irFile = join(work, 'enpass.ir.json');
    const raised: IntegrationIR = {
      ...ir,
      streams: ir.streams.map((s) => ({ ...s, source: { ...s.source, maxPagesPerRun: plan.pages + 1 } })),
    };
    writeFileSync(irFile, JSON.stringify(raised));
    const env = { ...process.env, ENPASS_API_TOKEN: token };
    const records = plan.pages * plan.perPage;
    const minimal: ProcessSample[] = [];
    const mapc: ProcessSample[] = [];
    const stateless: ProcessSample[] = [];
    const collect = (state: readonly string[]): Promise<ProcessSample> =>
      measureNode(
        [
          join(ROOT, 'bin', 'mapc.js'),
          'collect',
          irFile,
          ...state,
          '--set',
          `base_url=${server.url}`,
          '--set',
          'backfill_start=2000-01-01T00:00:00Z',
        ],
        { env },
      );
    for (let i = 0; i < plan.reps; i++) {
      const m = await measureNode([join(ROOT, 'bench', 'minimal-collect.mjs'), server.url], { env });
      // The two mapc runs swap places every repetition, so that neither is always the one that
      // follows the other (with a fixed order, "no state file" always ran second).
      let c: ProcessSample;
      let n: ProcessSample;
      if (i % 2 === 0) {
        c = await collect(['--state', join(work, `state-${i}.json`)]);
        n = await collect([]);
      } else {
        n = await collect([]);
        c = await collect(['--state', join(work, `state-${i}.json`)]);
      }
      if (m.code !== 0 || c.code !== 0 || n.code !== 0) {
        throw new Error(`collect runs exited with ${m.code}, ${c.code} and ${n.code}`);
      }
      minimal.push(m);
      mapc.push(c);
      stateless.push(n);
    }
    const minimalRow = medianRow('minimal Node script (fetch, one write per page)', minimal, records);
    const mapcRow = medianRow('mapc collect (raw records, state file)', mapc, records);
    const statelessRow = medianRow('mapc collect (raw records, no state file)', stateless, records);
    return {
      records,
      reps: plan.reps,
      minimal: minimalRow,
      mapc: mapcRow,
      stateless: statelessRow,
      ratio: mapcRow.recordsPerSecond / minimalRow.recordsPerSecond,
      statelessRatio: statelessRow.recordsPerSecond / minimalRow.recordsPerSecond,
      cpuRatio: minimalRow.cpuMs / mapcRow.cpuMs,
      statelessCpuRatio: minimalRow.cpuMs / statelessRow.cpuMs,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await server.close();
  }
}
