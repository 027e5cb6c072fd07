/**
 * Evaluates a rule's `when` (ConditionIR in `compiler/ir.ts`).
 *
 * @module
 */
import type { CompareOpIR, ConditionIR, DateFormat, TextOpIR } from '../ir.ts';
import { MAX_DATE_MS, MIN_DATE_MS, parseOne } from './date.ts';
import { getPath, hasValue } from './paths.ts';

/** What a condition reads besides the record: the settings, and "now" of the `now` tests. */
export interface ConditionContext {
  readonly settings: Readonly<Record<string, unknown>>;
  /** The time the record is processed, in milliseconds since the epoch (`ConditionIR` `now`). */
  readonly now: number;
}

/**
 * `record` is the record's current location (earlier rules' writes under the namespace are
 * visible). A `setting` condition holds when the setting is `true`, or the string `true` in any
 * letter case, as an environment variable or a command-line flag would give it. A `now` test
 * reads the field as the `date` transform does and compares it with `context.now` moved by the
 * test's offset.
 */
export function evaluateCondition(condition: ConditionIR, record: unknown, context: ConditionContext): boolean {
  const { settings } = context;
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
    case 'now': {
      const instant = readInstant(getPath(record, condition.path), condition.formats);
      return instant !== undefined && compare(condition.op, instant, context.now + condition.offsetMs);
    }
    case 'not':
      return !evaluateCondition(condition.condition, record, context);
    case 'and':
      return condition.all.every((c) => evaluateCondition(c, record, context));
    case 'or':
      return condition.any.some((c) => evaluateCondition(c, record, context));
    case 'setting':
      return isTrue(settings[condition.name]);
  }
}

/**
 * The instant (epoch milliseconds) a `now` test reads: a string that one of `formats` parses, the
 * first winning, within years 0000-9999, as the `date` transform reads it; else undefined.
 */
export function readInstant(value: unknown, formats: readonly DateFormat[]): number | undefined {
  if (typeof value !== 'string') return undefined;
  for (const format of formats) {
    const ms = parseOne(value, format);
    if (ms !== undefined && ms >= MIN_DATE_MS && ms <= MAX_DATE_MS) return ms;
  }
  return undefined;
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
