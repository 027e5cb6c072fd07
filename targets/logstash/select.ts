/**
 * A selection (compiler/ir.ts ValueIR `select`, `target[type == "User"].id`) as one `ruby`
 * filter before the rule: no native filter finds an array element by the value of one of its
 * fields (Logstash field references index a List by position only, org.logstash.FieldReference;
 * conditionals have no quantifier over elements). The filter writes the selected value to a
 * scratch field of the rule (removed after it), and the rule reads it there as it reads a field.
 *
 * Map text reaches the Ruby code only as single-quoted Ruby strings (`rubyString`,
 * `rubyFieldString`) inside an option string (`optionText`, which refuses what Logstash would
 * read differently), numbers as Ruby Float literals.
 *
 * @module
 */
import type { ValueIR } from '../../compiler/ir.ts';
import type { Span } from '../../dsl/diagnostics.ts';
import { plugin, str, type Statement } from './model.ts';
import { rubyFloat } from './probe.ts';
import { comment, optionText, own, rubyFieldString, rubyString, type CommentLine, type FieldRef } from './quote.ts';
import { SCRATCH } from './scratch.ts';

/** Where the selected value is put for the rule (inside the per-rule scratch, removed after it). */
export const SELECTED = [...SCRATCH, 's'];

/** `@mapc_pick`: the value at a path of Hash keys (nil through anything but a Hash), as the interpreter's getPath. */
export const SELECT_INIT = '@mapc_pick = lambda { |o, path| path.reduce(o) { |x, k| x.is_a?(Hash) ? x[k] : nil } }';

/**
 * The code: the first element of the array at `array` that is a Hash whose value at the key path
 * equals the literal (a String: a String `==` it; a number: a Numeric whose `to_f` is the
 * literal's double, so `1` equals `1.0`, as the interpreter's `===` on JSON numbers; a boolean:
 * `==` it, which only that boolean is), then its value at the rest path, set at `into` unless nil.
 */
export function selectCode(value: Extract<ValueIR, { kind: 'select' }>, array: FieldRef, into: FieldRef): string {
  const path = (p: readonly string[]): string => `[${p.map(rubyString).join(', ')}]`;
  const lit = value.equals;
  const test =
    typeof lit === 'string'
      ? `mapc_k.is_a?(String) && mapc_k == ${rubyString(lit)}`
      : typeof lit === 'number'
        ? `mapc_k.is_a?(Numeric) && mapc_k.to_f == ${rubyFloat(lit)}`
        : `mapc_k == ${lit ? 'true' : 'false'}`;
  return (
    `mapc_a = (event.get(${rubyFieldString(array)}) rescue nil); ` +
    `mapc_e = mapc_a.is_a?(Array) ? mapc_a.find { |x| x.is_a?(Hash) && (mapc_k = @mapc_pick.call(x, ${path(value.key)}); ${test}) } : nil; ` +
    `mapc_v = mapc_e.nil? ? nil : @mapc_pick.call(mapc_e, ${path(value.rest)}); ` +
    `event.set(${rubyFieldString(into)}, mapc_v) unless mapc_v.nil?`
  );
}

/** The ruby filter of a selection; `at` is where its map text is (the literal, else the rule). */
export function selectFilter(
  value: Extract<ValueIR, { kind: 'select' }>,
  array: FieldRef,
  into: FieldRef,
  at: Span,
): Statement {
  return pickFilter(selectCode(value, array, into), value.equalsLoc ?? at, 'selection', [
    comment`Ruby: the first array element whose field equals the value; no native filter selects an element by a field`,
    comment`value (field references index a list by position only).`,
  ]);
}

/** A `ruby` filter of {@link SELECT_INIT} and `code` (map text inside: refused at `span` when an option string cannot carry it). */
function pickFilter(code: string, span: Span, what: string, comments: readonly CommentLine[]): Statement {
  return plugin(
    'ruby',
    [
      ['init', str(own(SELECT_INIT))],
      ['code', str(optionText(code, { span, what }))],
    ],
    comments,
  );
}

/**
 * Element fields (compiler/ir.ts ValueIR `elements`): a new Array of one new Hash per Hash
 * element of the array at `array` (`select`: others left out), holding each listed name with the
 * element's value at its path unless that is nil (Ruby Hashes keep insertion order), set at
 * `into`; nothing when the value is not an Array.
 */
export function elementsCode(value: Extract<ValueIR, { kind: 'elements' }>, array: FieldRef, into: FieldRef): string {
  const fields = value.fields.map((f) => `[${rubyString(f.name)}, [${f.from.map(rubyString).join(', ')}]]`).join(', ');
  return (
    `mapc_a = (event.get(${rubyFieldString(array)}) rescue nil); ` +
    `if mapc_a.is_a?(Array) then event.set(${rubyFieldString(into)}, mapc_a.select { |x| x.is_a?(Hash) }.map { |x| ` +
    `mapc_o = {}; [${fields}].each { |n, p| mapc_f = @mapc_pick.call(x, p); mapc_o[n] = mapc_f unless mapc_f.nil? }; mapc_o }) end`
  );
}

/** The ruby filter of element fields; `at` is the rule (its names and paths are map text in the code). */
export function elementsFilter(
  value: Extract<ValueIR, { kind: 'elements' }>,
  array: FieldRef,
  into: FieldRef,
  at: Span,
): Statement {
  return pickFilter(elementsCode(value, array, into), value.nameLocs?.[0] ?? at, 'element field', [
    comment`Ruby: the array's object elements with the listed fields, renamed; no native filter maps over array`,
    comment`elements (mutate rename reads one field reference, a list by position only).`,
  ]);
}
