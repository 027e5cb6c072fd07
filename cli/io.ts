/**
 * The CLI's contact with the world: every command writes through an {@link Io} so that
 * failures set the exit code instead of throwing, and reads the working directory, the
 * environment and standard input from it, never from `process` (`cli/run.ts`: tests run the CLI
 * in process, several runs in one process).
 *
 * @module
 */
import { resolve } from 'node:path';
import { colourMessage } from './colour.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Marks the run as failed (exit code 1) without stopping it: later files are still processed. */
  fail(): void;
  /** Whether what goes to `err` may be coloured (`cli/colour.ts`); absent: never. */
  readonly colour?: boolean;
  /** The working directory: every relative path the command reads or writes is resolved against it ({@link inCwd}). */
  readonly cwd: string;
  /** The environment variables the command reads. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Standard input (`mapc preview --input -`, `mapc fmt --stdin`, `mapc test --update`'s question). */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

/** `path` resolved against the run's working directory (absolute paths stay as they are). */
export function inCwd(io: Pick<Io, 'cwd'>, path: string): string {
  return resolve(io.cwd, path);
}

/** Every byte of `input` until its end. */
export async function readAll(input: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** `io` with another `fail`: for a command that keeps its own failure flag (`mapc build --watch`). */
export function withFail(io: Io, fail: () => void): Io {
  return {
    out: (text) => io.out(text),
    err: (text) => io.err(text),
    fail,
    get colour() {
      return io.colour;
    },
    cwd: io.cwd,
    env: io.env,
    get stdin() {
      return io.stdin;
    },
  };
}

/** A one-line CLI error (not a source diagnostic): `error: ...` on stderr, run marked failed. */
export function cliError(io: Io, message: string): void {
  const text = `error: ${message}`;
  io.err(io.colour === true ? colourMessage(text) : text);
  io.fail();
}
