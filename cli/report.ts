/**
 * Printing diagnostics through the one renderer of `dsl/render.ts`.
 *
 * @module
 */
import { renderDiagnostics, renderDiagnosticsJson } from '../dsl/render.ts';
import type { Diagnostic } from '../dsl/diagnostics.ts';
import { colourDiagnostics } from './colour.ts';
import type { Io } from './io.ts';

/** Collects source texts by file name so every diagnostic can show its source line. */
export class Sources {
  readonly #texts = new Map<string, string>();
  add(file: string, text: string): void {
    this.#texts.set(file, text);
  }
  get map(): ReadonlyMap<string, string> {
    return this.#texts;
  }
}

/** Renders `diagnostics` as text to stderr (coloured when `io.colour`); marks the run failed when any is an error. */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], sources: Sources): void {
  if (diagnostics.length === 0) return;
  const text = renderDiagnostics(diagnostics, sources.map);
  io.err(io.colour === true ? colourDiagnostics(text) : text);
  if (diagnostics.some((d) => d.severity === 'error')) io.fail();
}

/** Stable JSON of `diagnostics` (see `renderDiagnosticsJson`). */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  return renderDiagnosticsJson(diagnostics);
}

/** `1 error, 2 warnings` */
export function summary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
