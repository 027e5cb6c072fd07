/**
 * The `extract` transform (TransformIR in `compiler/ir.ts`): the parsed pattern written as a
 * JavaScript `RegExp` with the `u` flag (code points, not UTF-16 units; ECMAScript 2024
 * §22.2 "RegExp (Regular Expression) Objects": leftmost match, backtracking alternation in order),
 * `^`/`$` without the `m` flag (the ends of the whole text), `.` as `[^\n]` (JavaScript's own `.`
 * also excludes `\r`, U+2028 and U+2029).
 *
 * @module
 */
import { isAlnum, renderRegex, type ParsedRegex, type RegexDialect } from '../../dsl/regex.ts';
import { FAIL, ok, type TransformOutcome } from './outcome.ts';

const hex = (cp: number): string => `\\u{${cp.toString(16).toUpperCase()}}`;

/** JavaScript (`u` flag): letters, digits and space as themselves, every other code point as `\u{H}`. */
export const JS_DIALECT: RegexDialect = {
  char: (cp) => (isAlnum(cp) || cp === 0x20 ? String.fromCodePoint(cp) : hex(cp)),
  classChar: (cp) => (isAlnum(cp) || cp === 0x20 ? String.fromCodePoint(cp) : hex(cp)),
  any: '[^\\n]',
  start: '^',
  end: '$',
  capture: (body) => `(${body})`,
};

const compiled = new WeakMap<ParsedRegex, RegExp>();

/** The pattern as a JavaScript `RegExp` (compiled once per parsed pattern). */
export function jsRegExp(regex: ParsedRegex): RegExp {
  let re = compiled.get(regex);
  if (!re) {
    re = new RegExp(renderRegex(regex, JS_DIALECT), 'u');
    compiled.set(regex, re);
  }
  return re;
}

/** A string becomes its capture at the first match; no match, an empty or absent capture, and non-strings fail. */
export function extract(value: unknown, regex: ParsedRegex): TransformOutcome {
  if (typeof value !== 'string') return FAIL;
  const m = jsRegExp(regex).exec(value);
  const captured = m?.[1];
  return captured === undefined || captured === '' ? FAIL : ok(captured);
}
