/**
 * Measuring whole `node` processes, as users start them: wall time from spawn to exit, and the
 * child's own CPU time and peak RSS, reported by `usage-hook.mjs` (loaded with `--import`) when it
 * exits.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOOK = fileURLToPath(new URL('./usage-hook.mjs', import.meta.url));

export interface ProcessSample {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** The two parts of `cpuMs`, when the process reported them (`usage-hook.mjs`). */
  readonly userMs?: number;
  readonly systemMs?: number;
  readonly maxRssMiB: number;
  readonly code: number | null;
  readonly stdoutBytes: number;
}

/** Runs `node --import usage-hook.mjs ...args` once in `cwd`; stdout is counted, stderr dropped. */
export async function measureNode(
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<ProcessSample> {
  const dir = mkdtempSync(join(tmpdir(), 'mapc-bench-usage-'));
  const usage = join(dir, 'usage.jsonl');
  try {
    const started = performance.now();
    const { code, stdoutBytes } = await new Promise<{ code: number | null; stdoutBytes: number }>((resolve) => {
      const child = spawn(process.execPath, ['--import', HOOK, ...args], {
        cwd: options.cwd,
        env: { ...(options.env ?? process.env), MAPC_BENCH_USAGE: usage },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let bytes = 0;
      child.stdout.on('data', (c: Buffer) => (bytes += c.length));
      child.on('exit', (exitCode) => resolve({ code: exitCode, stdoutBytes: bytes }));
    });
    const wallMs = performance.now() - started;
    const line = readFileSync(usage, 'utf8').trim().split('\n').at(-1) ?? '{}';
    const { cpuMs, userMs, systemMs, maxRssMiB } = JSON.parse(line) as {
      cpuMs: number;
      userMs: number;
      systemMs: number;
      maxRssMiB: number;
    };
    return { wallMs, cpuMs, userMs, systemMs, maxRssMiB, code, stdoutBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The median of each figure over `reps` runs (after `warmup` unmeasured ones). */
export async function medianOf(
  reps: number,
  warmup: number,
  once: () => Promise<ProcessSample>,
): Promise<ProcessSample & { readonly reps: number }> {
  for (let i = 0; i < warmup; i++) await once();
  const samples: ProcessSample[] = [];
  for (let i = 0; i < reps; i++) samples.push(await once());
  const med = (pick: (s: ProcessSample) => number): number => {
    const sorted = samples.map(pick).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const parts = samples.every((s) => s.userMs !== undefined && s.systemMs !== undefined);
  return {
    wallMs: med((s) => s.wallMs),
    cpuMs: med((s) => s.cpuMs),
    ...(parts ? { userMs: med((s) => s.userMs!), systemMs: med((s) => s.systemMs!) } : {}),
    maxRssMiB: med((s) => s.maxRssMiB),
    code: samples.find((s) => s.code !== 0)?.code ?? 0,
    stdoutBytes: med((s) => s.stdoutBytes),
    reps,
  };
}
