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
 * The `now` test's Ruby (compiler/ir.ts `ConditionIR` `now`), appended to {@link PROBE_INIT} in a
 * probe that holds one. `@mapc_at.call(v, formats, op, offset)`: whether the String `v`, read by
 * the first of `formats` (`[[Regexp, 'fields'], ...]`, {@link NowFormat}) whose regex matches the
 * whole text (`pre_match` and `post_match` empty: no anchors, so no backslash in the config) and
 * gives a valid instant of years 0000-9999, compares by `op` with now (`Time.now`, the time the
 * filter runs, to the millisecond) moved by `offset` milliseconds. `Time.utc` rolls an impossible
 * date over (2024-02-30 is March 1) and refuses some out-of-range fields (ArgumentError, rescued):
 * the instant must give back its own fields, as the interpreter's reading requires
 * (compiler/interpret/date.ts). https://ruby-doc.org/3.1.4/Time.html#method-c-utc
 */
export const NOW_INIT =
  '@mapc_at = lambda { |v, fs, op, off| return false unless v.is_a?(String); ms = nil; ' +
  'fs.each { |re, k| m = re.match(v); next unless m && m.pre_match.empty? && m.post_match.empty?; ' +
  't = [1970, 1, 1, 0, 0, 0, 0]; z = 0; bad = false; ' +
  'k.each_char.with_index { |c, i| g = m[i + 1]; next if g.nil?; ' +
  "if c == 'S' then t[6] = (g + '00')[0, 3].to_i " +
  "elsif c == 'o' then (if g != 'Z' then oh = g[1, 2].to_i; om = g[4, 2].to_i; bad = true if oh > 23 || om > 59; " +
  "z = (oh * 60 + om) * 60000; z = -z if g.start_with?('+') end) " +
  "else t['yMdHms'.index(c)] = g.to_i end }; " +
  'next if bad; tm = (Time.utc(t[0], t[1], t[2], t[3], t[4], t[5]) rescue nil); ' +
  'next if tm.nil? || [tm.year, tm.month, tm.day, tm.hour, tm.min, tm.sec] != t[0, 6]; ' +
  'r = tm.to_i * 1000 + t[6] + z; ' +
  'if r >= -62167219200000 && r <= 253402300799999 then ms = r; break end }; ' +
  'return false if ms.nil?; n = (Time.now.to_r * 1000).floor + off; ' +
  "case op when 'lt' then ms < n when 'le' then ms <= n when 'gt' then ms > n else ms >= n end }";

/**
 * One date format of a `now` test: a regex (Ruby syntax, no backslash: a separator that is a
 * metacharacter is written as a one-character class) whose capturing groups are, in order, the
 * fields `fields` names one letter each: `y M d H m s` (digits), `S` (fraction digits, the first
 * three read as milliseconds) and `o` (`Z` or `±hh:mm`).
 */
export interface NowFormat {
  readonly regex: string;
  readonly fields: string;
}

/** A `now` test (IR `now`): the scratch field gets `'true'` when {@link NOW_INIT}'s lambda holds. */
export interface NowTest {
  readonly now: true;
  readonly op: 'lt' | 'le' | 'gt' | 'ge';
  readonly offsetMs: number;
  readonly formats: readonly NowFormat[];
}

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
      if (typeof kind === 'object' && 'now' in kind) {
        const formats = kind.formats.map((f) => `[Regexp.new('${f.regex}'), '${f.fields}']`).join(', ');
        return `event.set(${s}, @mapc_at.call((event.get(${p}) rescue nil), [${formats}], '${kind.op}', ${kind.offsetMs}) ? 'true' : 'false')`;
      }
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
export type Probe = readonly [FieldRef, FieldRef, ('value' | 'slot' | NumberTest | NowTest)?];

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
      [
        'init',
        str(
          own(
            pairs.some(([, , kind]) => typeof kind === 'object' && 'now' in kind)
              ? `${PROBE_INIT}; ${NOW_INIT}`
              : PROBE_INIT,
          ),
        ),
      ],
      ['code', str(optionText([probeCode(pairs), ...more].join('; '), at))],
    ],
    [why],
  );
}
