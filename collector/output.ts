/**
 * NDJSON event output with backpressure: lines are written to a `Writable`, waiting for
 * `drain` whenever the stream's buffer is full, and {@link EventOutput.flush} resolves only
 * once everything written so far has been handed to the underlying file descriptor, which is
 * what must happen before the state file may move the cursor past those events.
 *
 * @module
 */
import type { Writable } from 'node:stream';
import { CollectError } from './errors.ts';

export class EventOutput {
  private failed: Error | undefined;
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly out: Writable) {
    out.on('error', (e: Error) => {
      this.failed = e;
    });
  }

  /** Writes one line (a newline is appended). @throws CollectError E0805 when the stream failed */
  async write(line: string): Promise<void> {
    this.check();
    let written!: () => void;
    let failedWrite!: (e: Error) => void;
    this.last = new Promise<void>((resolve, reject) => {
      written = resolve;
      failedWrite = reject;
    });
    this.last.catch(() => undefined);
    const ok = this.out.write(`${line}\n`, (e) => (e ? failedWrite(e) : written()));
    if (!ok) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.out.off('drain', done);
          this.out.off('error', done);
          this.out.off('close', done);
          resolve();
        };
        this.out.on('drain', done);
        this.out.on('error', done);
        this.out.on('close', done);
      });
    }
    this.check();
  }

  /** Resolves once every line written so far is flushed. @throws CollectError E0805 */
  async flush(): Promise<void> {
    try {
      await this.last;
    } catch (e) {
      this.failed = e as Error;
    }
    this.check();
  }

  private check(): void {
    if (this.failed) {
      throw new CollectError(
        'E0805',
        `cannot write events to the output: ${(this.failed as NodeJS.ErrnoException).code ?? this.failed.message}`,
      );
    }
  }
}
