/**
 * `mapc build` of several maps on several threads, one per core by default: this thread and
 * worker threads (`node:worker_threads`). Each thread runs one builder (`build-worker.ts`
 * `MapBuilder`), which compiles, emits and writes the maps it is handed, and this thread prints
 * what each map printed, in the order of the maps. This thread builds too: on two cores, one
 * worker and this thread keep both busy, and the build pays one worker's start-up (loading the
 * compiler, the ECS table and the backends, and V8 optimizing them again) instead of two.
 *
 * The result is the serial build's: the same files, the same stderr in the same order, the same
 * exit status. A map's work has two phases (`commands/build.ts`): prepare (compile, check the
 * fixtures, emit: all CPU) and write. Maps are handed out one at a time to whichever builder asks
 * (a shared machine keeps no builder idle); a builder prepares a map, reports the integration
 * name that names its output directories, and writes only when this thread grants it: once every
 * earlier map has been prepared and every earlier map of the same integration name has been
 * written. Two maps of one name thus write in the serial order (the later one's files win, as
 * they always did), and a builder never waits: it prepares its next map meanwhile.
 *
 * A builder that throws (a bug) stops the build as the serial build would: the maps before it
 * are printed, then the error propagates (`run.ts`: internal error, exit status 2).
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import type { Io } from './io.ts';
import type { BuildOptions } from './build-options.ts';
import { BUILD_WORKER_ROLE, entryUrl } from './entry.ts';
import type { BuildWorkerData, FromWorker, ToWorker } from './build-protocol.ts';

/**
 * Builds `files` on `threads` threads (at least 2): this one and `threads - 1` worker threads,
 * printing through `io`.
 * @returns false, having done nothing, when workers cannot be started here (mapc's entry file
 *   is unknown: see `entry.ts`); the caller then builds in this thread alone
 * @throws the first error a builder threw while building a map, after printing the maps before it
 */
export async function buildInWorkers(
  io: Io,
  files: readonly string[],
  options: BuildOptions,
  threads: number,
): Promise<boolean> {
  const entry = entryUrl();
  if (entry === undefined) return false;
  const data: BuildWorkerData = {
    role: BUILD_WORKER_ROLE,
    options: { out: options.out, targets: options.targets, force: options.force, fixtures: options.fixtures },
    colour: io.colour === true,
    cwd: io.cwd,
    env: io.env,
  };
  // Not part of the build's output: only with MAPC_DEBUG (tests check that workers ran).
  if (io.env['MAPC_DEBUG'])
    io.err(`mapc: building ${files.length} maps on ${threads} threads (this one and ${threads - 1} workers)`);
  const { loadBackends } = await import('./build-map.ts');
  const { MapBuilder } = await import('./build-worker.ts');
  const order = new WriteOrder(files.length);
  const finished: ({ err: readonly string[]; failed: boolean } | undefined)[] = new Array(files.length);
  /** Builder 0 is this thread's; builder w > 0 is `workers[w - 1]`. */
  const send: ((message: ToWorker) => void)[] = [];
  const workers: Worker[] = [];
  let local: InstanceType<typeof MapBuilder> | undefined;
  let next = 0;
  let printed = 0;

  try {
    const backends = await loadBackends(data.options.targets);
    await new Promise<void>((resolve, reject) => {
      let crash: { index: number; error: Error } | undefined;
      const flush = (): void => {
        while (printed < files.length) {
          if (crash?.index === printed) {
            reject(crash.error);
            return;
          }
          const result = finished[printed];
          if (result === undefined) return;
          finished[printed] = undefined;
          // One write for the map's lines (as `io.err` ends each line): the same bytes in fewer calls.
          if (result.err.length > 0) io.err(result.err.map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join(''));
          if (result.failed) io.fail();
          printed++;
        }
        resolve();
      };
      const grant = (): void => {
        for (const index of order.grantable()) send[order.workerOf(index)]!({ kind: 'write', index });
      };
      const received = (w: number, message: FromWorker): void => {
        switch (message.kind) {
          case 'next':
            if (next < files.length) {
              const index = next++;
              order.assign(index, w);
              send[w]!({ kind: 'map', index, file: files[index]! });
            }
            return;
          case 'prepared':
            order.prepared(message.index, message.name);
            grant();
            return;
          case 'done':
            finished[message.index] = { err: message.err, failed: message.failed };
            order.written(message.index);
            grant();
            flush();
            return;
          case 'crashed': {
            const error = new Error(message.message);
            if (message.stack !== undefined) error.stack = message.stack;
            if (crash === undefined || message.index < crash.index) crash = { index: message.index, error };
            flush();
            return;
          }
        }
      };
      // This thread's builder answers on a later microtask, as a worker's message would arrive:
      // never from inside the handler that sent it a message.
      const builder = new MapBuilder(data.options, backends, data, (message) =>
        queueMicrotask(() => received(0, message)),
      );
      local = builder;
      send.push((message) => builder.receive(message));
      for (let w = 1; w < threads; w++) {
        const worker = new Worker(entry, { workerData: data });
        workers.push(worker);
        send.push((message) => worker.postMessage(message));
        worker.on('message', (message: FromWorker) => received(w, message));
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (printed < files.length) reject(new Error(`a build worker exited early (code ${code})`));
        });
      }
      builder.start();
    });
  } finally {
    local?.stop();
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return true;
}

/**
 * Which prepared maps may write now (see the module doc): map `i` of name `n` once maps
 * `0..i-1` are all prepared and none of them named `n` is still unwritten.
 */
export class WriteOrder {
  /** Per map: its builder (-1: not handed out yet). */
  readonly #worker: number[];
  /** Per map: prepared, and its name (undefined: nothing to write). */
  readonly #prepared: ({ name: string | undefined } | undefined)[];
  /** Per name: the indexes of its prepared maps not written yet, ascending. */
  readonly #unwritten = new Map<string, number[]>();
  /** Maps `0..#preparedPrefix - 1` are all prepared. */
  #preparedPrefix = 0;
  /** Prepared maps not yet granted, ascending. */
  #waiting: number[] = [];

  constructor(count: number) {
    this.#worker = new Array<number>(count).fill(-1);
    this.#prepared = new Array(count);
  }

  assign(index: number, worker: number): void {
    this.#worker[index] = worker;
  }

  workerOf(index: number): number {
    return this.#worker[index]!;
  }

  prepared(index: number, name: string | undefined): void {
    this.#prepared[index] = { name };
    if (name !== undefined) {
      const list = this.#unwritten.get(name) ?? [];
      list.push(index);
      list.sort((a, b) => a - b);
      this.#unwritten.set(name, list);
      this.#waiting.push(index);
      this.#waiting.sort((a, b) => a - b);
    }
    while (this.#preparedPrefix < this.#prepared.length && this.#prepared[this.#preparedPrefix] !== undefined)
      this.#preparedPrefix++;
  }

  written(index: number): void {
    const name = this.#prepared[index]?.name;
    if (name === undefined) return;
    const list = this.#unwritten.get(name);
    if (list === undefined) return;
    const at = list.indexOf(index);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.#unwritten.delete(name);
  }

  /** The maps that may write now, each returned once. */
  grantable(): number[] {
    const out: number[] = [];
    this.#waiting = this.#waiting.filter((index) => {
      if (index >= this.#preparedPrefix) return true;
      if (this.#unwritten.get(this.#prepared[index]!.name!)?.[0] !== index) return true;
      out.push(index);
      return false;
    });
    return out;
  }
}
