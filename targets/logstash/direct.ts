/**
 * Lean rules in their direct form: a rule of a stream with a record schema (./lean.ts) whose source
 * is declared `string` alone and that has one transform (`ip`, `date` over RFC 3339 or pattern
 * formats, `lookup`, `lowercase`), written the way an operator writes it: the native filter reads
 * the record field itself, its result lands in a field of its own, and one conditional writes the
 * result or reports the failure:
 *
 * ```
 * if <type token> == "string" { <filter into the result> }
 * if <result present> { <write> } else if <type token> != "null" { <fail> }
 * ```
 *
 * A present value of another type (tier 2), or a string the transform cannot convert, fails the
 * rule; a missing or null one (token `null`) does nothing (compiler/ir.ts steps 3-4). The result
 * fields are per rule (`[@metadata][mapc][x][r<i>]`), never set before the rule, so no rule sees
 * another's result; `[@metadata][mapc]` is removed after the rules.
 *
 * Plugins (Logstash 8.15 reference): translate
 * (https://www.elastic.co/guide/en/logstash/8.15/plugins-filters-translate.html: on a hit or with
 * `fallback` the target is set and the common options apply; `fallback` is sprintf-formatted), date
 * (https://www.elastic.co/guide/en/logstash/8.15/plugins-filters-date.html), mutate
 * (https://www.elastic.co/guide/en/logstash/8.15/plugins-filters-mutate.html#plugins-filters-mutate-proc_order:
 * replace, convert, gsub, lowercase, merge, copy in that order within one mutate, then the common
 * `add_field` and `remove_field`).
 *
 * @module
 */
import { MASK_SUFFIX, type FieldPath, type RuleIR, type TransformIR } from '../../compiler/ir.ts';
import {
  and,
  eq,
  field,
  ifThen,
  matches,
  ne,
  not,
  or,
  plugin,
  str,
  strHash,
  strs,
  type Condition,
  type Statement,
  type Value,
} from './model.ts';
import { TargetRefusal } from '../contract.ts';
import { own, sprintfTemplate, sprintfText, type FieldRef, type RegexText } from './quote.ts';
import { INTEGRAL_FLOAT, ipRegex, longRangeRegex, patternRegex, RFC3339_REGEX, whole } from './regexes.ts';
import { META, ref, word } from './scratch.ts';
import { dateFilterFormat, FRACTION_BEYOND_MS, lookupDictionary, lowercaseOps, maskTail } from './transforms.ts';

/** What the caller (./filters.ts `leanRule`) knows of the rule and how it writes. */
export interface DirectRule {
  readonly rule: RuleIR;
  readonly index: number;
  /** The record field the rule reads, and its type token (./lean.ts). */
  readonly source: FieldRef;
  readonly token: FieldPath;
  readonly target: FieldRef;
  /**
   * The write of a value in a field (set: copy, or merge for `+=`), with `before`: mutate
   * operations of the same mutate that run before it; `consume`: the rule deletes its source there.
   * Undefined when this rule's write needs the full form (a `+=` without merge).
   */
  readonly write: (value: FieldRef, before?: (readonly [string, Value])[]) => Statement[] | undefined;
  /** The write that moves the source itself to the target (rename when the rule consumes it). */
  readonly writeSource: () => Statement[] | undefined;
  /** The failure: error text and, for a redaction, the removal (./filters.ts failFilters). */
  readonly fail: () => Statement[];
  /** The destination is `@timestamp` (a date keeps its Timestamp type there). */
  readonly toTimestamp: boolean;
  readonly consume: boolean;
}

const result = (name: string, index: number): FieldRef => ref([...META, name, `r${index}`]);
const truthy = (f: FieldRef): Condition => ({ kind: 'truthy', field: field(f) });

