/**
 * The one error `mapc collect` raises for a fatal condition. Its message never contains a secret
 * value: callers build it from names (of settings, secrets, headers) and scrubbed URLs only, and
 * the logger scrubs it again before printing.
 *
 * @module
 */
import type { DiagnosticCode } from '../dsl/codes.ts';

export class CollectError extends Error {
  /** A code of the `mapc collect` range (E0800-E0899) of `dsl/codes.ts`. */
  readonly code: DiagnosticCode;
  /** Extra structured fields for the stderr log line (no secrets). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: DiagnosticCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CollectError';
    this.code = code;
    this.details = details;
  }
}
