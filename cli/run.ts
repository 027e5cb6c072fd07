/**
 * Runs `mapc` with the given command line. Exit codes: 0 success, 1 any error (diagnostic or
 * usage), 2 an internal error (a bug: reported without a stack trace unless `MAPC_DEBUG` is
 * set). Used by the ES module entry (`cli/main.ts`) and the standalone executable's CommonJS
 * entry (`cli/sea.ts`).
 *
 * @module
 */
import { processIo } from './io.ts';
import { createProgram } from './program.ts';

export async function runMapc(argv: readonly string[]): Promise<void> {
  try {
    await createProgram(processIo).parseAsync([...argv]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mapc: internal error: ${message}\n`);
    if (process.env['MAPC_DEBUG'] && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 2;
  }
}
