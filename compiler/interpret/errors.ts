/**
 * The one error the reference interpreter throws: input it cannot interpret at all (a message
 * that is not a JSON object, a response body without its records array, an IR the checks should
 * have rejected). Conversion failures inside a record are never thrown: they become
 * `error.message` entries (see `compiler/ir.ts`, step 4).
 *
 * @module
 */
import type { DiagnosticCode } from '../../dsl/codes.ts';

export class InterpretError extends Error {
  /** `E0701` (malformed input records) for bad input, `E0300` for an IR the lowering should not emit. */
  readonly code: DiagnosticCode;

  constructor(code: DiagnosticCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'InterpretError';
    this.code = code;
  }
}
