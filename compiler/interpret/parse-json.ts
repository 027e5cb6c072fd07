/**
 * The `json` transform (TransformIR in `compiler/ir.ts`).
 *
 * @module
 */
import { FAIL, ok, SKIP, type TransformOutcome } from './outcome.ts';

/**
 * A string holding one JSON text becomes its value (`JSON.parse`, RFC 8259); `null` gives nothing
 * to write; text that is not JSON and non-strings fail.
 */
export function parseJson(value: unknown): TransformOutcome {
  if (typeof value !== 'string') return FAIL;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return FAIL;
  }
  return parsed === null ? SKIP : ok(parsed);
}
