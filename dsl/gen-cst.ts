/**
 * Regenerates `dsl/cst.d.ts` (the CST node types of {@link ./parser.ts}) with chevrotain's
 * `generateCstDts`. Run `npx tsx dsl/gen-cst.ts` after any grammar change;
 * `test/dsl/cst-dts.test.ts` fails while the committed file is stale.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cstDtsText } from './cst-dts.ts';

const outFile = fileURLToPath(new URL('./cst.d.ts', import.meta.url));
writeFileSync(outFile, cstDtsText());
console.log(`wrote ${outFile}`);
