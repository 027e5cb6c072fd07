/**
 * Evaluates a rule's `when` (ConditionIR in `compiler/ir.ts`).
 *
 * @module
 */
import type { ConditionIR } from '../ir.ts';
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
    case 'not':
      return !evaluateCondition(condition.condition, record, settings);
    case 'setting':
      return isTrue(settings[condition.name]);
  }
}

/** A `bool` setting's truth: `true` or `"true"` (any case); anything else, unset included, is false. */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}
