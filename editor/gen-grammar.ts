/**
 * Writes `editor/mapc.tmLanguage.json` from {@link ./grammar.ts}. Run `npx tsx editor/gen-grammar.ts`
 * after a change of keywords or transforms; `test/editor/grammar.test.ts` fails while the committed
 * file is stale.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { grammarText } from './grammar.ts';

const outFile = fileURLToPath(new URL('./mapc.tmLanguage.json', import.meta.url));
writeFileSync(outFile, grammarText());
console.log(`wrote ${outFile}`);
