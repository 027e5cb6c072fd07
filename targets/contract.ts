/**
 * The contract every backend (`targets/<name>/`) implements: IR in, files out.
 * Backends import only this file, `compiler/ir.ts`, `dsl/diagnostics.ts` and the target-neutral text
 * helpers in `targets/shared/`; never each other.
 *
 * @module
 */
import type { IntegrationIR } from '../compiler/ir.ts';
import type { DiagnosticCode } from '../dsl/codes.ts';
import { diagnostic, type Diagnostic, type Span } from '../dsl/diagnostics.ts';

export type TargetName = 'elastic' | 'vector' | 'logstash';

/** A generated file: `path` is relative to `<out>/<integration>/<target>/`, POSIX separators. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

export interface EmitResult {
  readonly files: readonly GeneratedFile[];
  /** Errors (nothing usable was generated for that construct) and warnings (a documented fallback). */
  readonly diagnostics: readonly Diagnostic[];
}

export interface EmitOptions {
  /**
   * Command operators run to start `mapc collect` (Vector `exec` source, Logstash `exec` input),
   * e.g. `npx --prefix /opt/mapc mapc collect`. Default: `mapc collect`.
   */
  readonly collectCommand?: string;
  /** Path of the `.map` file as the deployed collector should see it. Default: `/etc/mapc/<name>.map`. */
  readonly deployedMapPath?: string;
  /**
   * Fixture records per stream (JSON texts of split records) and their expected documents, for
   * the targets that generate engine-side tests (Vector unit tests, elastic-package pipeline tests,
   * logstash-filter-verifier cases). Absent: no test files are generated.
   */
  readonly fixtures?: ReadonlyMap<string, readonly FixtureCase[]>;
}

/** One fixture record and the ECS document (plus document id) it must become. */
export interface FixtureCase {
  readonly message: string;
  readonly expected: { readonly _id?: string; readonly doc: Record<string, unknown> };
}

export interface TargetBackend {
  readonly name: TargetName;
  emit(ir: IntegrationIR, options: EmitOptions): EmitResult;
}

/**
 * The one way a backend refuses what its engine cannot carry or express: raised anywhere in a
 * backend, caught once at the backend's boundary and turned into an error {@link Diagnostic} at
 * `span` (the IR node's source location: a rule, a template, a stream). Anything else a backend
 * throws is an internal bug.
 *
 * Modelled on pySigma's `SigmaFeatureNotSupportedByBackendError` carrying its source
 * (`sigma/processing/transformations/failure.py`).
 */
export class TargetRefusal extends Error {
  readonly code: DiagnosticCode;
  readonly span: Span;
  /** Short text shown under the span. */
  readonly label: string;
  readonly notes: readonly string[];
  constructor(code: DiagnosticCode, message: string, span: Span, label: string, notes: readonly string[] = []) {
    super(message);
    this.name = 'TargetRefusal';
    this.code = code;
    this.span = span;
    this.label = label;
    this.notes = notes;
  }

  /** The refusal as an error diagnostic. */
  toDiagnostic(): Diagnostic {
    return diagnostic(
      this.code,
      'error',
      this.message,
      { span: this.span, message: this.label },
      { notes: this.notes },
    );
  }
}

/**
 * The diagnostic of an internal error of a backend (anything it throws that is not a
 * {@link TargetRefusal}): a bug in mapc, never a refusal of the map, reported at `span` (the
 * IR node being generated when it happened) with the backend's catch-all code, so that a build
 * never crashes and never writes output for that node.
 */
export function internalError(
  backend: TargetName,
  code: DiagnosticCode,
  error: unknown,
  span: Span,
  label = 'while generating this',
): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  return diagnostic(code, 'error', `internal error in the ${backend} backend: ${message}; please report it`, {
    span,
    message: label,
  });
}
