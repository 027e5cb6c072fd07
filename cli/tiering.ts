/**
 * V8's tiering for `mapc build`: optimize later.
 *
 * A build runs much code (parser, checks, three backends, js-yaml), each function a little per
 * map. With V8's default interrupt budget TurboFan optimizes, and as the shapes it sees change
 * from map to map deoptimizes and optimizes again, much of it: building 300 maps in one thread
 * took 4.0-4.1 s of CPU, 1.5 s of it on V8's background compiler threads. With a budget 8 times
 * Node 20's default only what stays hot is optimized: 3.2-3.3 s, the main thread's share
 * unchanged (`README.md` "Benchmarks" has the 1,000-map figures). The budget decides when code
 * is optimized, never what it computes.
 *
 * V8 flags are per process: set before the build's worker threads start, it holds for them too
 * (an isolate reads it when it sets a function's budget). Only `mapc build` sets it, and only in
 * a process mapc owns (`run.ts` `runMapc`; `runMapcIn`, which tests run in process, does not).
 *
 * Node documents `v8.setFlagsFromString` as a method to use with care: a flag changed after the
 * VM started may do nothing or misbehave. This one is a tiering threshold, read when a function's
 * budget is (re)set, and sets no code-generation option; at worst it does nothing. The output is
 * the same with and without it: the same golden files are compared with the backends' output in
 * process (`test/targets/<target>/golden.test.ts`, no flag) and with the binary's `mapc build`
 * (`test/compiler/build-golden.test.ts`, flag set).
 *
 * Sources: the flag, `interrupt_budget` in V8's `src/flags/flag-definitions.h` ("Tiering:
 * Turbofan"); its default in Node 20.20 (V8 11.3), `node --v8-options`:
 * `--interrupt-budget=67584`; setting a V8 flag at run time,
 * https://nodejs.org/docs/latest-v20.x/api/v8.html#v8setflagsfromstringflags.
 *
 * @module
 */
import { setFlagsFromString } from 'node:v8';

/** V8's default `--interrupt-budget` in Node 20 (V8 11.3), bytes of bytecode run. */
export const DEFAULT_INTERRUPT_BUDGET = 67_584;

/** The budget of a `mapc build`: 8 times Node 20's default (4 and 16 times measured within noise of it). */
export const BUILD_INTERRUPT_BUDGET = 8 * DEFAULT_INTERRUPT_BUDGET;

/**
 * Sets V8's interrupt budget of this process to {@link BUILD_INTERRUPT_BUDGET}. Call it before
 * the compiler is loaded and before any worker thread starts.
 */
export function optimizeLater(): void {
  setFlagsFromString(`--interrupt-budget=${BUILD_INTERRUPT_BUDGET}`);
}

/**
 * Whether `args` (the command line after `node` and the script) runs `mapc build`: its first
 * word that is not an option. The command is the first such word in every form `mapc` accepts.
 */
export function isBuildCommand(args: readonly string[]): boolean {
  return args.find((a) => !a.startsWith('-')) === 'build';
}
