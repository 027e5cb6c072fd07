/**
 * The canonical spelling of a string literal, used by `mapc fmt`.
 *
 * A string is re-spelled from what it means, not from how it was written: `"\u{41}"` becomes
 * `"A"`, a raw tab becomes `\t`. The rules (`docs/language.md`, "Canonical layout"):
 * - `"` → `\"`, `\` → `\\`, line feed → `\n`, tab → `\t`;
 * - any other control, format or separator character (Unicode general categories Cc, Cf, Zl,
 *   Zp, and Zs other than the space, e.g. U+00A0 or a bidirectional override) → `\u{HEX}`
 *   (upper-case hex, no leading zeros), so nothing invisible stays in the file;
 * - a brace keeps its form: written raw (`{`, `{{`) it stays raw, written as an escape
 *   (`\u{7B}`) it stays `\u{7B}`. A brace from an escape is literal text in a template string
 *   while a raw one starts a placeholder (`dsl/strings.ts`), so keeping the form keeps the meaning
 *   whether or not the string is a template where it stands;
 * - every other character is written as itself.
 *
 * Only called on strings that lexed and decoded without error (the formatter refuses files with
 * syntax errors), so every escape here is one of `\" \\ \n \t \u{hex}`.
 *
 * @module
 */

/** Characters written as a `\u{...}` escape (besides the short escapes and braces). */
const INVISIBLE = /^(?:\p{Cc}|\p{Cf}|\p{Zl}|\p{Zp}|(?! )\p{Zs})$/u;

/** The spelling of one decoded code point (not a brace). */
function spell(ch: string): string {
  switch (ch) {
    case '"':
      return '\\"';
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\t':
      return '\\t';
    default:
      return INVISIBLE.test(ch) ? unicodeEscape(ch) : ch;
  }
}

function unicodeEscape(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`;
}

/**
 * Re-spells a terminated string token image (quotes included) canonically. The result decodes
 * to the same value and, read as a template, to the same parts.
 * @throws Error on an escape `dsl/strings.ts` would reject (a caller bug: such files are refused)
 */
export function canonicalString(image: string): string {
  const end = image.length - 1;
  let out = '"';
  let i = 1;
  while (i < end) {
    const cp = image.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    if (ch !== '\\') {
      out += ch === '{' || ch === '}' ? ch : spell(ch);
      i += ch.length;
      continue;
    }
    const next = image[i + 1];
    if (next === 'u') {
      const m = /^\\u\{([0-9A-Fa-f]{1,6})\}/.exec(image.slice(i, end));
      if (!m) throw new Error(`invalid escape at ${i} in ${image}`);
      const decoded = String.fromCodePoint(Number.parseInt(m[1] ?? '', 16));
      out += decoded === '{' || decoded === '}' ? unicodeEscape(decoded) : spell(decoded);
      i += m[0].length;
      continue;
    }
    const simple: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };
    const decoded = next === undefined ? undefined : simple[next];
    if (decoded === undefined) throw new Error(`invalid escape at ${i} in ${image}`);
    out += spell(decoded);
    i += 2;
  }
  return `${out}"`;
}
