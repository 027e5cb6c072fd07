/**
 * The checks of the transforms that take map text (`split("SEP")`, docs/language.md
 * "Transforms"); the conversion rules are `TransformIR`'s (`compiler/ir.ts`):
 * - a `split` separator is not empty (E0178): every engine splits an empty separator differently
 *   (Java's regex split between characters, Ruby's String#split into characters, Rust's `split`
 *   with empty pieces at both ends), so no target could give the interpreter's result;
 * - `split` is the last transform of its rule (E0179): the other transforms take one value, not a
 *   list;
 * - a list goes to an ECS array field (with `+=`, E0112/E0120 say which operator) or under the
 *   vendor namespace, never to an ECS field that holds one value (E0180).
 *
 * @module
 */
import { pathText, type AstNode, type MapRule } from '../../../dsl/ast.ts';
import type { CheckRule } from '../rule.ts';
import { resolveDestination, vendorRoots } from '../destination.ts';
import type { CheckContext } from '../context.ts';
import { nearest } from '../walk.ts';

/** An empty `split` separator (E0178), at the literal. */
export const SplitSeparatorRule: CheckRule = (ctx) => ({
  SplitTransform(t) {
    if (t.separator.value !== '') return;
    ctx.error('E0178', 'split needs a separator of at least one character', t.separator.loc, 'empty separator', {
      notes: [
        'note: engines split on an empty separator differently (between characters, with or without empty ends)',
        'help: write the text between the pieces, e.g. split(",")',
      ],
    });
  },
});

/** A transform after `split` (E0179); a list into an ECS field that holds one value (E0180). */
export const ListValueRule: CheckRule = (ctx) => ({
  Rule(rule, ancestors) {
    const value = rule.value;
    if (value.kind !== 'FieldValue') return;
    const index = value.transforms.findIndex((t) => t.kind === 'SplitTransform');
    if (index < 0) return;
    const split = value.transforms[index]!;
    const next = value.transforms[index + 1];
    if (next) {
      ctx.error('E0179', 'no transform can follow split: it yields a list', next.loc, 'takes one value, not a list', {
        secondary: [{ span: split.loc, message: 'yields a list of strings' }],
        notes: ['help: put the transforms before split, e.g. `| lowercase | split(",")`'],
      });
      return;
    }
    listDestination(ctx, rule, ancestors, split.loc);
  },
});

function listDestination(ctx: CheckContext, rule: MapRule, ancestors: readonly AstNode[], at: MapRule['loc']): void {
  const stream = nearest(ancestors, 'Stream');
  if (!stream) return;
  const destination = pathText(rule.destination);
  const r = resolveDestination(destination, vendorRoots(ctx.symbols.integration?.name.value, stream, stream.map));
  if (r.kind !== 'ecs' || r.field.array) return;
  ctx.error(
    'E0180',
    `${destination} holds one value, but split yields a list`,
    rule.destination.loc,
    'not an array field',
    {
      secondary: [{ span: at, message: 'yields a list of strings' }],
      notes: ['help: write the list to an ECS array field with += (e.g. related.user) or under the vendor namespace'],
    },
  );
}
