/**
 * The machine a run measured, and its memory gauges. Figures from two runs compare only when
 * these match (same Node version, same CPU model and core count, similar load).
 *
 * @module
 */
import { cpus, loadavg, totalmem, platform, release, arch } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MachineInfo {
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly cpuModel: string;
  /** Logical cores the OS reports (`os.cpus().length`). */
  readonly cores: number;
  /** Total memory, MiB. */
  readonly memoryMiB: number;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  readonly loadAverage1m: number;
  /** ISO 8601 UTC time the run started. */
  readonly startedAt: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()} ${release()} ${arch()}`,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    startedAt: new Date().toISOString(),
  };
}

let gcFunction: (() => void) | undefined;

/**
 * A full garbage collection, so that heap figures measure live objects rather than garbage.
 * `--expose-gc` is switched on at run time and `gc` fetched from a fresh context: the documented
 * V8 flag (https://nodejs.org/api/v8.html#v8setflagsfromstringflags) without having to change
 * how `npm run bench` starts Node.
 */
export function collectGarbage(): void {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  gcFunction();
}

/** V8 heap in use after a full GC, bytes. */
export function liveHeapBytes(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Peak resident set size of this process so far, MiB (`getrusage` `ru_maxrss`). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
