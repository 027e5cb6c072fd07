/**
 * Entry point of `mapc` (started by `bin/mapc.js`, bundled by `scripts/build.ts`); see `run.ts`.
 * The same file runs the worker threads of `mapc build` (`build-pool.ts`), which
 * `workerData.role` tells apart.
 *
 * @module
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { BUILD_WORKER_ROLE, setEntry } from './entry.ts';

// Each branch imports only its own code: a build worker loads no command line (commander).
if (!isMainThread && (workerData as { role?: unknown } | null)?.role === BUILD_WORKER_ROLE) {
  const { runBuildWorker } = await import('./build-worker.ts');
  await runBuildWorker();
} else {
  setEntry(import.meta.url);
  const { runMapc } = await import('./run.ts');
  await runMapc(process.argv);
}
