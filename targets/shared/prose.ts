/**
 * Map text in the parts of generated files that people read: comments and Markdown. The one
 * quoting of such text for every target, so that a title or a field name can never end a comment
 * early, open a template, name a variable, or add Markdown or HTML structure.
 *
 * Both functions are lossy by design (this text informs a reader, it is never read back): a
 * character outside the kept set becomes `?`.
 *
 * @module
 */

/** Characters a comment may show: letters, marks, digits and the ASCII punctuation below. */
const COMMENT_KEEP = /^[\p{L}\p{M}\p{N} !"#&'()*+,\-./:;<=>?@[\]^_|~]$/u;

/**
 * `text` as the body of a one-line comment in any target (YAML `#`, CEL `//`, VRL `#`, Painless
 * `//`, Logstash `#`, Handlebars templates): one line, at most `maxLength` characters (then `…`),
 * with every character outside letters, marks, digits, space and the ASCII punctuation
 * `!"#&'()*+,-./:;<=>?@[]^_|~` replaced by `?`. So no line break of any parser (LF, CR, NEL,
 * U+2028/2029), no control or format character (bidi overrides), and none of `$ { } % \ \``
 * (environment interpolation, Handlebars, sprintf, escapes) survives.
 */
export function commentText(text: string, maxLength = 120): string {
  let out = '';
  let count = 0;
  for (const ch of text) {
    if (count === maxLength) return `${out}…`;
    out += COMMENT_KEEP.test(ch) ? ch : '?';
    count++;
  }
  return out;
}

/** Characters with a meaning in CommonMark or HTML, escaped with a backslash in Markdown text. */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+\-.!|~&"'$%=:]/g;

/**
 * `text` as inline Markdown text (a paragraph or a table cell): one line (line breaks and other
 * control or format characters become spaces), every CommonMark punctuation character
 * backslash-escaped (CommonMark 0.31.2 §2.4: any ASCII punctuation may be escaped), so the text
 * shows as written and adds no emphasis, link, HTML, heading or table cell.
 */
export function markdownText(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ').replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}
