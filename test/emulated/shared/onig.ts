/**
 * Joni (Oniguruma's Java port; JRuby's `Regexp` uses it too) in its Ruby syntax, for the regex
 * forms mapc writes for `extract` only (`targets/elastic/quote.ts` `grokExtract`,
 * `targets/logstash/quote.ts` `rubyRegexCodePoints`), translated to a JavaScript `RegExp` with the
 * `u` flag, which runs the same constructs the same way: a backtracking search for the leftmost
 * match, alternatives and quantifiers tried in the same order (Oniguruma doc/RE: "Quantifier",
 * "Alternation"), classes and `\xHH` over code points (UTF-8 in Joni, the `u` flag here). The
 * anchors differ in spelling only: Ruby's `\A` and `\z` (start and end of the string, doc/RE
 * "Anchors") are JavaScript's `^` and `$` without the `m` flag. Any other construct (Ruby's `^`,
 * `$`, `.`, backreferences, POSIX brackets, `&&`, other escapes or groups) is refused, so a change
 * in what mapc writes cannot be emulated silently.
 *
 * Oniguruma syntax reference: https://github.com/kkos/oniguruma/blob/v6.9.9/doc/RE
 *
 * @module
 */

/**
 * A JavaScript source equivalent to mapc's Joni text; `(?<name>` groups become `(` in order, their
 * names listed. `unnamed`: plain `(` groups capture (Ruby's `Regexp` without named groups);
 * otherwise they are refused (grok's patterns use named groups only).
 */
export function onigToJs(
  source: string,
  unnamed = false,
): { readonly source: string; readonly names: readonly string[] } {
  const chars = Array.from(source);
  const names: string[] = [];
  let out = '';
  let inClass = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const refuse = (what: string): never => {
      throw new Error(`emulated Joni: ${what} at ${i} in ${JSON.stringify(source)} is not modelled`);
    };
    if (c === '\\') {
      const n = chars[i + 1];
      if (
        n === 'x' &&
        /^[0-9A-F]{2}$/.test(`${chars[i + 2]}${chars[i + 3]}`) &&
        parseInt(`${chars[i + 2]}${chars[i + 3]}`, 16) < 0x80
      ) {
        out += `\\x${chars[i + 2]}${chars[i + 3]}`;
        i += 3;
      } else if (n === 'n' && inClass) {
        out += '\\n';
        i += 1;
      } else if (n === 'A' && !inClass) {
        out += '^';
        i += 1;
      } else if (n === 'z' && !inClass) {
        out += '$';
        i += 1;
      } else refuse(`the escape \\${n ?? ''}`);
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[' || c === '&') refuse('a nested class or intersection');
      out += c;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += c;
        if (chars[i + 1] === '^') {
          out += '^';
          i++;
        }
        if (chars[i + 1] === ']') refuse('an empty class');
        break;
      case '(': {
        if (chars[i + 1] !== '?') {
          if (unnamed) {
            out += '(';
            break;
          }
          refuse('an unnamed capturing group (Joni makes it non-capturing when named groups exist)');
        }
        if (chars[i + 2] === ':') {
          out += '(?:';
          i += 2;
          break;
        }
        if (chars[i + 2] !== '<') refuse('a (? group');
        const end = chars.indexOf('>', i);
        names.push(chars.slice(i + 3, end).join(''));
        out += '(';
        i = end;
        break;
      }
      case '^':
      case '$':
      case '.':
        refuse(`Ruby's ${c}`);
        break;
      default:
        out += c;
    }
  }
  return { source: out, names };
}
