/**
 * The messages between `mapc build`'s pool (`build-pool.ts`) and its builders (`build-worker.ts`),
 * and what a worker thread is started with: one module both import.
 *
 * @module
 */
import type { BuildOptions } from './build-options.ts';
import type { BUILD_WORKER_ROLE } from './entry.ts';

/** What a build worker is started with (`workerData`). */
export interface BuildWorkerData {
  readonly role: typeof BUILD_WORKER_ROLE;
  readonly options: BuildOptions;
  /** Whether diagnostics are coloured (the main thread's `io.colour`). */
  readonly colour: boolean;
  /** The run's working directory and environment (the main thread's `io.cwd`, `io.env`). */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Messages from this thread to a builder. */
export type ToWorker =
  | { readonly kind: 'map'; readonly index: number; readonly file: string }
  | { readonly kind: 'write'; readonly index: number };

/** Messages from a builder to this thread. */
export type FromWorker =
  /** The builder wants another map. */
  | { readonly kind: 'next' }
  /**
   * Map `index` is prepared; `name` names its output directories (undefined: nothing to write,
   * and the builder finishes the map without waiting for a grant).
   */
  | { readonly kind: 'prepared'; readonly index: number; readonly name: string | undefined }
  /** Map `index` is finished: what it printed to stderr, in order, and whether it failed. */
  | { readonly kind: 'done'; readonly index: number; readonly err: readonly string[]; readonly failed: boolean }
  /** Building map `index` threw. */
  | { readonly kind: 'crashed'; readonly index: number; readonly message: string; readonly stack?: string };

/** Maps a builder asks for before its first one is finished: one in hand, one queued. */
export const WORKER_QUEUE = 2;
