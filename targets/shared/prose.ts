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

/**
 * Characters that open or close an inline construct anywhere in a line (code, emphasis, links,
 * images, autolinks, HTML, entities, strikethrough, table cells) or that a template reader might
 * take (`$ { } %`), escaped with a backslash in Markdown text.
 */
const MARKDOWN_INLINE = /[\\`*_{}[\]<>!|~&$%]/g;

/** A line start that CommonMark reads as a block (heading, list item, quote, thematic break, setext underline). */
const MARKDOWN_BLOCK_START = /^(\s*)([#>]|[-+=](?=[-+= ]|$)|\d{1,9}(?=[.)](?: |$)))/;

/**
 * `text` as inline Markdown text (a paragraph or a table cell): one line (line breaks and other
 * control or format characters become spaces), the punctuation that has an inline meaning
 * backslash-escaped everywhere and a block marker escaped at the start (CommonMark 0.31.2 §2.4:
 * any ASCII punctuation may be escaped), so the text shows as written and adds no emphasis,
 * link, HTML, heading, list or table cell. Other punctuation (`.`, `-`, `:` inside a sentence)
 * stays as written, so the text reads as prose.
 */
export function markdownText(text: string): string {
  const line = text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ').replace(MARKDOWN_INLINE, (c) => `\\${c}`);
  return line.replace(MARKDOWN_BLOCK_START, (_, pad: string, marker: string) =>
    /\d/.test(marker) ? `${pad}${marker}\\` : `${pad}\\${marker}`,
  );
}