/** The rule in its direct form, or undefined when it has none (the caller lowers it generically). */
export function directRule(d: DirectRule, transform: TransformIR, allowed: readonly string[]): Statement[] | undefined {
  const t = transform;
  const isOf = (type: string): Condition => eq(field(ref(d.token)), word(type));
  if (t.kind === 'convert' && t.to === 'long') return directLong(d, allowed, isOf);
  if (allowed.length !== 1 || allowed[0] !== 'string') return undefined;
  const isString = isOf('string');
  const present = ne(field(ref(d.token)), word('null'));
  /** `if ok { write } else if token != null { fail }`. */
  const writeOrFail = (ok: Condition, write: Statement[]): Statement => ({
    kind: 'if',
    branches: [
      { condition: ok, body: write },
      { condition: present, body: d.fail() },
    ],
  });
  switch (transform.kind) {
    case 'convert': {
      if (transform.to !== 'ip') return undefined;
      const write = d.writeSource();
      return write && [writeOrFail(and(isString, matches(field(d.source), ipRegex())), write)];
    }
    case 'lookup': {
      // A list table's output is split back into a list after the translate (./transforms.ts): the
      // general form.
      const dflt = transform.default;
      if (transform.list || typeof dflt === 'object') return undefined;
      const value = result('lookup', d.index);
      const write = d.write(value);
      if (!write) return undefined;
      // Without a default a miss writes nothing: the result's presence tells, when no table value is
      // falsy in a conditional ("" or "false"); else the translate's own add_field flags the hit.
      const falsy = transform.entries.some((e) => e.to === '' || e.to === 'false');
      const hit = result('hit', d.index);
      const translate = plugin('translate', [
        ['source', str(d.source)],
        ['target', str(value)],
        ['dictionary', lookupDictionary(transform, d.rule)],
        ...(dflt !== undefined
          ? [
              [
                'fallback',
                str(
                  sprintfText(dflt, {
                    span: transform.defaultLoc ?? d.rule.loc,
                    what: 'lookup table default',
                  }),
                ),
              ] as const,
            ]
          : falsy
            ? [['add_field', strHash([[hit, own('1')]])] as const]
            : []),
      ]);
      const body =
        transform.default !== undefined
          ? [translate, ...write]
          : [translate, ifThen(truthy(falsy ? hit : value), write)];
      return [
        {
          kind: 'if',
          branches: [
            { condition: isString, body },
            { condition: present, body: d.fail() },
          ],
        },
      ];
    }
    case 'lowercase': {
      if (d.rule.op !== 'set' || d.toTimestamp) return undefined;
      // The value written as text, then lowercased in place, in one mutate.
      const text = sourceText(d);
      const write = text
        ? d.write(d.target, [['replace', strHash([[d.target, text]])], ...lowercaseOps(d.target)])
        : undefined;
      return write && [writeOrFail(isString, write)];
    }
    case 'date': {
      if (!transform.formats.every((f) => f.kind === 'iso8601' || f.kind === 'pattern')) return undefined;
      const parsed = result('date', d.index);
      const text = result('text', d.index);
      const cut = sourceText(d);
      const tries: Statement[] = [];
      // `@timestamp` from one format: the date filter writes it itself (its default target), and
      // only on a match (date.rb calls filter_matched then) its common options flag the result and
      // delete a consumed source, so no copy follows.
      const itself = d.toTimestamp && transform.formats.length === 1 ? timestampWrite(d, parsed) : undefined;
      transform.formats.forEach((f, i) => {
        const shape: RegexText = f.kind === 'iso8601' ? RFC3339_REGEX : patternRegex(f.pattern);
        // The type test first: a conditional reads any value as text.
        const untried =
          i === 0
            ? and(isString, matches(field(d.source), shape))
            : and(not(truthy(parsed)), isString, matches(field(d.source), shape));
        const date = (from: FieldRef): Statement =>
          plugin('date', [
            ['match', strs(from, dateFilterFormat(f, { span: d.rule.loc, what: 'date pattern' }))],
            ...(itself ? [] : [['target', str(parsed)] as const]),
            ['timezone', str(own('UTC'))],
            ['tag_on_failure', strs()],
            ...(itself ? [['add_field', strHash([[parsed, own('1')]])] as const, ...itself] : []),
          ]);
        // RFC 3339 fractions: Joda reads at most 9 digits, the IR keeps milliseconds (./transforms.ts dateFilters).
        const body =
          f.kind === 'iso8601'
            ? [
                cut
                  ? plugin('mutate', [
                      ['replace', strHash([[text, cut]])],
                      ['gsub', strs(text, own(FRACTION_BEYOND_MS), own(''))],
                    ])
                  : plugin('mutate', [['copy', strHash([[d.source, text]])]]),
                ...(cut ? [] : [plugin('mutate', [['gsub', strs(text, own(FRACTION_BEYOND_MS), own(''))]])]),
                date(text),
              ]
            : [date(d.source)];
        tries.push(ifThen(untried, body));
      });
      if (itself) return [...tries, ifThen(and(not(truthy(parsed)), present), d.fail())];
      // A Timestamp converted to a string prints as yyyy-MM-ddTHH:mm:ss.SSSZ (elastic/logstash#14299).
      const write = d.write(parsed, d.toTimestamp ? [] : [['convert', strHash([[parsed, own('string')]])]]);
      return write && [...tries, writeOrFail(truthy(parsed), write)];
    }
    case 'redact': {
      if (transform.mode === 'hash') {
        // Without key the fingerprint is the plain hex SHA-256 of the text.
        const digest = result('hash', d.index);
        const write = d.write(digest);
        const fingerprint = plugin('fingerprint', [
          ['source', str(d.source)],
          ['target', str(digest)],
          ['method', str(own('SHA256'))],
        ]);
        return write && [writeOrFail(isString, [fingerprint, ...write])];
      }
      // More than 2 × keep characters keep the first `keep`, fewer become the mask alone (./transforms.ts).
      // In place when the rule masks its own source; else in a result of its own, set from the text.
      const inPlace = d.rule.op === 'set' && d.target === d.source;
      const masked = inPlace ? d.target : result('mask', d.index);
      const text = inPlace ? undefined : sourceText(d);
      if (!inPlace && !text) return undefined;
      const long = d.write(masked, [
        ...(text ? [['replace', strHash([[masked, text]])] as const] : []),
        ['gsub', strs(masked, own(maskTail(transform.keep)), own(MASK_SUFFIX))],
      ]);
      const short = d.write(masked, [['replace', strHash([[masked, own(MASK_SUFFIX)]])]]);
      if (!long || !short) return undefined;
      return [
        writeOrFail(isString, [
          ifThen(matches(field(d.source), whole(`[\\s\\S]{${2 * transform.keep + 1},}`)), long, short),
        ]),
      ];
    }
    default:
      return undefined;
  }
}

