/**
 * The `split` transform (TransformIR in `compiler/ir.ts`).
 *
 * @module
 */
import { FAIL, ok, type TransformOutcome } from './outcome.ts';

/**
 * A string becomes its pieces between occurrences of `separator` (literal, non-empty), left to
 * right without overlap, trailing empty pieces dropped (`""` gives `[]`); anything else fails.
 */
export function split(value: unknown, separator: string): TransformOutcome {
  if (typeof value !== 'string') return FAIL;
  const pieces = value.split(separator);
  while (pieces.length > 0 && pieces[pieces.length - 1] === '') pieces.pop();
  return ok(pieces);
}
