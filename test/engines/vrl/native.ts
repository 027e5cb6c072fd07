/**
 * The second VRL runtime: the native `vrl` CLI of the crates.io `vrl` crate 0.38.0
 * (`scripts/install-tools.sh` builds it with `cargo install vrl --version 0.38.0 --locked`).
 *
 * How the CLI runs a program (`vrl` 0.38.0 `src/cli/cmd.rs`): `vrl -p program.vrl -i events.ndjson`
 * compiles the program once, then runs it on each line of the input file (one JSON object per
 * line, read by serde_json) and prints, per event, the value of the program's last expression
 * (`-o` prints the event instead) on stdout with `Value`'s `Display`, or the runtime error of an
 * aborted event on stderr; a compile error goes to stderr with exit code 70. `Display` is not
 * JSON (object keys unescaped, timestamps as `t'...'`, `src/value/value/display.rs`), so the
 * harness appends `encode_json(.)` as the last expression: its string prints as `"..."` with only
 * `\`, `"` and line feed escaped (`escape_quoted`), which {@link unquoteDisplay} undoes exactly.
 *
 * Every run sets `TZ` to a zone with a non-whole-hour offset: the CLI's default timezone is the
 * local one (`TimeZone::default()`), as is Vector's, and a generated program must never depend
 * on it.
 *
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../../support/tools.ts';

/** The crate version `scripts/install-tools.sh` builds (`VRL_VERSION`). */
export const NATIVE_VRL_VERSION = '0.38.0';

/** A local timezone no generated program may depend on (UTC+05:30). */
const LOCAL_TZ = 'Asia/Kolkata';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** The text of a string `Value` as the CLI's `Display` prints it (`"..."`, `\\`, `\"`, `\n` escaped). */
export function unquoteDisplay(line: string): string {
  if (!line.startsWith('"') || !line.endsWith('"') || line.length < 2)
    throw new Error(`vrl CLI: not a string value: ${line.slice(0, 200)}`);
  return line.slice(1, -1).replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `program` on `events`, one NDJSON line each, in a temporary directory; `warnings` prints them on stderr. */
function runCli(program: string, events: readonly unknown[], timeoutMs: number, warnings = false): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'mapc-vrl-'));
  try {
    const programFile = join(dir, 'program.vrl');
    const inputFile = join(dir, 'events.ndjson');
    writeFileSync(programFile, program);
    writeFileSync(inputFile, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const run = runTool('vrl', [...(warnings ? ['--print-warnings'] : []), '-p', programFile, '-i', inputFile], {
      timeoutMs,
      env: { ...process.env, TZ: LOCAL_TZ },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr.replace(ANSI, '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Diagnostics of a rendered CLI report (`error[E103]: ...`, `warning[E900]: ...`), one block each. */
function diagnosticsOf(stderr: string, kind: 'error' | 'warning'): string[] {
  const blocks: string[][] = [];
  for (const line of stderr.split('\n')) {
    if (/^(error|warning)\[E[0-9]+\]/.test(line)) blocks.push([line]);
    else blocks[blocks.length - 1]?.push(line);
  }
  return blocks.filter((b) => b[0]?.startsWith(kind)).map((b) => b.join('\n').trimEnd());
}

/**
 * Compile diagnostics of `program` on VRL 0.38 (the CLI runs it once on an empty event, which
 * it must not abort on: every generated program handles every error).
 */
export function checkVrlNative(program: string): { errors: string[]; warnings: string[] } {
  const run = runCli(program, [{}], 60_000, true);
  const errors = diagnosticsOf(run.stderr, 'error');
  if (run.status !== 0 && errors.length === 0) errors.push(run.stderr.trim() || `vrl exited ${run.status}`);
  return { errors, warnings: diagnosticsOf(run.stderr, 'warning') };
}

/**
 * Runs the remap on many input events in one CLI process (one compile). Returns, per input, the
 * events emitted (an array result is several events).
 * @throws Error on a compile error, or when an event aborted (its error is in the message).
 */
export function runRemapBatchNative(
  program: string,
  events: readonly Record<string, unknown>[],
): Record<string, unknown>[][] {
  if (events.length === 0) return [];
  const run = runCli(`${program}\nencode_json(.)\n`, events, 300_000);
  if (run.status !== 0) throw new Error(`vrl ${NATIVE_VRL_VERSION} refused the program:\n${run.stderr}`);
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== events.length || run.stderr.trim() !== '')
    throw new Error(
      `vrl ${NATIVE_VRL_VERSION}: ${events.length} events in, ${lines.length} results out:\n${run.stderr.slice(0, 2000)}`,
    );
  return lines.map((line) => {
    const value = JSON.parse(unquoteDisplay(line)) as unknown;
    return Array.isArray(value) ? (value as Record<string, unknown>[]) : [value as Record<string, unknown>];
  });
}

/**
 * The value a VRL condition (route, unit-test condition) returns on `event`, as the CLI prints
 * it (`true`, `false`, ...).
 * @throws Error when the condition aborts (a failed `assert_eq!`) or does not compile.
 */
export function runConditionNative(source: string, event: Record<string, unknown>): string {
  const run = runCli(source, [event], 60_000);
  if (run.status !== 0) throw new Error(`vrl ${NATIVE_VRL_VERSION} refused the condition:\n${run.stderr}`);
  const line = run.stdout.split('\n').find((l) => l !== '');
  if (line === undefined) throw new Error(run.stderr.trim() || 'the condition printed nothing');
  return line;
}
