/**
 * The characters of a map's string literals, as the checks on text see them: each decoded code
 * point with the span of its spelling (a raw character or an escape), and the classes of code
 * points no target can carry.
 *
 * @module
 */
import type { MapFile, Span } from '../../dsl/ast.ts';
import { literalCodePoints } from '../../dsl/strings.ts';

/** One decoded code point of a string literal and the span of how it is written. */
export interface StringCharacter {
  readonly codePoint: number;
  readonly text: string;
  readonly span: Span;
  /** Written as an escape (`\n`, `\u{0}`) rather than directly in the file. */
  readonly escaped: boolean;
}

/**
 * The code points of the string literal at `loc` (a span covering the literal, quotes
 * included: strings, templates, quoted path segments, date patterns). Strings never span
 * lines, so each character's column is the literal's plus its offset. Empty when `loc` does not
 * start at a `"` (a node that is no literal).
 */
export function stringCharacters(file: MapFile, loc: Span): StringCharacter[] {
  const image = file.source.slice(loc.offset, loc.offset + loc.length);
  if (!image.startsWith('"')) return [];
  // Checks run only on files without syntax errors: every literal is terminated.
  return literalCodePoints(image).map((c) => ({
    codePoint: c.text.codePointAt(0) ?? 0,
    text: c.text,
    escaped: c.escaped,
    span: {
      file: loc.file,
      offset: loc.offset + c.offset,
      length: c.length,
      line: loc.line,
      column: loc.column + c.offset,
    },
  }));
}

const C0_NAMES = [
  'NUL',
  'SOH',
  'STX',
  'ETX',
  'EOT',
  'ENQ',
  'ACK',
  'BEL',
  'BS',
  'TAB',
  'LF',
  'VT',
  'FF',
  'CR',
  'SO',
  'SI',
  'DLE',
  'DC1',
  'DC2',
  'DC3',
  'DC4',
  'NAK',
  'SYN',
  'ETB',
  'CAN',
  'EM',
  'SUB',
  'ESC',
  'FS',
  'GS',
  'RS',
  'US',
];

/** `U+000A (LF)`, `U+1F600`. */
export function codePointName(codePoint: number): string {
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  if (codePoint < 0x20) return `${hex} (${C0_NAMES[codePoint]})`;
  if (codePoint === 0x7f) return `${hex} (DEL)`;
  if (codePoint === 0x2028) return `${hex} (LINE SEPARATOR)`;
  if (codePoint === 0x2029) return `${hex} (PARAGRAPH SEPARATOR)`;
  return hex;
}

/**
 * Why no target can carry `codePoint` in any string, or `undefined`:
 * - C0 controls U+0000-U+001F, tab and line feed included, and DEL U+007F: YAML, Handlebars
 *   templates, CEL, VRL and Logstash configs either refuse them or read them as structure (a
 *   line break ends a comment; Logstash strings have no escape for them);
 * - C1 controls U+0080-U+009F (YAML 1.2 requires them escaped; js-yaml and others disagree);
 * - U+2028 and U+2029, line terminators to JavaScript-based tools and some YAML readers;
 * - lone surrogates (U+D800-U+DFFF), which UTF-8 cannot encode;
 * - noncharacters (U+FDD0-U+FDEF and the last two code points of every plane, U+FFFE, U+FFFF,
 *   ..., U+10FFFF), which YAML 1.2 excludes from its character set (§5.1).
 */
export function forbiddenClass(codePoint: number): string | undefined {
  if (codePoint <= 0x1f) return codePoint === 0x0a || codePoint === 0x0d ? 'a line break' : 'a control character';
  if (codePoint === 0x7f) return 'a control character';
  if (codePoint >= 0x80 && codePoint <= 0x9f) return 'a C1 control character';
  if (codePoint === 0x2028 || codePoint === 0x2029) return 'a line break';
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return 'a lone surrogate';
  if ((codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) === 0xfffe) return 'a noncharacter';
  return undefined;
}

/** Every code point {@link forbiddenClass} names, as one regular expression (lone surrogates included). */
const FORBIDDEN = new RegExp(
  `[\\u{0}-\\u{1F}\\u{7F}-\\u{9F}\\u{2028}\\u{2029}\\u{D800}-\\u{DFFF}\\u{FDD0}-\\u{FDEF}${Array.from(
    { length: 17 },
    (_, plane) => `\\u{${(plane * 0x10000 + 0xfffe).toString(16)}}\\u{${(plane * 0x10000 + 0xffff).toString(16)}}`,
  ).join('')}]`,
  'u',
);

/** True when `text` holds a code point no target can carry (a fast test before {@link stringCharacters}). */
export function hasForbidden(text: string): boolean {
  return FORBIDDEN.test(text);
}
