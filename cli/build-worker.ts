/**
 * A worker thread of `mapc build` (`build-pool.ts` has the protocol): asks for maps, prepares
 * each (compile, fixtures, emit), reports its integration name, writes it when granted, and
 * sends back what the map printed.
 *
 * @module
 */
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import type { BuildWorkerData, FromWorker, ToWorker } from './build-pool.ts';
import { WORKER_QUEUE } from './build-pool.ts';
import { loadBackends, prepareMap, writeMap, type PreparedMap } from './build-map.ts';
import type { Io } from './io.ts';
import { Sources } from './report.ts';

/** One map's stderr, kept until it is finished. */
interface Capture {
  readonly io: Io;
  readonly err: string[];
  failed: boolean;
}

function capture(data: BuildWorkerData): Capture {
  const c: Capture = {
    err: [],
    failed: false,
    io: {
      out: (text) => c.err.push(text),
      err: (text) => c.err.push(text),
      fail: () => (c.failed = true),
      colour: data.colour,
      cwd: data.cwd,
      env: data.env,
      // A build reads no standard input.
      stdin: Readable.from([]),
    },
  };
  return c;
}

/** Runs the worker until the main thread terminates it. */
export async function runBuildWorker(): Promise<void> {
  const port = parentPort!;
  const data = workerData as BuildWorkerData;
  const { options } = data;
  const post = (message: FromWorker): void => port.postMessage(message);
  const sources = new Sources();
  const backends = await loadBackends(options.targets);
  const queue: { index: number; file: string }[] = [];
  const pending = new Map<number, { prepared: PreparedMap; capture: Capture }>();
  let scheduled = false;

  const crashed = (index: number, error: unknown): void => {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ kind: 'crashed', index, message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) });
  };
  const finish = (index: number): void => {
    const entry = pending.get(index)!;
    pending.delete(index);
    try {
      writeMap(entry.capture.io, entry.prepared, sources, options);
    } catch (error) {
      crashed(index, error);
      return;
    }
    post({ kind: 'done', index, err: entry.capture.err, failed: entry.capture.failed });
  };
  // One map per turn of the event loop, so that write grants are handled between maps.
  const step = (): void => {
    scheduled = false;
    const job = queue.shift();
    if (job === undefined) return;
    const c = capture(data);
    try {
      const prepared = prepareMap(c.io, job.file, sources, backends, options);
      pending.set(job.index, { prepared, capture: c });
      post({ kind: 'prepared', index: job.index, name: prepared.name });
      if (prepared.name === undefined) finish(job.index);
    } catch (error) {
      crashed(job.index, error);
    }
    post({ kind: 'next' });
    schedule();
  };
  const schedule = (): void => {
    if (scheduled || queue.length === 0) return;
    scheduled = true;
    setImmediate(step);
  };

  port.on('message', (message: ToWorker) => {
    if (message.kind === 'map') {
      queue.push({ index: message.index, file: message.file });
      schedule();
    } else finish(message.index);
  });
  for (let i = 0; i < WORKER_QUEUE; i++) post({ kind: 'next' });
}
