/**
 * Validation of `date("...")` / `format "..."` patterns: the Joda/Java-style subset the IR's
 * `DateFormat` `pattern` allows (`compiler/ir.ts`): the fields `yyyy MM dd HH mm ss SSS`, each at
 * most once, separated by the separators every engine reads literally ({@link SEPARATORS}).
 *
 * @module
 */

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

/** The first problem with `pattern`, or `undefined` when it is valid. */
export function datePatternProblem(pattern: string): PatternProblem | undefined {
  const seen = new Set<string>();
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (/[A-Za-z0-9]/.test(ch)) {
      let j = i;
      while (j < pattern.length && pattern[j] === ch) j++;
      const run = pattern.slice(i, j);
      if (!(FIELDS as readonly string[]).includes(run)) {
        return {
          message: `\`${run}\` is not a supported pattern field (use ${FIELDS.join(' ')} and punctuation)`,
          start: i,
          length: run.length,
        };
      }
      if (seen.has(run)) return { message: `\`${run}\` appears twice`, start: i, length: run.length };
      seen.add(run);
      i = j;
    } else if (SEPARATORS.has(ch)) {
      i++;
    } else {
      const written = String.fromCodePoint(pattern.codePointAt(i) ?? 0);
      return {
        message: `\`${written}\` is not a separator every engine reads literally (use space or - / . : , _ ;)`,
        start: i,
        length: written.length,
      };
    }
  }
  for (const required of ['yyyy', 'MM', 'dd']) {
    if (!seen.has(required)) {
      return { message: `a date pattern needs \`${required}\``, start: 0, length: pattern.length };
    }
  }
  for (const [field, coarser] of Object.entries(NEEDS)) {
    if (seen.has(field) && !seen.has(coarser)) {
      const at = pattern.indexOf(field);
      return { message: `\`${field}\` needs \`${coarser}\``, start: at, length: field.length };
    }
  }
  return undefined;
}
