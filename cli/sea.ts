/**
 * Entry point of the standalone executable (`scripts/build-sea.ts`): Node's single executable
 * applications run one CommonJS script, which has no top-level `await`.
 *
 * @module
 */
import { runMapc } from './run.ts';

void runMapc(process.argv);
