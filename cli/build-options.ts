/**
 * The options of `mapc build`, shared by the command (`commands/build.ts`), the build of one map
 * (`build-map.ts`) and the worker threads (`build-pool.ts`).
 *
 * @module
 */
import type { TargetName } from '../targets/contract.ts';

export interface BuildOptions {
  /** Output root (default `generated`). */
  readonly out: string;
  readonly targets: readonly TargetName[];
  /** Overwrite files in the output directories that mapc did not generate. */
  readonly force: boolean;
  /**
   * Fixture root (`<dir>/<integration>/<stream>/{records,expected}.json`) for the engine-side
   * tests the backends generate; `false`: none.
   */
  readonly fixtures: string | false;
  /**
   * Threads compiling maps at once (`cli/build-pool.ts`): this one and `jobs - 1` worker
   * threads; default: one per core (`os.availableParallelism()`), never more than one per
   * `MAPS_PER_WORKER` (`commands/build.ts`) maps; 1 (or fewer maps than twice that): all in this
   * thread, no worker.
   */
  readonly jobs?: number;
}
