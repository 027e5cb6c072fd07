import { describe, expect, it } from 'vitest';
import { medianInterval } from '../../bench/stats.ts';

/** 1..n in a scrambled order, so the interval must come from sorting. */
const scrambled = (n: number): number[] =>
  Array.from({ length: n }, (_, i) => (i % 2 === 1 ? n - (i >> 1) : (i >> 1) + 1));

/** A small deterministic PRNG (mulberry32) for the coverage check. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('medianInterval', () => {
  it('takes the order statistics the binomial distribution gives', () => {
    // n = 15: 2·P(X ≤ 3) = 1152/32768 ≤ 0.05 < 2·P(X ≤ 4), so ranks 4 and 12.
    expect(medianInterval(scrambled(15))).toEqual({
      median: 8,
      low: 4,
      high: 12,
      coverage: 1 - 1152 / 32768,
      samples: 15,
    });
    // n = 30: ranks 10 and 21 (the textbook values for 95 %).
    const thirty = medianInterval(scrambled(30));
    expect([thirty.low, thirty.high]).toEqual([10, 21]);
    expect(thirty.coverage).toBeGreaterThanOrEqual(0.95);
    expect(thirty.coverage).toBeLessThan(0.96);
  });

  it('widens to the range when the samples are too few, and says what that covers', () => {
    expect(medianInterval(scrambled(7))).toMatchObject({ low: 1, high: 7, coverage: 1 - 2 / 128 });
    const five = medianInterval(scrambled(5));
    expect([five.low, five.high]).toEqual([1, 5]);
    expect(five.coverage).toBe(1 - 2 / 32);
    expect(medianInterval([3]).coverage).toBe(0);
    expect(Number.isNaN(medianInterval([]).median)).toBe(true);
  });

  it('covers the true median at least as often as it claims (simulated, uniform samples)', () => {
    const next = rng(8);
    for (const n of [7, 15, 24]) {
      let covered = 0;
      const trials = 4000;
      let claimed = 0;
      for (let t = 0; t < trials; t++) {
        const r = medianInterval(Array.from({ length: n }, next));
        claimed = r.coverage;
        if (r.low <= 0.5 && 0.5 <= r.high) covered++;
      }
      // Binomial noise of 4,000 trials: about ±0.007 at this coverage.
      expect(covered / trials).toBeGreaterThan(claimed - 0.02);
      expect(covered / trials).toBeLessThan(claimed + 0.02);
    }
  });

  it('refuses more samples than it can count exactly', () => {
    expect(() => medianInterval(new Array(1001).fill(1))).toThrow(RangeError);
  });
});
