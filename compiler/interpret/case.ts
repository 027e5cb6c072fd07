/**
 * `lowercase` and `uppercase` with Unicode *simple* case mapping, as the IR specifies: one code
 * point always maps to one code point, and no mapping depends on context or locale.
 *
 * JavaScript's `toLowerCase`/`toUpperCase` apply the *full* mapping (SpecialCasing.txt), which
 * differs in two ways: some code points map to several (`ß` → `SS`, `İ` → `i̇`), and Greek capital
 * sigma becomes final sigma `ς` at the end of a word. Mapping each code point on its own removes
 * the context rule; the tables in `compiler/unicode-case.ts` restore the simple mapping for the multi-code-point cases.
 * Source: UnicodeData.txt fields 12-13 (Unicode 15.1, https://www.unicode.org/Public/15.1.0/ucd/).
 *
 * @module
 */
import { SIMPLE_LOWER_EXCEPTIONS, SIMPLE_UPPER_EXCEPTIONS } from '../unicode-case.ts';
import { FAIL, ok, type TransformOutcome } from './outcome.ts';

export function lowercase(value: unknown): TransformOutcome {
  return typeof value === 'string' ? ok(mapSimple(value, 'lower')) : FAIL;
}

export function uppercase(value: unknown): TransformOutcome {
  return typeof value === 'string' ? ok(mapSimple(value, 'upper')) : FAIL;
}

function mapSimple(text: string, direction: 'lower' | 'upper'): string {
  const exceptions = direction === 'lower' ? SIMPLE_LOWER_EXCEPTIONS : SIMPLE_UPPER_EXCEPTIONS;
  let out = '';
  for (const ch of text) {
    const full = direction === 'lower' ? ch.toLowerCase() : ch.toUpperCase();
    const cp = ch.codePointAt(0) ?? 0;
    if ([...full].length === 1) out += full;
    else out += String.fromCodePoint(exceptions.get(cp) ?? cp);
  }
  return out;
}
