/**
 * The file `mapc` was started from, for the worker threads of `mapc build` (`build-pool.ts`),
 * which run that same file: `dist/cli/main.js` (split build), `dist/mapc.mjs` (single file) or
 * `cli/main.ts` (from source, with the TypeScript loader the workers inherit). Unknown (mapc
 * run in process by a test, or as the standalone executable, whose one script cannot be started
 * again as a worker): builds stay in one thread.
 *
 * @module
 */

/** `workerData.role` of a `mapc build` worker thread. */
export const BUILD_WORKER_ROLE = 'mapc-build-worker';

let entry: URL | undefined;

/** Records the URL of the entry module (`import.meta.url` of `cli/main.ts`). */
export function setEntry(url: string): void {
  entry = new URL(url);
}

/** The entry module's URL, when {@link setEntry} was called. */
export function entryUrl(): URL | undefined {
  return entry;
}
