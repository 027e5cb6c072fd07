/**
 * NDJSON event output, one write per page: the lines of a page are collected by
 * {@link EventOutput.add} and written together by {@link EventOutput.flush}, which resolves only
 * once they have been handed to the underlying file descriptor (the write's callback), which is
 * what must happen before the state file may move the cursor past those events.
 *
 * One write per page rather than per record: a record costs one string in an array instead of
 * one `write` call, one callback and one `await`, which made the collector spend more time
 * writing than fetching. Awaiting the page's write is also the backpressure: nothing more is
 * fetched until the reader has taken the page.
 *
 * Each line is one JSON text; the page's text passes through the `scrub` function given to the
 * constructor (the run's `Scrubber.scrubJsonLines`, `scrub.ts`: a record echoing a credential must not
 * carry it to the sink) once, as a whole, rather than line by line.
 *
 * @module
 */
import type { Writable } from 'node:stream';
import { CollectError } from './errors.ts';

export class EventOutput {
  private failed: Error | undefined;
  private page: string[] = [];

  /**
   * @param out the event stream (stdout)
   * @param scrub applied to each page's text before it is written; it must keep every line
   *   feed where it is (one event per line)
   */
  constructor(
    private readonly out: Writable,
    private readonly scrub: (text: string) => string = (text) => text,
  ) {
    out.on('error', (e: Error) => {
      this.failed = e;
    });
  }

  /**
   * Adds one line (one JSON text, without its newline) to the page being written.
   * @throws CollectError E0805 when the stream failed
   */
  add(line: string): void {
    this.check();
    this.page.push(line);
  }

  /**
   * Writes the lines added since the last flush in one write, each followed by a newline, and
   * resolves once that write is flushed. @throws CollectError E0805
   */
  async flush(): Promise<void> {
    this.check();
    if (this.page.length === 0) return;
    const text = this.scrub(`${this.page.join('\n')}\n`);
    this.page = [];
    await new Promise<void>((resolve) => {
      this.out.write(text, (e) => {
        if (e) this.failed ??= e;
        resolve();
      });
    });
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
