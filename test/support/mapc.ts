/**
 * Runs the `mapc` CLI in process (`cli/run.ts`'s `runMapcIn`): the command line, a working
 * directory, an environment and standard input in; the exit status and everything written out.
 * Many runs share one process (the `unit` tier's `isolate: false`), so the CLI must not read or
 * write the process's working directory, environment or exit code; `spawnMapc` runs the real
 * binary (`node bin/mapc.js`) for the few tests that prove it.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { runMapcIn } from '../../cli/run.ts';

export const REPO = resolve(import.meta.dirname, '../..');
/** The real entry, as users run it. */
export const MAPC_BIN = join(REPO, 'bin', 'mapc.js');

export interface MapcRun {
  /** The exit code (`spawnMapc`: null when a signal ended the process). */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface MapcOptions {
  /** Working directory; default: the repository. */
  readonly cwd?: string;
  /** Environment variables; default: this process's (read, never written). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Standard input; default: empty. */
  readonly input?: string;
}

/** `mapc ...args` in process. */
export async function mapcInProcess(args: readonly string[], options: MapcOptions = {}): Promise<MapcRun> {
  let stdout = '';
  let stderr = '';
  const status = await runMapcIn(args, {
    cwd: options.cwd ?? REPO,
    env: options.env ?? { ...process.env },
    stdin: Readable.from(options.input === undefined ? [] : [Buffer.from(options.input, 'utf8')]),
    io: {
      out: (text) => {
        stdout += text;
      },
      err: (text) => {
        stderr += text;
      },
    },
  });
  return { status, stdout, stderr };
}

/** `node bin/mapc.js ...args` as a child process. */
export function spawnMapc(args: readonly string[], options: MapcOptions = {}): MapcRun {
  const run = spawnSync(process.execPath, [MAPC_BIN, ...args], {
    cwd: options.cwd ?? REPO,
    env: (options.env ?? process.env) as NodeJS.ProcessEnv,
    encoding: 'utf8',
    // A guard only: a run that hangs fails instead of holding the suite.
    timeout: 300_000,
    input: options.input ?? '',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
