/**
 * Entry point of `mapc` (started by `bin/mapc.js`, bundled by `scripts/build.ts`). Exit codes:
 * 0 success, 1 any error (diagnostic or usage), 2 an internal error (a bug: reported without a
 * stack trace unless `MAPC_DEBUG` is set).
 *
 * @module
 */
import { processIo } from './io.ts';
import { createProgram } from './program.ts';

try {
  await createProgram(processIo).parseAsync(process.argv);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`mapc: internal error: ${message}\n`);
  if (process.env['MAPC_DEBUG'] && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 2;
}
