/**
 * Entry point of `mapc` (started by `bin/mapc.js`, bundled by `scripts/build.ts`); see `run.ts`.
 *
 * @module
 */
import { runMapc } from './run.ts';

await runMapc(process.argv);
