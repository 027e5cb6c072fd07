/**
 * The CLI's contact with the terminal: every command writes through an {@link Io} so that
 * failures set the exit code instead of throwing.
 *
 * @module
 */
import { colourEnabled, colourMessage } from './colour.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Marks the run as failed (exit code 1) without stopping it: later files are still processed. */
  fail(): void;
  /** Whether what goes to `err` may be coloured (`cli/colour.ts`); absent: never. */
  readonly colour?: boolean;
}

let stderrColour: boolean | undefined;

/** Writes to the process streams; `fail` sets `process.exitCode = 1`; colour as `colourEnabled(process.stderr)`. */
export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  fail: () => {
    process.exitCode = 1;
  },
  get colour(): boolean {
    stderrColour ??= colourEnabled(process.stderr);
    return stderrColour;
  },
};

/** A one-line CLI error (not a source diagnostic): `error: ...` on stderr, run marked failed. */
export function cliError(io: Io, message: string): void {
  const text = `error: ${message}`;
  io.err(io.colour === true ? colourMessage(text) : text);
  io.fail();
}
