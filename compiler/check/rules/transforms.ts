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
 * - an `extract` with named groups yields an object of the captures: like `json`'s value, it is the
 *   last transform (E0179) and goes under the vendor namespace or to a `flattened` field (E0181);
 * - since a `json` value may be of any JSON type, it goes under the vendor namespace or to an ECS
 *   field of no mapc type (`flattened`), never to a typed ECS field (E0181; `ValueTypeRule`'s
 *   E0101 leaves it to this rule);
 * - an `extract` pattern is in mapc's portable regex subset (E0182) and has exactly one capturing
 *   group (E0183), as `dsl/regex.ts` parsed it; reported at the pattern's string literal, the
 *   message naming the construct and its column inside the pattern.
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

/** Whether a transform yields a list or an object rather than one plain value: split, json, extract with named groups. */
export function yieldsStructure(t: Transform): boolean {
  return (
    t.kind === 'SplitTransform' ||
    t.kind === 'JsonTransform' ||
    (t.kind === 'ExtractTransform' && t.regex.kind === 'regex' && t.regex.names !== undefined)
  );
}

/** An `extract` pattern outside the subset (E0182) or without exactly one capturing group (E0183). */
export const ExtractPatternRule: CheckRule = (ctx) => ({
  ExtractTransform(t) {
    if (t.regex.kind !== 'problem') return;
    const problem = t.regex;
    ctx.error(
      problem.code,
      problem.code === 'E0182' ? `extract cannot take ${problem.message}` : `extract: ${problem.message}`,
      t.pattern.loc,
      problem.code === 'E0182' ? 'outside the portable regex subset' : 'not exactly one capturing group',
      {
        notes: [
          'note: extract patterns use one regex subset that every engine (JavaScript, Joni, Rust regex) matches alike; see docs/language.md "extract"',
        ],
      },
    );
  },
});

/**
 * A transform after `split`, `json` or a list table's `lookup` (E0179); a list into an ECS field
 * that holds one value (E0180); parsed JSON into a typed ECS field (E0181).
 */
export const ListValueRule: CheckRule = (ctx) => ({
  Rule(rule, ancestors) {
    const value = rule.value;
    if (value.kind !== 'FieldValue' && value.kind !== 'SelectValue') return;
    const listLookup = (t: Transform): boolean => {
      if (t.kind !== 'LookupTransform') return false;
      const table = ctx.symbols.tables.get(t.table.value);
      return table !== undefined && isListTable(table);
    };
    const index = value.transforms.findIndex((t) => yieldsStructure(t) || listLookup(t));
    if (index < 0) return;
    const last = value.transforms[index]!;
    // `split` and a list table's lookup yield lists; `json` and named groups one structure.
    const split = last.kind === 'SplitTransform' || last.kind === 'LookupTransform';
    const named = last.kind === 'ExtractTransform';
    const name =
      last.kind === 'LookupTransform'
        ? `lookup(${last.table.value})`
        : last.kind === 'SplitTransform'
          ? 'split'
          : named
            ? 'extract with named groups'
            : 'json';
    const yields = split ? 'a list of strings' : named ? 'an object of the named captures' : 'a value of any JSON type';
    const next = value.transforms[index + 1];
    if (next) {
      ctx.error('E0179', `no transform can follow ${name}: it yields ${yields}`, next.loc, 'takes one value', {
        secondary: [{ span: last.loc, message: `yields ${yields}` }],
        notes: [
          named
            ? 'help: extract one unnamed group per rule to transform each capture'
            : `help: put the transforms before ${name}, e.g. \`| lowercase | ${last.kind === 'SplitTransform' ? 'split(",")' : name}\``,
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
        `${destination} is an ECS ${r.field.type} field, but ${name} yields ${yields}`,
        rule.destination.loc,
        `ECS type ${r.field.type}`,
        {
          secondary,
          notes: [
            named
              ? 'note: an object of named captures does not fit a field that holds one value'
              : 'note: the parsed type is known only at run time; an object or a number would not fit this field',
            `help: write the ${named ? 'object' : 'parsed value'} under the vendor namespace, or to a flattened ECS field`,
          ],
        },
      );
    }
  },
});
