/**
 * The `extract` transform (TransformIR in `compiler/ir.ts`): the parsed pattern run by RE2
 * (re2js, `./re2.ts`), which finds what JavaScript's `RegExp` with the `u` flag finds for the
 * subset (leftmost-first, code points; tested against it in
 * test/compiler/interpret/extract.test.ts) in linear time, without its exponential or polynomial
 * backtracking.
 *
 * @module
 */
import type { ParsedRegex } from '../../dsl/regex.ts';
import { FAIL, ok, type TransformOutcome } from './outcome.ts';
import { matchRegex } from './re2.ts';

/**
 * A string becomes its capture at the first match, or with named groups the object of the named
 * groups that captured text (in pattern order); no match, an empty or absent capture (named: no
 * group with text), and non-strings fail.
 */
export function extract(value: unknown, regex: ParsedRegex): TransformOutcome {
  if (typeof value !== 'string') return FAIL;
  const captures = matchRegex(regex, value);
  if (captures === undefined) return FAIL;
  if (regex.names === undefined) {
    const captured = captures[0];
    return captured === undefined || captured === null || captured === '' ? FAIL : ok(captured);
  }
  const entries = regex.names.flatMap((name, k) => {
    const text = captures[k];
    return text === undefined || text === null || text === '' ? [] : [[name, text] as const];
  });
  return entries.length === 0 ? FAIL : ok(Object.fromEntries(entries));
}
