/**
 * Semantic checks over a parsed `.map` file: everything the grammar cannot say (ECS fields and
 * types, references, placeholders, required items, credentials). Pure: AST in, diagnostics out.
 *
 * @module
 */
import type { MapFile } from '../../dsl/ast.ts';
import type { Diagnostic } from '../../dsl/diagnostics.ts';
import { defaultsDiagnostics, resolveDefaults } from '../defaults.ts';
import { CheckContext } from './context.ts';
import type { CheckRule } from './rule.ts';
import { specifiedRules } from './specified-rules.ts';
import { walk } from './walk.ts';

export type { CheckRule } from './rule.ts';
export { CheckContext } from './context.ts';
export { specifiedRules } from './specified-rules.ts';

/**
 * Runs `rules` (default: all of them) over `file`, its streams with their inherited defaults, in
 * one walk, after the checks of the `defaults` block itself. Returns every diagnostic, sorted
 * by position (offset, then code; ties keep the order the rules reported them in) so output is
 * deterministic.
 */
export function checkMap(file: MapFile, rules: readonly CheckRule[] = specifiedRules): Diagnostic[] {
  // The rules see each stream with the items it inherits (`compiler/defaults.ts`): a diagnostic
  // about an inherited item points at the defaults text, once however many streams inherit it.
  const resolved = resolveDefaults(file);
  const ctx = new CheckContext(resolved);
  walk(
    resolved,
    rules.map((rule) => rule(ctx)),
  );
  ctx.finish();
  return sortDiagnostics(unique([...defaultsDiagnostics(file), ...ctx.diagnostics]));
}

/**
 * Each diagnostic once: a rule with several sources is one AST rule per source sharing its
 * destination, operator and transforms (`dsl/ast.ts` MapRule), so a check of those parts would
 * otherwise report the same thing at the same place once per source.
 */
function unique(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.message, d.primary.span.offset, d.primary.span.length]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.primary.span.offset - b.primary.span.offset || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
