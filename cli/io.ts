/**
 * The CLI's contact with the terminal: every command writes through an {@link Io} so that
 * failures set the exit code instead of throwing.
 *
 * @module
 */

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Marks the run as failed (exit code 1) without stopping it: later files are still processed. */
  fail(): void;
}

/** Writes to the process streams; `fail` sets `process.exitCode = 1`. */
export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  fail: () => {
    process.exitCode = 1;
  },
};

/** A one-line CLI error (not a source diagnostic): `error: ...` on stderr, run marked failed. */
export function cliError(io: Io, message: string): void {
  io.err(`error: ${message}`);
  io.fail();
}
