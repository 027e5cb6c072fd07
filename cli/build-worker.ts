/**
 * A builder of `mapc build` (`build-pool.ts` has the protocol): asks for maps, prepares each
 * (compile, fixtures, emit), reports its integration name, writes it when granted, and sends
 * back what the map printed. {@link MapBuilder} is one builder; {@link runBuildWorker} runs one
 * in a worker thread, and the pool runs one more in its own thread.
 *
 * @module
 */
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import type { BuildOptions } from './build-options.ts';
import type { BuildWorkerData, FromWorker, ToWorker } from './build-protocol.ts';
import { WORKER_QUEUE } from './build-protocol.ts';
import { loadBackends, prepareMap, writeMap, type Backends, type PreparedMap } from './build-map.ts';
import type { Io } from './io.ts';
import { Sources } from './report.ts';

/** One map's stderr, kept until it is finished. */
interface Capture {
  readonly io: Io;
  readonly err: string[];
  failed: boolean;
}

/** What a builder's maps print through: the run's colour, working directory and environment. */
export interface BuilderContext {
  readonly colour: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function capture(context: BuilderContext): Capture {
  const c: Capture = {
    err: [],
    failed: false,
    io: {
      out: (text) => c.err.push(text),
      err: (text) => c.err.push(text),
      fail: () => (c.failed = true),
      colour: context.colour,
      cwd: context.cwd,
      env: context.env,
      // A build reads no standard input.
      stdin: Readable.from([]),
    },
  };
  return c;
}

/**
 * One builder: takes the pool's messages ({@link receive}) and answers through `post`. Prepares
 * one map per turn of the event loop, so that write grants are handled between maps.
 */
export class MapBuilder {
  readonly #queue: { index: number; file: string }[] = [];
  readonly #pending = new Map<number, { prepared: PreparedMap; capture: Capture }>();
  readonly #sources = new Sources();
  #scheduled = false;
  #stopped = false;

  constructor(
    private readonly options: BuildOptions,
    private readonly backends: Backends,
    private readonly context: BuilderContext,
    private readonly post: (message: FromWorker) => void,
  ) {}

  /** Asks for the first maps: one in hand, one queued ({@link WORKER_QUEUE}). */
  start(): void {
    for (let i = 0; i < WORKER_QUEUE; i++) this.post({ kind: 'next' });
  }

  /** Handles a message of the pool. */
  receive(message: ToWorker): void {
    if (this.#stopped) return;
    if (message.kind === 'map') {
      this.#queue.push({ index: message.index, file: message.file });
      this.#schedule();
    } else this.#finish(message.index);
  }

  /** Drops the maps not started and ignores every later message (the build is over or failed). */
  stop(): void {
    this.#stopped = true;
    this.#queue.length = 0;
  }

  #crashed(index: number, error: unknown): void {
    const e = error instanceof Error ? error : new Error(String(error));
    this.post({ kind: 'crashed', index, message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) });
  }

  #finish(index: number): void {
    const entry = this.#pending.get(index)!;
    this.#pending.delete(index);
    try {
      writeMap(entry.capture.io, entry.prepared, this.#sources, this.options);
    } catch (error) {
      this.#crashed(index, error);
      return;
    }
    this.post({ kind: 'done', index, err: entry.capture.err, failed: entry.capture.failed });
  }

  #step(): void {
    this.#scheduled = false;
    const job = this.#queue.shift();
    if (job === undefined || this.#stopped) return;
    const c = capture(this.context);
    try {
      const prepared = prepareMap(c.io, job.file, this.#sources, this.backends, this.options);
      this.#pending.set(job.index, { prepared, capture: c });
      this.post({ kind: 'prepared', index: job.index, name: prepared.name });
      if (prepared.name === undefined) this.#finish(job.index);
    } catch (error) {
      this.#crashed(job.index, error);
    }
    this.post({ kind: 'next' });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => this.#step());
  }
}

/** Runs a worker thread's builder until the main thread terminates it. */
export async function runBuildWorker(): Promise<void> {
  const port = parentPort!;
  const data = workerData as BuildWorkerData;
  const backends = await loadBackends(data.options.targets);
  const builder = new MapBuilder(data.options, backends, data, (message) => port.postMessage(message));
  port.on('message', (message: ToWorker) => builder.receive(message));
  builder.start();
}
