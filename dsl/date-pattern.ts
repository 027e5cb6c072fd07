/**
 * The one parser of date patterns (`date("dd/MM/yyyy")`, `format "dd/MM/yyyy"`): it cuts the
 * pattern text into tokens once, in the front end; the checks validate the tokens
 * (`compiler/check/date-pattern.ts`), the IR carries them (`DatePatternIR` in `compiler/ir.ts`),
 * and the interpreter, the collector and every backend read them instead of the text.
 *
 * The cut is lossless (joining the tokens' text gives the pattern back) and never fails: a run of
 * one ASCII letter repeated (`yyyy`, `MM`) is a *field*; every maximal run of other characters
 * (punctuation, digits, quotes, anything) is a *literal*. The letters and separators a map may
 * use are the checks' business, not the parser's.
 *
 * @module
 */

/**
 * One piece of a date pattern.
 * - `field`: `width` repetitions of the ASCII letter `letter` (`yyyy` is `{letter: 'y', width: 4}`).
 * - `literal`: text written as itself (a maximal run of characters that are not ASCII letters).
 */
export type DatePatternToken =
  | { readonly kind: 'field'; readonly letter: string; readonly width: number }
  | { readonly kind: 'literal'; readonly text: string };

/** The tokens of `pattern`, in order; `''` has none. */
export function tokenizeDatePattern(pattern: string): DatePatternToken[] {
  const tokens: DatePatternToken[] = [];
  for (const run of pattern.match(/([A-Za-z])\1*|[^A-Za-z]+/gsu) ?? []) {
    tokens.push(
      /^[A-Za-z]/.test(run)
        ? { kind: 'field', letter: run[0] as string, width: run.length }
        : { kind: 'literal', text: run },
    );
  }
  return tokens;
}

/** The pattern text of a token: a field's letter `width` times, a literal's text. */
export function tokenText(token: DatePatternToken): string {
  return token.kind === 'field' ? token.letter.repeat(token.width) : token.text;
}
