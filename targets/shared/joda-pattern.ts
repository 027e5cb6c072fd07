/**
 * An IR date pattern ({@link DatePatternIR}) as a Java/Joda pattern: the one mapping for the
 * engines that read such patterns, the Elasticsearch `date` processor (Java
 * `java.time.format.DateTimeFormatter` through Elasticsearch `DateFormatter`) and the Logstash
 * `date` filter (Joda-Time `DateTimeFormat`, logstash-filter-date).
 *
 * Both read a run of a letter as a field (`yyyy`, `MM`, `dd`, `HH`, `mm`, `ss`, `SSS` mean the
 * same in both) and `'...'` as quoted text with `''` for one quote:
 * https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/time/format/DateTimeFormatter.html
 * ("Patterns for Formatting and Parsing") and
 * https://www.joda.org/joda-time/apidocs/org/joda/time/format/DateTimeFormat.html (Joda-Time 2.12).
 * Java also reserves `[` `]` (optional sections) and `#` `{` `}`; Joda reads them literally, and
 * both read them literally when quoted.
 *
 * @module
 */
import type { DatePatternIR } from '../../compiler/ir.ts';

/** Literal characters Java or Joda do not read as themselves when unquoted (besides letters). */
const SPECIAL = /['[\]{}#A-Za-z]/;

/**
 * The Java/Joda pattern of `pattern`'s tokens: each field as its letter `width` times; each
 * literal as written, or as one `'...'` section (with `'` doubled) when it holds a character
 * {@link SPECIAL} (the checks allow only separators both read literally, E0111, so `dd/MM/yyyy`
 * comes out unchanged; the quoting keeps any other IR correct).
 */
export function jodaPattern(pattern: DatePatternIR): string {
  return pattern.tokens
    .map((token) => {
      if (token.kind === 'field') return token.letter.repeat(token.width);
      return SPECIAL.test(token.text) ? `'${token.text.replace(/'/g, "''")}'` : token.text;
    })
    .join('');
}
