/**
 * The `redact` transforms, for values that must never be stored in clear (Entro's exposed secrets).
 * Both fail on a value that is not a string; the rule then deletes its source path
 * (`./map-record.ts`; `compiler/ir.ts` step 4: redaction fails closed).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { MASK_SUFFIX } from '../ir.ts';
import { FAIL, ok, type TransformOutcome } from './outcome.ts';

/**
 * Lowercase hex SHA-256 of the string's UTF-8 bytes; non-strings fail (nothing is hashed by
 * accident). A lone surrogate (JSON allows `"\ud800"`) has no UTF-8 form: it is hashed as U+FFFD,
 * as Node's UTF-8 encoder writes it.
 */
export function hash(value: unknown): TransformOutcome {
  return typeof value === 'string' ? ok(createHash('sha256').update(value, 'utf8').digest('hex')) : FAIL;
}

/**
 * A string of more than `2 × keep` characters, counted in Unicode scalar values (an emoji is
 * one; a lone surrogate counts as one), becomes its first `keep` characters then
 * {@link MASK_SUFFIX}; a string of `2 × keep` characters or fewer becomes {@link MASK_SUFFIX}
 * alone, so that at least as many characters are hidden as shown and a short secret is never
 * stored whole (`mask(4)` of `pw1` is `********`, of `abcdefghi` is `abcd********`).
 * Non-strings fail.
 */
export function mask(value: unknown, keep: number): TransformOutcome {
  if (typeof value !== 'string') return FAIL;
  const chars = Array.from(value);
  return ok(chars.length > 2 * keep ? chars.slice(0, keep).join('') + MASK_SUFFIX : MASK_SUFFIX);
}
