/**
 * The type probe: one of the two uses of the `ruby` filter (the other: `./append.ts`). Logstash conditionals see a value only through
 * its string form (org.logstash.config.ir.compiler.EventCondition: truthiness is `toString()`
 * non-empty and not `"false"`, `=~` matches `toString()`), so no native construct tells a missing
 * field from `null`, `false` from `"false"`, or `5` from `"5"`, which the IR's rules distinguish.
 * The probe writes a type token per field into the scratch fields (with a record schema, the stream's
 * type check also lists the texts of the rules that fail by type alone, ./report.ts); everything
 * else but `+=` is native.
 *
 * @module
 */
import { plugin, str, type Statement } from './model.ts';
import { optionText, own, rubyFieldString, type At, type CommentLine, type FieldRef } from './quote.ts';

/**
 * The type probe's Ruby. `init` defines the classifier once per filter instance; `code` classifies
 * each probed field. The token set: null (missing or null), true, false, string, integer, float,
 * object, array (non-empty), empty (an empty array), other. `rescue nil` makes a path through an array read as missing, as the IR's
 * paths do (they never index into arrays).
 */
export const PROBE_INIT =
  "@mapc_type = lambda { |v| case v when nil then 'null' when true then 'true' when false then 'false' " +
  "when String then 'string' when Integer then 'integer' when Numeric then 'float' when Hash then 'object' " +
  "when Array then (v.empty? ? 'empty' : 'array') else 'other' end }";

/**
 * Per probed pair, `; `-joined:
 * - a value: `event.set('<scratch>', @mapc_type.call((event.get('<source>') rescue nil)))`;
 * - a slot (a target's parent, where a missing key differs from a null value):
 *   `event.set('<scratch>', event.include?('<source>') ? @mapc_type.call(event.get('<source>')) : 'missing')`.
 */
export function probeCode(pairs: readonly Probe[]): string {
  return pairs
    .map(([scratch, source, kind]) => {
      const s = rubyFieldString(scratch);
      const p = rubyFieldString(source);
      if (typeof kind === 'object') {
        return `event.set(${s}, ((mapc_n = (event.get(${p}) rescue nil)).is_a?(Numeric) && mapc_n.to_f ${kind.op} ${rubyFloat(kind.value)}) ? 'true' : 'false')`;
      }
      return kind === 'slot'
        ? `event.set(${s}, event.include?(${p}) ? @mapc_type.call(event.get(${p})) : 'missing')`
        : `event.set(${s}, @mapc_type.call((event.get(${p}) rescue nil)))`;
    })
    .join('; ');
}

/**
 * A numeric test (IR `compare`): the scratch field gets `'true'` when the value is a Ruby
 * `Numeric` (a JSON number: Integer or Float, never a String) whose `to_f` (the double the
 * interpreter compares) satisfies `op value`, else `'false'`. Logstash conditionals have `<` and
 * friends, but compare a field's Java value with the literal in ways that differ between a Long
 * and a Double field; Ruby's Float comparison is the interpreter's.
 */
export interface NumberTest {
  readonly op: '<' | '<=' | '>' | '>=';
  readonly value: number;
}

/** A probed pair: scratch field, source field, and what to write (type token by default). */
export type Probe = readonly [FieldRef, FieldRef, ('value' | 'slot' | NumberTest)?];

/** A finite number as a Ruby Float literal (`5.0`, `-1.5`, `1.0e-07`): digits, `.`, `-`, `e` only. */
export function rubyFloat(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`no Ruby literal for ${value}`);
  const text = String(value);
  if (/e/.test(text)) {
    const [mantissa = '0', exponent = '0'] = text.split('e');
    return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}e${exponent}`;
  }
  return text.includes('.') ? text : `${text}.0`;
}

/**
 * The probe filter. `at` is the rule whose paths are probed: the whole code is an option string
 * Logstash substitutes `${NAME}` in, which two field names could form together. `more`: Ruby
 * statements run after the probes (the stream's tier-2 reports, ./report.ts `reportCode`).
 */
export function probe(pairs: readonly Probe[], why: CommentLine, at: At, more: readonly string[] = []): Statement {
  return plugin(
    'ruby',
    [
      ['init', str(own(PROBE_INIT))],
      ['code', str(optionText([probeCode(pairs), ...more].join('; '), at))],
    ],
    [why],
  );
}
