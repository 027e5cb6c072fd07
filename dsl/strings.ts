/**
 * String literal decoding and template (placeholder) parsing.
 *
 * Escapes (`docs/language.md`): `\"`, `\\`, `\n`, `\t`, `\u{1F600}` (1 to 6 hex digits, a Unicode
 * scalar value). In template strings `{name}` is a placeholder, `{{` and `}}` are literal braces;
 * braces produced by an escape (`\u{7B}`) are literal text.
 *
 * All offsets returned here are relative to the start of the token image (the opening quote is
 * offset 0), so callers add the token's own offset; strings never span lines, so the column is
 * the token's column plus the same amount.
 *
 * @module
 */

/** A problem inside a string, positioned relative to the token image. */
export interface StringProblem {
  readonly code: 'E0003' | 'E0006';
  readonly offset: number;
  readonly length: number;
  readonly message: string;
  readonly label: string;
  readonly notes: readonly string[];
}

export interface RawTemplateText {
  readonly kind: 'text';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface RawPlaceholder {
  readonly kind: 'placeholder';
  readonly name: string;
  /** Offsets of `{` and one past `}`. */
  readonly start: number;
  readonly end: number;
}

export type RawTemplatePart = RawTemplateText | RawPlaceholder;

const PLACEHOLDER_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const ESCAPE_HELP = 'help: the escapes are \\" \\\\ \\n \\t and \\u{hex}';

/** Where the content ends: before the closing quote when the string is terminated. */
function contentEnd(image: string, terminated: boolean): number {
  return terminated ? image.length - 1 : image.length;
}

/**
 * Decodes the escape starting at `image[i] === '\\'`. Returns the decoded text and the index
 * after the escape, or a problem (the escape is then skipped as written).
 */
function decodeEscape(
  image: string,
  i: number,
  end: number,
): { text: string; next: number } | { problem: StringProblem; next: number } {
  const c = image[i + 1];
  switch (c) {
    case '"':
      return { text: '"', next: i + 2 };
    case '\\':
      return { text: '\\', next: i + 2 };
    case 'n':
      return { text: '\n', next: i + 2 };
    case 't':
      return { text: '\t', next: i + 2 };
    case 'u': {
      const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(image.slice(i + 2, end));
      const cp = m ? Number.parseInt(m[1] ?? '', 16) : Number.NaN;
      if (m && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff)) {
        return { text: String.fromCodePoint(cp), next: i + 2 + m[0].length };
      }
      const close = image.indexOf('}', i + 2);
      const length = close >= 0 && close < end && image[i + 2] === '{' ? close + 1 - i : 2;
      const written = image.slice(i, i + length);
      return {
        problem: {
          code: 'E0003',
          offset: i,
          length,
          message: `invalid unicode escape "${written}" in string`,
          label: 'expected \\u{ followed by 1 to 6 hex digits of a Unicode scalar value and }',
          notes: [ESCAPE_HELP],
        },
        next: i + length,
      };
    }
    case undefined:
      return {
        problem: {
          code: 'E0003',
          offset: i,
          length: 1,
          message: 'a string ends with a lone "\\"',
          label: 'this backslash escapes nothing',
          notes: [ESCAPE_HELP],
        },
        next: i + 1,
      };
    default: {
      const written = String.fromCodePoint(image.codePointAt(i + 1) ?? 0);
      return {
        problem: {
          code: 'E0003',
          offset: i,
          length: 1 + written.length,
          message: `invalid escape "\\${written}" in string`,
          label: 'unknown escape',
          notes: [ESCAPE_HELP],
        },
        next: i + 1 + written.length,
      };
    }
  }
}

/**
 * Decodes a string token image (quotes included). `terminated` is false for an unterminated
 * string (no closing quote). Bad escapes are reported and left out of `value`.
 */
export function decodeString(image: string, terminated = true): { value: string; problems: StringProblem[] } {
  const end = contentEnd(image, terminated);
  const problems: StringProblem[] = [];
  let value = '';
  let i = 1;
  while (i < end) {
    const ch = image[i] ?? '';
    if (ch !== '\\') {
      value += ch;
      i += 1;
      continue;
    }
    const r = decodeEscape(image, i, end);
    if ('problem' in r) problems.push(r.problem);
    else value += r.text;
    i = r.next;
  }
  return { value, problems };
}

