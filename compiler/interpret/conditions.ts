/**
 * Evaluates a rule's `when` (ConditionIR in `compiler/ir.ts`).
 *
 * @module
 */
import type { CompareOpIR, ConditionIR, TextOpIR } from '../ir.ts';
import { getPath, hasValue } from './paths.ts';

/**
 * `record` is the record's current location (earlier rules' writes under the namespace are
 * visible). A `setting` condition holds when the setting is `true`, or the string `true` in any
 * letter case, as an environment variable or a command-line flag would give it.
 */
export function evaluateCondition(
  condition: ConditionIR,
  record: unknown,
  settings: Readonly<Record<string, unknown>>,
): boolean {
  switch (condition.kind) {
    case 'exists':
      return hasValue(record, condition.path);
    case 'equals':
      // Strict JSON equality: the string "true" does not equal the boolean true; 1 equals 1.0.
      return getPath(record, condition.path) === condition.value;
    case 'in': {
      const value = getPath(record, condition.path);
      return condition.values.some((v) => v === value);
    }
    case 'compare': {
      const value = getPath(record, condition.path);
      return typeof value === 'number' && compare(condition.op, value, condition.value);
    }
    case 'text': {
      const value = getPath(record, condition.path);
      return typeof value === 'string' && textTest(condition.op, value, condition.value);
    }
    case 'not':
      return !evaluateCondition(condition.condition, record, settings);
    case 'and':
      return condition.all.every((c) => evaluateCondition(c, record, settings));
    case 'or':
      return condition.any.some((c) => evaluateCondition(c, record, settings));
    case 'setting':
      return isTrue(settings[condition.name]);
  }
}

function compare(op: CompareOpIR, left: number, right: number): boolean {
  switch (op) {
    case 'lt':
      return left < right;
    case 'le':
      return left <= right;
    case 'gt':
      return left > right;
    case 'ge':
      return left >= right;
  }
}

/**
 * By code points. JavaScript's `startsWith`/`endsWith`/`includes` compare UTF-16 code units,
 * which is the same here: the map's literal is well-formed (no lone surrogate, E0123), so a
 * match can neither start nor end inside a surrogate pair of the record's string.
 */
function textTest(op: TextOpIR, value: string, literal: string): boolean {
  switch (op) {
    case 'prefix':
      return value.startsWith(literal);
    case 'suffix':
      return value.endsWith(literal);
    case 'contains':
      return value.includes(literal);
  }
}

/** A `bool` setting's truth: `true` or `"true"` (any case); anything else, unset included, is false. */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}
