/**
 * Printing diagnostics through the one renderer of `dsl/render.ts`, without the warnings a map
 * acknowledges (`cli/acknowledge.ts`).
 *
 * @module
 */
import { renderDiagnostics, renderDiagnosticsJson } from '../dsl/render.ts';
import type { Diagnostic } from '../dsl/diagnostics.ts';
import { isAcknowledged, readAcknowledgements, type FileAcknowledgements } from './acknowledge.ts';
import { colourDiagnostics } from './colour.ts';
import type { Io } from './io.ts';

/**
 * Collects source texts by file name so every diagnostic can show its source line, with each
 * file's warning acknowledgements, and counts the warnings acknowledged.
 */
export class Sources {
  readonly #texts = new Map<string, string>();
  readonly #acks = new Map<string, FileAcknowledgements>();
  #acknowledged = 0;

  /**
   * Records `file`'s text. Returns the E0703 errors of its `# mapc: allow` comments (once: a file
   * added again returns none), which the caller reports with the file's other diagnostics.
   */
  add(file: string, text: string): Diagnostic[] {
    const known = this.#texts.get(file) === text && this.#acks.has(file);
    this.#texts.set(file, text);
    if (known) return [];
    const acks = readAcknowledgements(file, text);
    this.#acks.set(file, acks);
    return [...acks.problems];
  }

  get map(): ReadonlyMap<string, string> {
    return this.#texts;
  }

  /** Warnings acknowledged so far (not printed). */
  get acknowledged(): number {
    return this.#acknowledged;
  }

  /** Whether `d` is a warning its map acknowledges. */
  isAcknowledged(d: Diagnostic): boolean {
    const acks = this.#acks.get(d.primary.span.file);
    return acks !== undefined && isAcknowledged(d, acks);
  }

  /** `diagnostics` without the acknowledged warnings, which are counted. */
  unacknowledged(diagnostics: readonly Diagnostic[]): Diagnostic[] {
    const kept = diagnostics.filter((d) => !this.isAcknowledged(d));
    this.#acknowledged += diagnostics.length - kept.length;
    return kept;
  }
}

/**
 * Renders `diagnostics` as text to stderr (coloured when `io.colour`), leaving out acknowledged
 * warnings; marks the run failed when any is an error.
 */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], sources: Sources): void {
  const shown = sources.unacknowledged(diagnostics);
  if (shown.length === 0) return;
  const text = renderDiagnostics(shown, sources.map);
  io.err(io.colour === true ? colourDiagnostics(text) : text);
  if (shown.some((d) => d.severity === 'error')) io.fail();
}

/** Stable JSON of `diagnostics` (see `renderDiagnosticsJson`). */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  return renderDiagnosticsJson(diagnostics);
}

/** `1 error, 2 warnings` (`, 3 acknowledged` when some warnings were acknowledged). */
export function summary(diagnostics: readonly Diagnostic[], acknowledged = 0): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${acknowledged > 0 ? ` (${acknowledged} acknowledged)` : ''}`;
}
