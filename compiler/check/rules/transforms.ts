/**
 * The checks of the transforms that yield more than one plain value (`split("SEP")`, `json`,
 * docs/language.md "Transforms"); the conversion rules are `TransformIR`'s (`compiler/ir.ts`):
 * - a `split` separator is not empty (E0178): every engine splits an empty separator differently
 *   (Java's regex split between characters, Ruby's String#split into characters, Rust's `split`
 *   with empty pieces at both ends), so no target could give the interpreter's result;
 * - `split`, `json` and a `lookup` of a list table (a table with a list value, `"a" => ["b", "c"]`)
 *   are the last transform of their rule (E0179): the other transforms take one value of their
 *   own types, not a list or a value of any type;
 * - a list goes to an ECS array field (with `+=`, E0112/E0120 say which operator) or under the
 *   vendor namespace, never to an ECS field that holds one value (E0180);
 * - since a `json` value may be of any JSON type, it goes under the vendor namespace or to an ECS
 *   field of no mapc type (`flattened`), never to a typed ECS field (E0181; `ValueTypeRule`'s
 *   E0101 leaves it to this rule).
 *
 * @module
 */
import { isListTable, pathText, type Transform } from '../../../dsl/ast.ts';
import type { CheckRule } from '../rule.ts';
import { resolveDestination, vendorRoots } from '../destination.ts';
import { typeClass } from '../value-type.ts';
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

/**
 * A transform after `split`, `json` or a list table's `lookup` (E0179); a list into an ECS field
 * that holds one value (E0180); parsed JSON into a typed ECS field (E0181).
 */
export const ListValueRule: CheckRule = (ctx) => ({
  Rule(rule, ancestors) {
    const value = rule.value;
    if (value.kind !== 'FieldValue') return;
    const listLookup = (t: Transform): boolean => {
      if (t.kind !== 'LookupTransform') return false;
      const table = ctx.symbols.tables.get(t.table.value);
      return table !== undefined && isListTable(table);
    };
    const index = value.transforms.findIndex(
      (t) => t.kind === 'SplitTransform' || t.kind === 'JsonTransform' || listLookup(t),
    );
    if (index < 0) return;
    const last = value.transforms[index]!;
    const split = last.kind !== 'JsonTransform';
    const name =
      last.kind === 'LookupTransform'
        ? `lookup(${last.table.value})`
        : last.kind === 'SplitTransform'
          ? 'split'
          : 'json';
    const yields = split ? 'a list of strings' : 'a value of any JSON type';
    const next = value.transforms[index + 1];
    if (next) {
      ctx.error('E0179', `no transform can follow ${name}: it yields ${yields}`, next.loc, 'takes one value', {
        secondary: [{ span: last.loc, message: `yields ${yields}` }],
        notes: [
          `help: put the transforms before ${name}, e.g. \`| lowercase | ${last.kind === 'SplitTransform' ? 'split(",")' : name}\``,
        ],
      });
      return;
    }
    const stream = nearest(ancestors, 'Stream');
    if (!stream) return;
    const destination = pathText(rule.destination);
    const r = resolveDestination(
      ctx.ecs,
      destination,
      vendorRoots(ctx.symbols.integration?.name.value, stream, stream.map),
    );
    if (r.kind !== 'ecs') return;
    const secondary = [{ span: last.loc, message: `yields ${yields}` }];
    if (split && !r.field.array) {
      ctx.error(
        'E0180',
        `${destination} holds one value, but ${name} yields a list`,
        rule.destination.loc,
        'not an array field',
        {
          secondary,
          notes: [
            'help: write the list to an ECS array field with += (e.g. related.user) or under the vendor namespace',
          ],
        },
      );
    } else if (!split && typeClass(r.field.type) !== 'free') {
      ctx.error(
        'E0181',
        `${destination} is an ECS ${r.field.type} field, but json yields a value of any JSON type`,
        rule.destination.loc,
        `ECS type ${r.field.type}`,
        {
          secondary,
          notes: [
            'note: the parsed type is known only at run time; an object or a number would not fit this field',
            'help: write the parsed value under the vendor namespace, or to a flattened ECS field',
          ],
        },
      );
    }
  },
});
