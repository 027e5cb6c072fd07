/**
 * The regexes of generated conditionals, each matching a whole value's text (`toString()`).
 *
 * @module
 */
import { codePointRuns, kvExcluded, type DatePatternIR } from '../../compiler/ir.ts';
import { regexChars, regexLiteral, type RegexText } from './quote.ts';
import type { Span } from '../../dsl/diagnostics.ts';
import { cannotExpress } from './scratch.ts';

/**
 * A whole-value regex. `\A`/`\z` rather than `^`/`$`: in Ruby `^`/`$` match at every line, and in
 * Java `$` also before a final newline; `\A`/`\z` mean start and end of input in both engines.
 */
export function whole(body: string): RegexText {
  return regexLiteral(`\\A(?:${body})\\z`);
}

/**
 * The whole text a `kv` transform accepts (`TransformIR` in `compiler/ir.ts`): `K+ V W+ (F K+ V W+)*`,
 * the key and value classes as negated classes of `\uHHHH` code points ({@link kvExcluded}: all
 * below U+10000; the one escape Java, Ruby and JavaScript regexes read alike), the separators
 * through {@link regexChars}.
 */
export function kvShape(t: { readonly fieldSeparator: string; readonly valueSeparator: string }): RegexText {
  const excluded = kvExcluded(t);
  const hex = (c: number): string => `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  const cls = (codes: readonly number[]): string =>
    `[^${codePointRuns(codes)
      .map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`))
      .join('')}]`;
  const pair = `${cls(excluded.key)}+${regexChars(t.valueSeparator)}${cls(excluded.value)}+`;
  return whole(`${pair}(?:${regexChars(t.fieldSeparator)}${pair})*`);
}

/** The text Ruby gives an integral float below 1e16 (`5.0`, `-31536000.0`). */
export const INTEGRAL_FLOAT = whole('-?[0-9]+[.]0');

/**
 * Every integral Float as Ruby prints it (`Float#to_s`, https://ruby-doc.org/3.1.4/Float.html#method-i-to_s):
 * `5.0` below 1e16, and `1.0e+21` from 1e16 up, where every double is an integer: what JSON
 * Schema calls an integer (a number without a fractional part) among Logstash's Floats.
 */
export const INTEGRAL_FLOAT_TEXT = whole('-?[0-9]+[.]0|-?[0-9][.][0-9]+e[+][0-9]+');

/** Regex of the decimal digits of 0..9223372036854775807 after optional leading zeros (2^63 - 1). */
export function longRangeRegex(): RegexText {
  const max = '9223372036854775807';
  const alternatives = ['[0-9]{1,18}'];
  for (let i = 0; i < max.length; i++) {
    const digit = Number(max[i]);
    if (digit === 0) continue;
    const rest = max.length - i - 1;
    alternatives.push(`${max.slice(0, i)}[0-${digit - 1}]${rest > 0 ? `[0-9]{${rest}}` : ''}`);
  }
  alternatives.push(max);
  return whole(`-?0*(${alternatives.join('|')})|-0*9223372036854775808`);
}

/**
 * A number's text as Logstash conditionals see it (`toString()` of a Long or a Double, so `5` and
 * `5.0` both match 5): comparing text avoids relying on how `==` compares numbers across versions.
 * Ruby prints floats outside [1e-4, 1e16) in E notation, which this refuses rather than guess.
 */
export function numberRegex(value: number, at: Span): RegexText {
  const text = String(value);
  if (
    !Number.isFinite(value) ||
    text.includes('e') ||
    Math.abs(value) >= 1e16 ||
    (!Number.isInteger(value) && Math.abs(value) < 1e-4)
  ) {
    throw cannotExpress(`comparison with ${text}: Logstash prints such numbers in E notation`, at);
  }
  return whole(Number.isInteger(value) ? `${text}([.]0+)?` : text.replace('.', '[.]'));
}

/** The IR's decimal string for `convert double`. */
export const DOUBLE_REGEX = whole('-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?');

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `${OCTET}([.]${OCTET}){3}`;
const H = '[0-9a-fA-F]{1,4}';
/**
 * IPv4 dotted quad (no leading zeros) or IPv6 text form (RFC 4291 §2.2: full, `::`-compressed, with
 * an IPv4 tail), no zone, no brackets, no prefix: the addresses Node's `net.isIP` accepts, which
 * is what the reference interpreter uses.
 */
export function ipRegex(): RegexText {
  const ls32 = `(${H}:${H}|${IPV4})`;
  const v6 = [
    `(${H}:){6}${ls32}`,
    `::(${H}:){5}${ls32}`,
    `(${H})?::(${H}:){4}${ls32}`,
    `((${H}:){0,1}${H})?::(${H}:){3}${ls32}`,
    `((${H}:){0,2}${H})?::(${H}:){2}${ls32}`,
    `((${H}:){0,3}${H})?::${H}:${ls32}`,
    `((${H}:){0,4}${H})?::${ls32}`,
    `((${H}:){0,5}${H})?::${H}`,
    `((${H}:){0,6}${H})?::`,
  ];
  return whole(`${IPV4}|${v6.map((a) => `(${a})`).join('|')}`);
}

/**
 * The IR's `iso8601` (compiler/interpret/date.ts): RFC 3339 `date-time` with upper-case `T` and
 * `Z`, any fraction, an offset of at most 23:59.
 */
export const RFC3339_REGEX = whole(
  '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?(Z|[-+]([01][0-9]|2[0-3]):[0-5][0-9])',
);

/** The IR's pattern fields (`DatePatternIR` in compiler/ir.ts), each exactly its width in digits. */
const PATTERN_FIELDS = new Set(['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss', 'SSS']);

/**
 * The exact text shape of a `pattern` date format, from its tokens: each field its width in
 * ASCII digits, each literal as is.
 * @throws Error (an internal error) for a literal that is not printable ASCII or a field outside
 *   the IR's (the checks allow neither, E0111).
 */
export function patternRegex(pattern: DatePatternIR): RegexText {
  const body = pattern.tokens
    .map((token) => {
      if (token.kind === 'literal') {
        if (!/^[\x20-\x7e]+$/.test(token.text))
          throw new Error(
            `date pattern ${JSON.stringify(pattern.text)}: literal ${JSON.stringify(token.text)} is not printable ASCII`,
          );
        return regexChars(token.text);
      }
      const name = token.letter.repeat(token.width);
      if (!PATTERN_FIELDS.has(name))
        throw new Error(`date pattern ${JSON.stringify(pattern.text)}: unsupported field ${name}`);
      return `[0-9]{${token.width}}`;
    })
    .join('');
  return whole(body);
}
