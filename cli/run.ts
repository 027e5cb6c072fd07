/**
 * Runs `mapc` with the given command line. Exit codes: 0 success, 1 any error (diagnostic or
 * usage), 2 an internal error (a bug: reported without a stack trace unless `MAPC_DEBUG` is
 * set) or a standard output that cannot be written.
 *
 * {@link runMapcIn} is the whole CLI as a function of its command line and a {@link MapcEnvironment}
 * (working directory, environment variables, standard input, output): it returns the exit code
 * and touches no process state (`process.exitCode`, `process.chdir`, `process.env`), so tests run
 * it in process, many runs in one process. {@link runMapc} is the real entry, used by the ES module
 * entry (`cli/main.ts`) and the standalone executable's CommonJS entry (`cli/sea.ts`): it gives
 * {@link runMapcIn} the process's own values. `mapc lsp` and `mapc build --watch` still use the
 * process's standard streams and signals.
 *
 * @module
 */
import { Readable, Writable } from 'node:stream';
import { CommanderError } from 'commander';
import { colourEnabled } from './colour.ts';
import type { Io } from './io.ts';
import { createProgram } from './program.ts';
import { isBuildCommand, optimizeLater } from './tiering.ts';

/** What one run of `mapc` reads and writes of the world. */
export interface MapcEnvironment {
  /** The working directory: relative paths (maps, `--out`, `--fixtures`, `--input`, ...) are resolved against it. */
  readonly cwd: string;
  /** The environment variables (`MAPC_DEBUG`, `FORCE_COLOR`, `NO_COLOR`, `TERM`, the collector's settings and secrets). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Standard input; absent: empty. */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /**
   * Standard output and error, written as they come (`out` and `err` get whole lines, or text
   * ending with a line break). `colour`: whether what goes to `err` may be coloured; absent:
   * decided from `env` as for a stream that is not a terminal (`cli/colour.ts`).
   */
  readonly io: { out(text: string): void; err(text: string): void; readonly colour?: boolean };
}

/**
 * Runs the `mapc` command line `args` (without the `node` and script paths) in `environment`.
 * @returns the exit code: 0, 1 (an error the user can fix) or 2 (an internal error)
 */
export async function runMapcIn(args: readonly string[], environment: MapcEnvironment): Promise<number> {
  let exitCode = 0;
  const write = environment.io;
  const io: Io = {
    out: (text) => write.out(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => write.err(text.endsWith('\n') ? text : `${text}\n`),
    fail: () => {
      exitCode = Math.max(exitCode, 1);
    },
    get colour(): boolean {
      return write.colour ?? colourEnabled({ isTTY: false }, environment.env);
    },
    cwd: environment.cwd,
    env: environment.env,
    get stdin() {
      return environment.stdin ?? Readable.from([]);
    },
  };
  // The collector's event output: NDJSON text, passed on as written. `decodeStrings: false`: a
  // string reaches `write.out` as it was written, not encoded to a Buffer and decoded back (two
  // copies of every page the collector writes).
  const stdout = new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, done) {
      write.out(chunk.toString());
      done();
    },
  });
  const collect = {
    exit: (code: number) => {
      exitCode = Math.max(exitCode, code);
    },
    base: { env: environment.env, stdout, stderr: (line: string) => write.err(line) },
  };
  try {
    await createProgram(io, collect).parseAsync([...args], { from: 'user' });
  } catch (error) {
    // --help, --version and usage errors: commander has written its text and says how to exit.
    if (error instanceof CommanderError) return Math.max(exitCode, error.exitCode);
    const message = error instanceof Error ? error.message : String(error);
    write.err(`mapc: internal error: ${message}\n`);
    if (environment.env['MAPC_DEBUG'] && error instanceof Error && error.stack) write.err(`${error.stack}\n`);
    return 2;
  }
  return exitCode;
}

/**
 * The real entry: `argv` is `process.argv`; runs in the process's directory, environment and
 * streams, and sets `process.exitCode`. Standard output closed by its reader (`EPIPE`, as in
 * `mapc ir x.map | head`) ends the run quietly, as Unix tools do; any other failure to write it
 * (`EBADF`, `ENOSPC`) is reported once on standard error and gives exit code 2. `mapc build`
 * also tunes V8 for a batch of maps (`tiering.ts`), which is process state.
 */
export async function runMapc(argv: readonly string[]): Promise<void> {
  if (isBuildCommand(argv.slice(2))) optimizeLater();
  let stderrColour: boolean | undefined;
  let stdoutFailed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.exitCode = 2;
    if (stdoutFailed) return;
    stdoutFailed = true;
    process.stderr.write(`mapc: cannot write to standard output: ${error.message}\n`);
  });
  process.exitCode = await runMapcIn(argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    // A getter: standard input is opened only by a command that reads it.
    get stdin() {
      return process.stdin;
    },
    io: {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      get colour(): boolean {
        stderrColour ??= colourEnabled(process.stderr, process.env);
        return stderrColour;
      },
    },
  });
  if (stdoutFailed) process.exitCode = 2;
}
