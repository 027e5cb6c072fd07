/**
 * `mapc build --watch`: builds, then builds again whenever a map or a fixture changes, until
 * interrupted (Ctrl-C, SIGINT or SIGTERM).
 *
 * Watched: each path given (a map file, or a directory of maps: `maps/` by default) and the
 * fixture root, recursively. Changes are gathered for {@link DEBOUNCE_MS} (an editor's save is
 * several events) before one rebuild; a change during a build starts another right after it.
 * Each build prints its diagnostics and output directories as `mapc build` does, then one line:
 * `[hh:mm:ss] built: ok` or `[hh:mm:ss] built: errors above`. The exit status is the last
 * build's.
 *
 * @module
 */
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DEFAULT_MAPS_DIR } from '../paths.ts';
import { inCwd, withFail, type Io } from '../io.ts';
import { runBuild, type BuildOptions } from './build.ts';

/** Quiet time after the last file event before a rebuild, ms. */
export const DEBOUNCE_MS = 150;

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

/** Runs until `stop` aborts (default: SIGINT or SIGTERM). */
export async function watchBuild(
  io: Io,
  paths: readonly string[],
  options: BuildOptions,
  stop?: AbortSignal,
): Promise<void> {
  let failed = false;
  // Each build reports failure to this flag, not to the process, so a later clean build counts.
  const buildIo = withFail(io, () => (failed = true));
  const build = async (): Promise<void> => {
    failed = false;
    await runBuild(buildIo, paths, options);
    io.err(`[${clock()}] built: ${failed ? 'errors above' : 'ok'}; watching for changes (Ctrl-C to stop)`);
  };

  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const changed = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (running) {
        again = true;
        return;
      }
      const loop = async (): Promise<void> => {
        do {
          again = false;
          await build();
        } while (again);
        running = undefined;
      };
      running = loop();
    }, DEBOUNCE_MS);
  };
  const watchPath = (path: string, recursive: boolean, only?: string): void => {
    try {
      const w = watch(path, { recursive }, (_event, name) => {
        if (only === undefined || name === only) changed();
      });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch (error) {
      io.err(`warning: cannot watch ${path}: ${(error as Error).message}`);
    }
  };

  for (const path of (paths.length > 0 ? paths : [DEFAULT_MAPS_DIR]).map((p) => inCwd(io, p))) {
    if (!existsSync(path)) continue;
    // A file is watched through its directory: editors save by replacing the file.
    if (statSync(path).isDirectory()) watchPath(path, false);
    else watchPath(dirname(path), false, basename(path));
  }
  const fixtures = options.fixtures === false ? undefined : inCwd(io, options.fixtures);
  if (fixtures !== undefined && existsSync(fixtures)) watchPath(fixtures, true);

  await build();

  const done = stop ?? signalStop();
  await new Promise<void>((resolve) => {
    if (done.aborted) resolve();
    else done.addEventListener('abort', () => resolve(), { once: true });
  });
  if (timer) clearTimeout(timer);
  for (const w of watchers) w.close();
  await running;
  if (failed) io.fail();
}

/** Aborted on the first SIGINT or SIGTERM. */
function signalStop(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return controller.signal;
}
