/**
 * The `redact` transforms, for values that must never be stored in clear (Entro's exposed secrets).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { FAIL, ok, type TransformOutcome } from './outcome.ts';

/** What follows the kept characters of a masked value. */
export const MASK_SUFFIX = '********';

/**
 * Lowercase hex SHA-256 of the string's UTF-8 bytes; non-strings fail (nothing is hashed by
 * accident). A lone surrogate (JSON allows `"\ud800"`) has no UTF-8 form: it is hashed as U+FFFD,
 * as Node's UTF-8 encoder writes it.
 */
export function hash(value: unknown): TransformOutcome {
  return typeof value === 'string' ? ok(createHash('sha256').update(value, 'utf8').digest('hex')) : FAIL;
}

/**
 * The first `keep` characters, counted in Unicode scalar values (an emoji is one), then
 * {@link MASK_SUFFIX}. A value no longer than `keep` is kept whole: `mask(4)` of `abc` is
 * `abc********`. A lone surrogate counts as one character. Non-strings fail.
 */
export function mask(value: unknown, keep: number): TransformOutcome {
  if (typeof value !== 'string') return FAIL;
  return ok(Array.from(value).slice(0, keep).join('') + MASK_SUFFIX);
}