/**
 * Parses a template string token image into text and placeholder parts (adjacent text merged).
 * Escape problems (`E0003`) and placeholder syntax problems (`E0006`) are reported; the
 * offending characters are kept as literal text so parsing can go on.
 */
export function parseTemplate(
  image: string,
  terminated = true,
): { parts: RawTemplatePart[]; problems: StringProblem[] } {
  const end = contentEnd(image, terminated);
  const problems: StringProblem[] = [];
  const parts: RawTemplatePart[] = [];
  let text = '';
  let textStart = 1;
  const flushText = (upTo: number): void => {
    if (upTo > textStart) parts.push({ kind: 'text', text, start: textStart, end: upTo });
    text = '';
  };
  let i = 1;
  while (i < end) {
    const ch = image[i] ?? '';
    if (ch === '\\') {
      const r = decodeEscape(image, i, end);
      if ('problem' in r) problems.push(r.problem);
      else text += r.text;
      i = r.next;
      continue;
    }
    if ((ch === '{' || ch === '}') && image[i + 1] === ch) {
      text += ch;
      i += 2;
      continue;
    }
    if (ch === '}') {
      problems.push({
        code: 'E0006',
        offset: i,
        length: 1,
        message: 'unmatched "}" in string',
        label: 'no "{" opens this placeholder',
        notes: ['help: write }} for a literal "}"'],
      });
      text += ch;
      i += 1;
      continue;
    }
    if (ch !== '{') {
      text += ch;
      i += 1;
      continue;
    }
    const close = image.indexOf('}', i + 1);
    if (close < 0 || close >= end) {
      problems.push({
        code: 'E0006',
        offset: i,
        length: 1,
        message: 'unclosed placeholder: "{" has no matching "}"',
        label: 'this "{" starts a placeholder',
        notes: ['help: write {{ for a literal "{", or close the placeholder like {base_url}'],
      });
      text += ch;
      i += 1;
      continue;
    }
    const name = image.slice(i + 1, close);
    if (!PLACEHOLDER_NAME.test(name)) {
      problems.push({
        code: 'E0006',
        offset: i,
        length: close + 1 - i,
        message: `invalid placeholder "{${name}}": expected a name like {base_url} or {window.start}`,
        label: 'not a placeholder name',
        notes: ['help: write {{ and }} for literal braces'],
      });
      text += image.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    flushText(i);
    parts.push({ kind: 'placeholder', name, start: i, end: close + 1 });
    i = close + 1;
    textStart = i;
  }
  flushText(end);
  return { parts, problems };
}

/** One code point of a decoded string literal and where it is written in the token image. */
export interface LiteralCodePoint {
  /** The code point as a string (two UTF-16 units for a supplementary one; a lone surrogate alone). */
  readonly text: string;
  /** Offset of its spelling in the token image (the opening quote is offset 0). */
  readonly offset: number;
  /** Length of its spelling: 1 or 2 for a raw character, the whole escape for an escape. */
  readonly length: number;
  /** Written as an escape (`\n`, `\u{0}`) rather than directly. */
  readonly escaped: boolean;
}

/**
 * The code points a string token image decodes to, each with its spelling's place, so that a
 * check can point at the one character it refuses. `{{` stays two `{` (one per brace written);
 * bad escapes are left out (they are `E0003`).
 */
export function literalCodePoints(image: string, terminated = true): LiteralCodePoint[] {
  const end = contentEnd(image, terminated);
  const out: LiteralCodePoint[] = [];
  let i = 1;
  while (i < end) {
    if (image[i] === '\\') {
      const r = decodeEscape(image, i, end);
      if (!('problem' in r)) out.push({ text: r.text, offset: i, length: r.next - i, escaped: true });
      i = r.next;
      continue;
    }
    const cp = image.codePointAt(i) ?? 0;
    const length = cp > 0xffff ? 2 : 1;
    out.push({ text: image.slice(i, i + length), offset: i, length, escaped: false });
    i += length;
  }
  return out;
}
