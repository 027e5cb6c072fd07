/**
 * The compiler pipeline: parse → check → lower, each stage pure. Lowering runs only when
 * parsing and checking reported no error (warnings do not stop it).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseMap } from '../dsl/index.ts';
import { hasErrors, type Diagnostic } from '../dsl/diagnostics.ts';
import { checkMap, sortDiagnostics } from './check/index.ts';
import type { IntegrationIR } from './ir.ts';
import { lowerMap } from './lower/index.ts';

export interface CompileResult {
  /** Present only when there are no errors. */
  readonly ir?: IntegrationIR;
  /** Every diagnostic of every stage that ran, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Compiles the text of one `.map` file. `file` is the name used in spans and in
 * `IntegrationIR.sourceFile` (conventionally relative to the working directory).
 */
export function compileSource(text: string, file: string): CompileResult {
  const parsed = parseMap(text, file);
  // A file with syntax errors yields no tree: its checks would only echo the syntax errors.
  if (!parsed.ast) return { diagnostics: sortDiagnostics(parsed.diagnostics) };
  const checked = checkMap(parsed.ast);
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...checked]);
  if (hasErrors(diagnostics)) return { diagnostics };
  const lowered = lowerMap(parsed.ast, file);
  return {
    ...(lowered.ir ? { ir: lowered.ir } : {}),
    diagnostics: sortDiagnostics([...diagnostics, ...lowered.diagnostics]),
  };
}

/**
 * Reads and compiles `path` (UTF-8). I/O errors propagate as thrown `Error`s (the CLI reports
 * them); everything about the file's content is a diagnostic.
 */
export function compileFile(path: string): CompileResult & { readonly source: string } {
  const source = readFileSync(path, 'utf8');
  return { ...compileSource(source, path), source };
}
