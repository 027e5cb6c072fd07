/**
 * Validation of `date("...")` / `format "..."` patterns: the Joda/Java-style subset the IR's
 * `DateFormat` `pattern` allows (`compiler/ir.ts`): the fields `yyyy MM dd HH mm ss SSS`, each at
 * most once, separated by the separators every engine reads literally ({@link SEPARATORS}).
 *
 * @module
 */
import { tokenText, type DatePatternToken } from '../../dsl/date-pattern.ts';

const FIELDS = ['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss', 'SSS'] as const;

/**
 * Literal characters every engine reads as themselves in a pattern: Java `DateTimeFormatter` and
 * Joda reserve letters and `'` (quoted text), `[` `]` (optional sections) and `#` `{` `}`
 * (reserved), chrono's `strftime` reserves `%`; these separators mean the same everywhere.
 */
const SEPARATORS = new Set([' ', '-', '/', '.', ':', ',', '_', ';']);

/** Fields that only make sense when the coarser one is there (`ss` without `mm` is ambiguous). */
const NEEDS: Readonly<Record<string, string>> = { mm: 'HH', ss: 'mm', SSS: 'ss' };

/** One problem with a pattern: the message and the 0-based character range inside the pattern. */
export interface PatternProblem {
  readonly message: string;
  readonly start: number;
  readonly length: number;
}

/**
 * The first problem with a pattern, read from its tokens (the front end's cut, `dsl/date-pattern.ts`),
 * or `undefined` when it is valid.
 */
export function datePatternProblem(tokens: readonly DatePatternToken[]): PatternProblem | undefined {
  const text = tokens.map(tokenText).join('');
  const seen = new Set<string>();
  let at = 0;
  for (const token of tokens) {
    const written = tokenText(token);
    if (token.kind === 'field') {
      if (!(FIELDS as readonly string[]).includes(written)) {
        return {
          message: `\`${written}\` is not a supported pattern field (use ${FIELDS.join(' ')} and punctuation)`,
          start: at,
          length: written.length,
        };
      }
      if (seen.has(written)) return { message: `\`${written}\` appears twice`, start: at, length: written.length };
      seen.add(written);
    } else {
      let i = 0;
      for (const ch of token.text) {
        if (!SEPARATORS.has(ch)) {
          return {
            message: `\`${ch}\` is not a separator every engine reads literally (use space or - / . : , _ ;)`,
            start: at + i,
            length: ch.length,
          };
        }
        i += ch.length;
      }
    }
    at += written.length;
  }
  for (const required of ['yyyy', 'MM', 'dd']) {
    if (!seen.has(required)) {
      return { message: `a date pattern needs \`${required}\``, start: 0, length: text.length };
    }
  }
  for (const [field, coarser] of Object.entries(NEEDS)) {
    if (seen.has(field) && !seen.has(coarser)) {
      const start = text.indexOf(field);
      return { message: `\`${field}\` needs \`${coarser}\``, start, length: field.length };
    }
  }
  return undefined;
}
