/**
 * Diagnostics: the one shape every phase (syntax, checks, lowering, targets) reports problems in.
 *
 * Modelled on VRL's diagnostics (a code, a severity, a message, one primary labelled span,
 * secondary labels and notes). Codes live in {@link ./codes.ts}; rendering in {@link ./render.ts}.
 *
 * @module
 */
import type { DiagnosticCode } from './codes.ts';

export type Severity = 'error' | 'warning' | 'note';

/** A source range: 0-based `offset` and `length` in UTF-16 code units; 1-based `line`/`column`. */
export interface Span {
  readonly file: string;
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
}

export interface Label {
  readonly span: Span;
  /** Short text shown under the span, e.g. `expected a setting type`. */
  readonly message: string;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** One sentence, no trailing period: `unknown ECS field source.ipp`. */
  readonly message: string;
  readonly primary: Label;
  readonly secondary: readonly Label[];
  /** Extra lines: `help: did you mean source.ip?`, `note: Vector http_client cannot paginate`. */
  readonly notes: readonly string[];
}

/** Builds a diagnostic; `secondary` and `notes` default to empty. */
export function diagnostic(
  code: DiagnosticCode,
  severity: Severity,
  message: string,
  primary: Label,
  extra: { secondary?: readonly Label[]; notes?: readonly string[] } = {},
): Diagnostic {
  return { code, severity, message, primary, secondary: extra.secondary ?? [], notes: extra.notes ?? [] };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
