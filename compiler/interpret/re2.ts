/**
 * The matcher of `extract` patterns (`dsl/regex.ts`) in the interpreter and the collector:
 * re2js 2.10.0 (https://github.com/le0pard/re2js, a pure-JavaScript port of Google's RE2/J). RE2
 * finds the match and the submatches a backtracking engine (JavaScript, Joni) finds, the leftmost
 * match with the preferences of https://github.com/google/re2/wiki/Syntax (`x|y` "prefer x",
 * `x*` "prefer more", `x*?` "prefer fewer"), but in time linear in the text: a hostile
 * record cannot make it backtrack (JavaScript's `RegExp` takes seconds on `(a*)a*c` against 3,000
 * `a`s). Rust's `regex` (VRL) is built the same way. The text is read in code points, as Joni on
 * UTF-8 and Rust read it (a lone surrogate of a JavaScript string is one code point, as in
 * JavaScript's `u` mode).
 *
 * Tested against JavaScript's `RegExp` with the `u` flag on random patterns of the subset in
 * test/compiler/interpret/extract.test.ts.
 *
 * @module
 */
import { RE2JS } from 're2js';
import { isAlnum, renderRegex, type ParsedRegex, type RegexDialect } from '../../dsl/regex.ts';

/** A code point as RE2 writes it: ASCII letters, digits and space as themselves, any other as `\x{HEX}`. */
const re2Char = (cp: number): string =>
  isAlnum(cp) || cp === 0x20 ? String.fromCodePoint(cp) : `\\x{${cp.toString(16).toUpperCase()}}`;

/**
 * The subset in RE2 syntax (https://github.com/google/re2/wiki/Syntax, the syntax of re2js and
 * RE2/J): literals as {@link re2Char} (`\x{10FFFF}` "hex character code"; so no metacharacter of
 * the map text reaches the pattern unescaped, inside or outside a class); `.` as `[^\n]` (RE2's
 * `.` without the `s` flag, written out as every dialect does); `^ $` as `\A \z` ("at beginning
 * of text", "at end of text", whatever the flags); the unnamed group as `(...)`, named groups as `(?P<name>...)` (RE2's
 * "named & numbered capturing group"; names are ASCII word characters, `dsl/regex.ts`); classes
 * and quantifiers as written (counts up to 255, below RE2's "repetition count above 1000" limit).
 */
export const RE2_DIALECT: RegexDialect = {
  char: re2Char,
  classChar: re2Char,
  any: '[^\\n]',
  start: '\\A',
  end: '\\z',
  capture: (body, name) => (name === undefined ? `(${body})` : `(?P<${name}>${body})`),
};

/** The pattern in RE2 syntax ({@link RE2_DIALECT}). */
export function re2Source(regex: ParsedRegex): string {
  return renderRegex(regex, RE2_DIALECT);
}

const compiled = new WeakMap<ParsedRegex, RE2JS>();

/**
 * The leftmost-first match of `regex` in `text` (searched from every position in turn): each
 * capturing group's text in the order of their `(`, `null` for a group that took no part in the
 * match; `undefined` for no match. The pattern is compiled once (cached per parsed pattern).
 *
 * @throws Error (a bug) if re2js refuses the written pattern: every pattern of the subset is RE2.
 */
export function matchRegex(regex: ParsedRegex, text: string): (string | null)[] | undefined {
  let re = compiled.get(regex);
  if (!re) {
    const source = re2Source(regex);
    try {
      re = RE2JS.compile(source);
    } catch (e) {
      throw new Error(`internal: re2js refused ${JSON.stringify(source)}: ${(e as Error).message}`);
    }
    compiled.set(regex, re);
  }
  const m = re.matcher(text);
  if (!m.find()) return undefined;
  return Array.from({ length: m.groupCount() }, (_, k) => m.group(k + 1));
}
