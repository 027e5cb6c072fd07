/**
 * Timing samples and their summary. Times are milliseconds from `performance.now()` (a
 * monotonic clock, sub-millisecond resolution in Node 20).
 *
 * @module
 */

/** Summary of repeated measurements of one thing, all in milliseconds. */
export interface TimingSummary {
  /** Number of measured repetitions (warm-up runs excluded). */
  readonly reps: number;
  readonly median: number;
  /** 95th percentile, nearest-rank method (with fewer than 20 samples it is the maximum). */
  readonly p95: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

export interface MeasureOptions {
  /** Runs before measuring, discarded: JIT compilation, caches, lazy initialisation. */
  readonly warmup: number;
  readonly reps: number;
}

/** Nearest-rank percentile `p` (0-100) of `samples`; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** Median (mean of the two middle values for an even count); NaN for no samples. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(samples: readonly number[]): TimingSummary {
  const total = samples.reduce((a, b) => a + b, 0);
  return {
    reps: samples.length,
    median: median(samples),
    p95: percentile(samples, 95),
    min: samples.length === 0 ? Number.NaN : Math.min(...samples),
    max: samples.length === 0 ? Number.NaN : Math.max(...samples),
    mean: samples.length === 0 ? Number.NaN : total / samples.length,
  };
}

/** Runs `fn` `warmup` times unmeasured, then `reps` times measured; returns the raw samples (ms). */
export function sample(fn: () => void, options: MeasureOptions): number[] {
  for (let i = 0; i < options.warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < options.reps; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** {@link sample} for asynchronous work. */
export async function sampleAsync(fn: () => Promise<void>, options: MeasureOptions): Promise<number[]> {
  for (let i = 0; i < options.warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < options.reps; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** `count` items per sample of `ms` milliseconds, as items per second. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : Number.POSITIVE_INFINITY;
}