/**
 * The write of a date into `@timestamp` as common options of the date filter: the rule's write is
 * one mutate copying the parsed date to `@timestamp`, with at most the removal of its consumed
 * source; that removal (or nothing) is returned. Undefined for any other write (a flag, a guard).
 */
function timestampWrite(d: DirectRule, parsed: FieldRef): (readonly [string, Value])[] | undefined {
  const w = d.write(parsed, []);
  const m = w?.[0];
  if (w?.length !== 1 || m?.kind !== 'plugin' || m.name !== 'mutate') return undefined;
  const copy = m.attributes.find((a) => a.name === 'copy')?.value;
  const entry = copy?.kind === 'hash' && copy.entries.length === 1 ? copy.entries[0] : undefined;
  if (entry?.key !== parsed || entry.value.kind !== 'string' || entry.value.text !== d.target) return undefined;
  const rest = m.attributes.filter((a) => a.name !== 'copy');
  if (!rest.every((a) => a.name === 'remove_field')) return undefined;
  return rest.map((a) => [a.name, a.value] as const);
}

/**
 * `long` of a value declared `integer`, `number` or `string` (any of them), as ./transforms.ts
 * converts it: a string or integer in the signed 64-bit range, or an integral float (`5.0`), becomes
 * an integer; anything else fails. The value is copied to a result of its own and converted there
 * (mutate convert integer: `to_i` of the text, of a Float its integer part).
 */
function directLong(
  d: DirectRule,
  allowed: readonly string[],
  isOf: (t: string) => Condition,
): Statement[] | undefined {
  if (!allowed.every((t) => t === 'string' || t === 'integer' || t === 'float')) return undefined;
  const whole64 = matches(field(d.source), longRangeRegex());
  const ok = or(
    ...allowed.filter((t) => t !== 'float').map((t) => and(isOf(t), whole64)),
    and(isOf('float'), matches(field(d.source), INTEGRAL_FLOAT)),
  );
  const value = result('long', d.index);
  const write = d.write(value, [['convert', strHash([[value, own('integer')]])]]);
  return (
    write && [
      {
        kind: 'if',
        branches: [
          { condition: ok, body: [plugin('mutate', [['copy', strHash([[d.source, value]])]]), ...write] },
          { condition: ne(field(ref(d.token)), word('null')), body: d.fail() },
        ],
      },
    ]
  );
}

/**
 * `%{<source>}`: the string value itself, by sprintf (a String formats as itself), so that one mutate
 * can set it with `replace` and transform it after; undefined when the path cannot stand in a
 * formatted string (the caller then copies).
 */
function sourceText(d: DirectRule) {
  try {
    return sprintfTemplate([{ ref: d.source }], { span: d.rule.loc, what: 'field name' });
  } catch (error) {
    if (error instanceof TargetRefusal) return undefined;
    throw error;
  }
}
