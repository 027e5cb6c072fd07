/**
 * The `+=` write (RuleIR `append`, compiler/ir.ts): the target becomes an array (a present scalar
 * its first element, missing or null none) and each value (each element of an array value) is
 * added unless an equal one is there already, by strict JSON equality.
 *
 * This is the second and last use of the `ruby` filter, because no native filter compares values
 * as JSON: mutate `merge` refuses a hash into an array ("Not possible to merge an array and a
 * hash", mutate.rb #merge) and adds an array's elements without removing duplicates among them,
 * and the `in` operator compares texts (EventCondition FieldArrayContainsFieldValue), so `0`
 * equals `"0"`.
 *
 * @module
 */
import { plugin, str, type Statement } from './model.ts';
import { comment, optionText, own, rubyFieldString, type At, type FieldRef } from './quote.ts';

/**
 * `@mapc_same`: JSON equality on the Ruby values Event#get returns. Numbers compare by value (JSON
 * `1` and `1.0` are one number; Logstash keeps `1.0` a Float), hashes by their key set (a JSON
 * object is unordered), arrays element by element, anything else by class and `==` (so `0` is not
 * `"0"` and `true` is not `"true"`).
 */
export const APPEND_INIT =
  '@mapc_same = lambda { |a, b| if a.is_a?(Numeric) && b.is_a?(Numeric) then a == b ' +
  'elsif a.is_a?(Hash) && b.is_a?(Hash) then a.size == b.size && a.all? { |k, x| b.key?(k) && @mapc_same.call(x, b[k]) } ' +
  'elsif a.is_a?(Array) && b.is_a?(Array) then a.size == b.size && a.each_index.all? { |i| @mapc_same.call(a[i], b[i]) } ' +
  'else a.class == b.class && a == b end }';

/** The per-rule code: read the target and the value, add the new values, write the array back. */
export function appendCode(target: FieldRef, value: FieldRef): string {
  const t = rubyFieldString(target);
  const v = rubyFieldString(value);
  return (
    `list = event.get(${t}); list = list.nil? ? [] : (list.is_a?(Array) ? list : [list]); ` +
    `value = event.get(${v}); (value.is_a?(Array) ? value : [value]).each { |x| list << x unless list.any? { |y| @mapc_same.call(y, x) } }; ` +
    `event.set(${t}, list)`
  );
}

/** The append filter; `at` is the rule (its destination is map text inside the Ruby code). */
export function appendFilter(target: FieldRef, value: FieldRef, at: At): Statement {
  return plugin(
    'ruby',
    [
      ['init', str(own(APPEND_INIT))],
      ['code', str(optionText(appendCode(target, value), at))],
    ],
    [
      comment`Ruby: append with JSON equality; no native filter compares values as JSON (mutate merge refuses a hash`,
      comment`into an array and keeps duplicates of an array value; \`in\` compares texts, so 0 would equal "0").`,
    ],
  );
}
