/**
 * A deterministic source of random numbers for the map fuzzer: counter-based, from SHA-256 of
 * `seed:stream:counter`, so map number `i` of a run with seed `s` is the same map whatever the
 * run's length or the order maps are drawn in (a failure is reproduced by its seed and index).
 *
 * @module
 */
import { createHash } from 'node:crypto';

export class Random {
  #counter = 0;
  #pool: number[] = [];

  /** `seed` and `stream` name the sequence: `new Random(7, 1234)` is map 1234 of seed 7. */
  constructor(
    readonly seed: number,
    readonly stream: number,
  ) {}

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    if (this.#pool.length === 0) {
      const digest = createHash('sha256').update(`${this.seed}:${this.stream}:${this.#counter++}`).digest();
      for (let i = 0; i < digest.length; i += 4) this.#pool.push(digest.readUInt32LE(i));
    }
    return this.#pool.pop()!;
  }

  /** A uniform integer in `[0, n)` (`n` ≥ 1). */
  below(n: number): number {
    return Math.floor((this.uint32() / 2 ** 32) * n);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.uint32() / 2 ** 32 < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
}
