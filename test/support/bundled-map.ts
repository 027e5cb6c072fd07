/**
 * A bundled map with rules added to it, for tests of a construct the bundled maps do not use.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSource } from '../../compiler/compile.ts';
import type { IntegrationIR } from '../../compiler/ir.ts';
import { REPO_ROOT } from './fixtures.ts';

/**
 * `maps/<vendor>.map` with `rules` (map lines, indented as the map's) inserted after its line
 * `after`, compiled.
 * @throws Error when the map no longer has the line `after`, or the result does not compile.
 */
export function bundledMapWith(vendor: string, after: string, rules: readonly string[]): IntegrationIR {
  const file = `maps/${vendor}.map`;
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  if (!text.includes(after)) throw new Error(`${file} no longer has "${after.trim()}"`);
  const { ir, diagnostics } = compileSource(text.replace(after, [after, ...rules].join('\n')), file);
  if (!ir) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return ir;
}
