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

/** A distribution-free confidence interval for the median of some samples ({@link medianInterval}). */
export interface MedianInterval {
  readonly median: number;
  readonly low: number;
  readonly high: number;
  /** The interval's exact coverage (≥ the confidence asked for when there are enough samples). */
  readonly coverage: number;
  readonly samples: number;
}

/**
 * The order-statistic confidence interval for the median of `samples` (assumed independent):
 * `[x(k), x(n+1-k)]` of the sorted samples, with `k` the largest rank for which
 * `2 · P(X ≤ k-1) ≤ 1 - confidence`, `X ~ Binomial(n, 1/2)` (each sample falls below the true
 * median with probability ½: the sign test's interval, as in W. J. Conover, *Practical
 * Nonparametric Statistics*, 3rd ed., ch. 3). With too few samples for the confidence asked (fewer
 * than 6 for 95 %), the interval is the samples' range and `coverage` says what it covers
 * (`1 - 2 · 0.5^n`). NaN fields for no samples.
 *
 * @throws RangeError for more than 1,000 samples (`0.5^n` would underflow).
 */
export function medianInterval(samples: readonly number[], confidence = 0.95): MedianInterval {
  const n = samples.length;
  if (n > 1000) throw new RangeError(`medianInterval: ${n} samples (at most 1,000)`);
  if (n === 0) return { median: Number.NaN, low: Number.NaN, high: Number.NaN, coverage: Number.NaN, samples: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  let rank = 1;
  while (rank < Math.ceil(n / 2) && 2 * binomialCdf(n, rank) <= 1 - confidence) rank++;
  return {
    median: median(samples),
    low: sorted[rank - 1] as number,
    high: sorted[n - rank] as number,
    coverage: 1 - 2 * binomialCdf(n, rank - 1),
    samples: n,
  };
}

/** P(X ≤ j) for X ~ Binomial(n, 1/2). */
function binomialCdf(n: number, j: number): number {
  let term = 0.5 ** n;
  let sum = 0;
  for (let i = 0; i <= j; i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return sum;
}
