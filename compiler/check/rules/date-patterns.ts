import type { Span } from '../../../dsl/ast.ts';
import { datePatternProblem } from '../date-pattern.ts';
import type { CheckRule } from '../rule.ts';

/** Date patterns use only `yyyy MM dd HH mm ss SSS` and punctuation (E0111). */
export const DatePatternRule: CheckRule = (ctx) => ({
  DateFormat(format) {
    if (format.format !== 'pattern' || format.pattern === undefined || format.tokens === undefined) return;
    const problem = datePatternProblem(format.tokens);
    if (!problem) return;
    ctx.error(
      'E0111',
      `invalid date pattern ${JSON.stringify(format.pattern)}`,
      narrow(format.loc, format.pattern, problem),
      problem.message,
      {
        notes: ['help: use iso8601, unix_ms or unix for standard formats, or a pattern like "dd/MM/yyyy HH:mm:ss"'],
      },
    );
  },
});

/**
 * The span of the offending characters inside the quoted pattern when the source holds the
 * pattern verbatim (no escapes); otherwise the whole string.
 */
function narrow(loc: Span, pattern: string, problem: { start: number; length: number }): Span {
  if (loc.length !== pattern.length + 2 || pattern.includes('\n')) return loc;
  return {
    ...loc,
    offset: loc.offset + 1 + problem.start,
    column: loc.column + 1 + problem.start,
    length: Math.max(1, problem.length),
  };
}
