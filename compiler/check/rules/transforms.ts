/**
 * The checks of the transforms that yield more than one plain value (`split("SEP")`, `json`,
 * docs/language.md "Transforms"); the conversion rules are `TransformIR`'s (`compiler/ir.ts`):
 * - `kv` separators are 1 to 8 characters of the space and ASCII punctuation but quotes and the
 *   backslash, the field separator starts with a space only when it is `" "` (E0175), and the two
 *   share no character (E0176): the portable `kv` rule of `TransformIR` needs them;
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
import { KV_MAX_SEPARATOR, KV_SEPARATOR_CHARS } from '../../ir.ts';

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
 * A `kv` separator that is empty, longer than {@link KV_MAX_SEPARATOR} characters or holds a
 * character outside {@link KV_SEPARATOR_CHARS} (E0175), a field separator that starts with a space
 * without being `" "` (E0175: VRL's parser eats spaces before a field separator), or two
 * separators that share a character (E0176), at the separator's literal.
 */
export const KvSeparatorRule: CheckRule = (ctx) => ({
  KvTransform(t) {
    const { fieldSeparator: field, valueSeparator: value } = t;
    if (field === undefined || value === undefined) return;
    const note = `note: a separator is 1 to ${KV_MAX_SEPARATOR} characters among the space and ${KV_SEPARATOR_CHARS.trim()} (no letter, digit, quote or backslash), so that every engine's parser splits the text alike`;
    for (const [literal, what] of [
      [field, 'field'],
      [value, 'value'],
    ] as const) {
      const text = literal.value;
      const chars = [...text];
      const bad = chars.find((c) => !KV_SEPARATOR_CHARS.includes(c));
      const problem =
        text === ''
          ? ['is empty', 'empty separator']
          : chars.length > KV_MAX_SEPARATOR
            ? [`is ${chars.length} characters long (at most ${KV_MAX_SEPARATOR})`, 'too long']
            : bad !== undefined
              ? [`holds ${JSON.stringify(bad)}, which no separator may hold`, 'character not allowed']
              : what === 'field' && text !== ' ' && text.startsWith(' ')
                ? ['starts with a space (only " " itself may)', 'leading space']
                : undefined;
      if (problem === undefined) continue;
      ctx.error('E0175', `kv ${what} separator ${problem[0]}`, literal.loc, problem[1]!, { notes: [note] });
      return;
    }
    const shared = [...field.value].find((c) => value.value.includes(c));
    if (shared === undefined) return;
    ctx.error(
      'E0176',
      `kv separators share the character ${JSON.stringify(shared)}`,
      value.loc,
      'shares a character with the field separator',
      {
        secondary: [{ span: field.loc, message: 'field separator' }],
        notes: ['help: choose separators with no character in common, e.g. kv(";", ":")'],
      },
    );
  },
});

/** Whether a transform yields a list or an object rather than one plain value: split, json, extract with named groups. */
export function yieldsStructure(t: Transform): boolean {
  return (
    t.kind === 'SplitTransform' ||
    t.kind === 'JsonTransform' ||
    t.kind === 'KvTransform' ||
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
    const pairs = last.kind === 'KvTransform';
    const name =
      last.kind === 'LookupTransform'
        ? `lookup(${last.table.value})`
        : last.kind === 'SplitTransform'
          ? 'split'
          : named
            ? 'extract with named groups'
            : pairs
              ? 'kv'
              : 'json';
    const yields = split
      ? 'a list of strings'
      : named
        ? 'an object of the named captures'
        : pairs
          ? 'an object of the key=value pairs'
          : 'a value of any JSON type';
    const next = value.transforms[index + 1];
    if (next) {
      ctx.error('E0179', `no transform can follow ${name}: it yields ${yields}`, next.loc, 'takes one value', {
        secondary: [{ span: last.loc, message: `yields ${yields}` }],
        notes: [
          named
            ? 'help: extract one unnamed group per rule to transform each capture'
            : pairs
              ? 'help: read the pairs under the vendor namespace in later rules, e.g. `event.action = ns.details.action | lowercase`'
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
            named || pairs
              ? `note: an object of ${named ? 'named captures' : 'key=value pairs'} does not fit a field that holds one value`
              : 'note: the parsed type is known only at run time; an object or a number would not fit this field',
            `help: write the ${named || pairs ? 'object' : 'parsed value'} under the vendor namespace, or to a flattened ECS field`,
          ],
        },
      );
    }
  },
});
