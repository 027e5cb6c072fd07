/**
 * What one transform did to a value.
 *
 * @module
 */

export type TransformOutcome =
  /** The converted value, passed to the next transform or written to the destination field. */
  | { readonly kind: 'value'; readonly value: unknown }
  /** The input could not be converted: the rule writes nothing and appends to `error.message`. */
  | { readonly kind: 'fail' }
  /** Nothing to write and nothing wrong (a lookup without a match or a default). */
  | { readonly kind: 'skip' };

export const FAIL: TransformOutcome = { kind: 'fail' };
export const SKIP: TransformOutcome = { kind: 'skip' };

export function ok(value: unknown): TransformOutcome {
  return { kind: 'value', value };
}
