/**
 * `mapc build`: its options and the choice between building in this thread alone and on several
 * threads (this one and worker threads). What building one map is: `cli/build-map.ts`, loaded
 * only when a map is built (`--help` and a usage error load no compiler).
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import type { TargetName } from '../../targets/contract.ts';
import type { BuildOptions } from '../build-options.ts';
import { cliError, type Io } from '../io.ts';
import { resolveMapPaths } from '../paths.ts';
import { isTargetName, TARGET_NAMES } from '../targets.ts';

export type { BuildOptions } from '../build-options.ts';

/**
 * The fewest maps per building thread: a worker thread costs ~0.2-0.3 s of CPU to start (loading
 * the compiler, building the parser, the ECS table and the backends), a map ~10 ms; fewer maps
 * than this per thread are built faster in this thread alone (the bundled 3 maps: 0.55 s CPU in
 * one thread, 0.95 s on two workers, session 4).
 */
export const MAPS_PER_WORKER = 8;

/** Parses `--target elastic,vector`; `undefined` (after reporting) when a name is unknown. */
export function parseTargets(io: Io, value: string | undefined): TargetName[] | undefined {
  if (value === undefined) return [...TARGET_NAMES];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !isTargetName(n));
  if (unknown.length > 0 || names.length === 0) {
    cliError(io, `unknown target ${unknown.join(', ') || '(none given)'}: expected ${TARGET_NAMES.join(', ')}`);
    return undefined;
  }
  return [...new Set(names)] as TargetName[];
}

/** Parses `--jobs <n>` (a whole number from 1); `undefined` (after reporting) when it is not one. */
export function parseJobs(io: Io, value: string | undefined): number | undefined {
  if (value === undefined) return availableParallelism();
  if (!/^[1-9][0-9]{0,3}$/.test(value)) {
    cliError(io, `--jobs ${value}: expected a whole number from 1`);
    return undefined;
  }
  return Number(value);
}

/**
 * `mapc build`: compile each map and run each backend, writing `<out>/<integration>/<target>/`.
 * A map with errors produces nothing; a target whose backend reports an error writes nothing
 * for that map; every diagnostic is printed; the exit code is 1 when anything failed.
 *
 * Several maps are shared among `options.jobs` threads, this one and worker threads
 * (`cli/build-pool.ts`), when the number of maps and the way mapc was started allow it; the
 * files written and what is printed, in its order, are the same as building the maps one after
 * the other here.
 */
export async function runBuild(io: Io, paths: readonly string[], options: BuildOptions): Promise<void> {
  let files: string[];
  try {
    files = resolveMapPaths(paths, io.cwd);
  } catch (error) {
    cliError(io, (error as Error).message);
    return;
  }
  const jobs = Math.min(options.jobs ?? 1, Math.floor(files.length / MAPS_PER_WORKER));
  if (jobs > 1) {
    const { buildInWorkers } = await import('../build-pool.ts');
    if (await buildInWorkers(io, files, options, jobs)) return;
  }
  const { buildSerially } = await import('../build-map.ts');
  await buildSerially(io, files, options);
}
