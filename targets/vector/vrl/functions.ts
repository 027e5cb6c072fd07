/**
 * VRL for each of the map's value functions ({@link TransformIR}; "function" here, since a Vector
 * *transform* is a pipeline component such as the `remap`), matching the conversion rules of
 * `compiler/ir.ts` (and the reference interpreter `compiler/interpret/`) exactly. Every function reads an `any`-typed
 * variable holding a present, non-null value and ends in one of three ways: a value (passed to
 * the continuation), a failure (the rule's error lines) or, for `lookup` only, nothing.
 *
 * | IR construct | VRL idiom |
 * |---|---|
 * | type test | `is_string(v)`, `is_integer(v)`, `is_float(v)`, `is_boolean(v)` |
 * | typed read of an `any` | `string(v) ?? ""` (never `!`) |
 * | `long` from text | `match(s, r'^-?[0-9]+\z')` then `n, err = to_int(s)` (overflow fails) |
 * | `double` from text | the IR regex, then `to_float`; `inf` (`1e999`) fails |
 * | `ip` | no `%`, and `is_ipv4(s) \|\| is_ipv6(s)` (Rust std parsers: no leading zeros, no zone) |
 * | `date` input | `parse_regex` with the exact field widths, a canonical RFC 3339 text, `parse_timestamp` |
 * | `date` epoch | exact decimal digits as in the interpreter, `from_unix_timestamp(n, unit: "milliseconds")` |
 * | `date` output | `format_timestamp(t, "%Y-%m-%dT%H:%M:%S%.3fZ", timezone: "UTC")` (`%.3f` truncates) |
 * | `lowercase` | `downcase` after `İ`→`i`, `Σ`→`σ` (simple mapping; Rust's `to_lowercase` is full) |
 * | `uppercase` | `upcase` on runs without multi-character full mappings, then a table |
 * | `lookup` | an `if`/`else if` chain on `v == "key"` |
 * | `hash` | `sha2(s, variant: "SHA-256")` (lowercase hex) |
 * | `mask` | `strlen(s) > 2K` (characters), then `truncate(s, K) + "********"` (`truncate` counts characters); else `"********"` |
 * | `split` | `split(s, "SEP")` (a string pattern is literal), then `slice` before the trailing empty pieces |
 * | `json` | `parse_json(s)`: an error fails, `null` writes nothing |
 * | `extract` | `parse_regex(s, r'...(?P<v>...)...')` (`../quote.ts` `extractRegex`): an error (no match) fails, an empty or null capture fails |
 *
 * Regexes end with `\z` (end of text), never `$`, which a Vector config must not hold (`../quote.ts`).
 *
 * @module
 */
import {
  MASK_SUFFIX,
  type ConvertType,
  type DateFormat,
  type DatePatternIR,
  type TransformIR,
} from '../../../compiler/ir.ts';
import { block, compact, type Lines, type VrlCode } from './code.ts';
import type { Span } from '../../../dsl/diagnostics.ts';
import {
  extractRegex,
  kvShapeRegex,
  regexSource,
  regexText,
  vrlConst,
  vrlLiteral,
  vrlRegex,
  vrlString,
  type RegexSource,
} from '../quote.ts';
import { LOWER_FIRST_WITH_SIGMA, upperExceptions } from '../../../compiler/unicode-case.ts';

/** Static VRL type of a function's result; `any` for values read from the record. */
export type ValueKind = 'any' | 'string' | 'integer' | 'float' | 'boolean';

/** What to emit for each outcome of a function. */
export interface Outcomes {
  readonly value: (variable: string, kind: ValueKind) => Lines;
  readonly fail: Lines;
}

/** Milliseconds of 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the four-digit-year range. */
export const MIN_MS = '-62167219200000';
export const MAX_MS = '253402300799999';
/** chrono's format of every date mapc writes (`yyyy-MM-ddTHH:mm:ss.SSSZ`; `%.3f` truncates). */
export const OUTPUT_FORMAT = '%Y-%m-%dT%H:%M:%S%.3fZ';
const CANONICAL_FORMAT = '%Y-%m-%dT%H:%M:%S%.3f%:z';
/** The text `convert long` accepts (compiler/ir.ts, TransformIR). */
export const LONG_REGEX = '^-?[0-9]+\\z';
/** The text `convert double` accepts (compiler/ir.ts, TransformIR). */
export const DOUBLE_REGEX = '^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\\z';

/**
 * `lowercase` of a string-typed expression: Rust's full mapping corrected to the simple one
 * (`compiler/unicode-case.ts`). Only the characters to correct are replaced, by one
 * `replace_with` whose regex finds none in most texts (two plain `replace` calls copy the text
 * twice whatever it holds); `m` is a fresh closure parameter name.
 */
export function lowercaseExpr(s: string, m: string): string {
  const table = `{${LOWER_FIRST_WITH_SIGMA.map(([from, to]) => `${vrlConst(from)}: ${vrlConst(to)}`).join(', ')}}`;
  const chars = charClass(LOWER_FIRST_WITH_SIGMA.map(([from]) => from));
  return `downcase(replace_with(${s}, ${vrlRegex(regexSource(`[${chars}]`))}) -> |${m}| { string(get(${table}, [${m}.string]) ?? null) ?? ${m}.string })`;
}

/**
 * Emits one function of `input` (typed `kind`). Non-`any` inputs are first widened to `any`
 * (see `./code.ts`: VRL rejects error handling on values it can prove typed).
 */
export function functionCode(
  code: VrlCode,
  t: TransformIR,
  input: string,
  kind: ValueKind,
  outcomes: Outcomes,
  at: Span,
): Lines {
  if (kind !== 'any') {
    const wide = code.fresh('any');
    // `get` on a literal object is fallible for VRL, which types its result `any`.
    return [`${wide} = get({"v": ${input}}, ["v"]) ?? null`, ...functionCode(code, t, wide, 'any', outcomes, at)];
  }
  switch (t.kind) {
    case 'convert':
      return convertCode(code, t.to, input, outcomes);
    case 'date':
      return dateCode(code, t.formats, input, outcomes);
    case 'lowercase':
      return stringCode(code, input, outcomes, (s) => lowercaseExpr(s, code.fresh('m')));
    case 'uppercase':
      return uppercaseCode(code, input, outcomes);
    case 'lookup':
      return lookupCode(code, t, input, outcomes, at);
    case 'redact':
      return t.mode === 'hash'
        ? stringCode(code, input, outcomes, (s) => `sha2(${s}, variant: "SHA-256")`)
        : maskCode(code, t.keep, input, outcomes);
    case 'json': {
      const s = code.fresh('s');
      return block(
        `if is_string(${input})`,
        [`${s} = string(${input}) ?? ""`, ...jsonCode(code, s, outcomes)],
        outcomes.fail,
      );
    }
    case 'split': {
      const s = code.fresh('s');
      return block(
        `if is_string(${input})`,
        [`${s} = string(${input}) ?? ""`, ...splitCode(code, t, s, outcomes, at)],
        outcomes.fail,
      );
    }
    case 'extract': {
      const s = code.fresh('s');
      return block(
        `if is_string(${input})`,
        [`${s} = string(${input}) ?? ""`, ...extractCode(code, t, s, outcomes)],
        outcomes.fail,
      );
    }
    case 'kv': {
      const s = code.fresh('s');
      return block(
        `if is_string(${input})`,
        [`${s} = string(${input}) ?? ""`, ...kvCode(code, t, s, outcomes, at)],
        outcomes.fail,
      );
    }
  }
}

/**
 * `kv` of the string in variable `s`: the text the IR accepts (`kvShapeRegex`: no quote, no
 * whitespace, no empty piece, key or value) is parsed by `parse_key_value` with the map's
 * separators and `whitespace: "strict"` (no space around the value separator is eaten), which
 * then takes each key up to the first value separator and each value up to the next field
 * separator, and makes a repeated key the list of its values in order
 * (https://vector.dev/docs/reference/vrl/functions/#parse_key_value). Other text fails.
 */
export function kvCode(
  code: VrlCode,
  t: Extract<TransformIR, { kind: 'kv' }>,
  s: string,
  outcomes: Outcomes,
  at: Span,
): Lines {
  const parsed = code.fresh('kv');
  const err = code.fresh('err');
  const where = t.loc ?? at;
  const call =
    `parse_key_value(${s}, key_value_delimiter: ${vrlString(t.valueSeparator, where, 'the kv value separator')}, ` +
    `field_delimiter: ${vrlString(t.fieldSeparator, where, 'the kv field separator')}, whitespace: "strict")`;
  return block(
    `if match(${s}, ${vrlRegex(kvShapeRegex(t))})`,
    [`${parsed}, ${err} = ${call}`, ...block(`if ${err} != null`, outcomes.fail, outcomes.value(parsed, 'any'))],
    outcomes.fail,
  );
}

/**
 * `extract` of the string in variable `s`: `parse_regex` returns the named captures of the first
 * (leftmost) match and an error when nothing matches
 * (https://vector.dev/docs/reference/vrl/functions/#parse_regex); a capture that is not a
 * non-empty string (the group took no part, or matched the empty text) fails, as the IR.
 */
export function extractCode(
  code: VrlCode,
  t: Extract<TransformIR, { kind: 'extract' }>,
  s: string,
  outcomes: Outcomes,
): Lines {
  const parsed = code.fresh('m');
  const err = code.fresh('err');
  const captured = code.fresh('c');
  if (t.regex.names !== undefined) {
    // Named groups: the object of those that captured text (`compact` drops null and "" values,
    // https://vector.dev/docs/reference/vrl/functions/#compact); none fails.
    const object = code.fresh('o');
    return [
      `${parsed}, ${err} = parse_regex(${s}, ${vrlRegex(extractRegex(t.regex, 'v'))})`,
      `${captured} = {}`,
      `if ${err} == null { ${captured} = compact(${parsed}) }`,
      ...block(`if length(${captured}) == 0`, outcomes.fail, [
        `${object} = get({"v": ${captured}}, ["v"]) ?? null`,
        ...outcomes.value(object, 'any'),
      ]),
    ];
  }
  return [
    `${parsed}, ${err} = parse_regex(${s}, ${vrlRegex(extractRegex(t.regex, 'v'))})`,
    `${captured} = ""`,
    `if ${err} == null { ${captured} = string(get(${parsed}, ["v"]) ?? null) ?? "" }`,
    ...block(`if ${captured} == ""`, outcomes.fail, outcomes.value(captured, 'string')),
  ];
}

/**
 * `json` of the string in variable `s`: `parse_json` (serde_json: RFC 8259, whitespace around the
 * value, no trailing text or comments; https://vector.dev/docs/reference/vrl/functions/#parse_json)
 * fails on text that is not JSON; a parsed `null` writes nothing, as the IR.
 */
export function jsonCode(code: VrlCode, s: string, outcomes: Outcomes): Lines {
  const parsed = code.fresh('json');
  const err = code.fresh('err');
  return [
    `${parsed}, ${err} = parse_json(${s})`,
    ...block(`if ${err} != null`, outcomes.fail, compact(`if ${parsed} != null`, outcomes.value(parsed, 'any'))),
  ];
}

/**
 * `split` of the string in variable `s`: VRL's `split` with a string pattern splits on the literal
 * text and keeps every piece (Rust's `str::split`: `""` gives `[""]`,
 * https://vector.dev/docs/reference/vrl/functions/#split); the pieces up to the last non-empty
 * one are kept (`slice`, https://vector.dev/docs/reference/vrl/functions/#slice), as the IR drops
 * trailing empty pieces. The list is passed on typed `any` (see `./code.ts`).
 */
export function splitCode(
  code: VrlCode,
  t: Extract<TransformIR, { kind: 'split' }>,
  s: string,
  outcomes: Outcomes,
  at: Span,
): Lines {
  const parts = code.fresh('parts');
  const keep = code.fresh('keep');
  const index = code.fresh('i');
  const piece = code.fresh('p');
  const list = code.fresh('list');
  return [
    `${parts} = split(${s}, ${vrlString(t.separator, t.loc ?? at, 'the split separator')})`,
    `${keep} = 0`,
    `for_each(${parts}) -> |${index}, ${piece}| { if ${piece} != "" { ${keep} = ${index} + 1 } }`,
    `${list} = get({"v": slice(${parts}, 0, ${keep}) ?? []}, ["v"]) ?? null`,
    ...outcomes.value(list, 'any'),
  ];
}

/** A string-only function: `expr(s)` for strings, failure otherwise. */
function stringCode(code: VrlCode, input: string, outcomes: Outcomes, expr: (s: string) => string): Lines {
  const out = code.fresh('s');
  return block(
    `if is_string(${input})`,
    [`${out} = string(${input}) ?? ""`, `${out} = ${expr(out)}`, ...outcomes.value(out, 'string')],
    outcomes.fail,
  );
}

/**
 * `redact mask`: a string of more than `2 × keep` Unicode scalar values (`strlen` counts
 * characters, https://vector.dev/docs/reference/vrl/functions/#strlen) keeps its first `keep`
 * (`truncate` cuts after `keep` characters, https://vector.dev/docs/reference/vrl/functions/#truncate)
 * before the mask; a shorter one becomes the mask alone. No regex, so any width compiles (a
 * `.{K}` regex exceeds Rust regex's size limit near K = 50,000). A width whose double is beyond
 * any string length (2^52 characters) always gives the mask alone, and needs no big literal.
 */
function maskCode(code: VrlCode, keep: number, v: string, outcomes: Outcomes): Lines {
  return flagged(code, '""', 'string', outcomes, (out, ok) => {
    // A width whose double is beyond any string's length masks every string whole.
    if (!(Number.isSafeInteger(2 * keep) && keep < 2 ** 51)) {
      return block(`if is_string(${v})`, [`${out} = ${vrlConst(MASK_SUFFIX)}`], [`${ok} = false`]);
    }
    const s = code.fresh('s');
    return block(
      `if is_string(${v})`,
      [
        `${s} = string(${v}) ?? ""`,
        `${out} = ${vrlConst(MASK_SUFFIX)}`,
        ...block(`if strlen(${s}) > ${2 * keep}`, [`${out} = truncate(${s}, ${keep}) + ${out}`]),
      ],
      [`${ok} = false`],
    );
  });
}

/** Runs `branches` (which set `out` and clear `ok` on failure), then dispatches on `ok`. */
function flagged(
  code: VrlCode,
  init: string,
  kind: ValueKind,
  outcomes: Outcomes,
  branches: (out: string, ok: string) => Lines,
): Lines {
  const out = code.fresh('v');
  const ok = code.fresh('ok');
  return [
    `${out} = ${init}`,
    `${ok} = true`,
    ...branches(out, ok),
    ...block(`if ${ok}`, outcomes.value(out, kind), outcomes.fail),
  ];
}

function convertCode(code: VrlCode, to: ConvertType, v: string, outcomes: Outcomes): Lines {
  switch (to) {
    case 'keyword':
      // Integral floats (`5.0`, `1e21`) are integers for JSON. Below 2^63 `to_int` gives their
      // exact digits; beyond, Rust prints the shortest round-trip digits padded with zeros.
      return flagged(code, '""', 'string', outcomes, (out, ok) => {
        const f = code.fresh('f');
        return [
          `if is_string(${v}) {`,
          `  ${out} = string(${v}) ?? ""`,
          `} else if is_boolean(${v}) {`,
          `  ${out} = to_string(bool(${v}) ?? false)`,
          `} else if is_integer(${v}) {`,
          `  ${out} = to_string(int(${v}) ?? 0)`,
          `} else if is_float(${v}) && floor(float(${v}) ?? 0.5) == (float(${v}) ?? 0.5) {`,
          `  ${f} = float(${v}) ?? 0.0`,
          `  if ${f} >= -9223372036854775808.0 && ${f} < 9223372036854775808.0 { ${out} = to_string(to_int(${f})) } else { ${out} = to_string(${f}) }`,
          `} else {`,
          `  ${ok} = false`,
          `}`,
        ];
      });
    case 'long':
      return flagged(code, '0', 'integer', outcomes, (out, ok) => {
        const f = code.fresh('f');
        const s = code.fresh('s');
        const err = code.fresh('err');
        return [
          `if is_integer(${v}) {`,
          `  ${out} = int(${v}) ?? 0`,
          `} else if is_float(${v}) {`,
          `  ${f} = float(${v}) ?? 0.5`,
          `  if floor(${f}) == ${f} && ${f} >= -9223372036854775808.0 && ${f} < 9223372036854775808.0 {`,
          `    ${out} = to_int(${f})`,
          `  } else {`,
          `    ${ok} = false`,
          `  }`,
          `} else if is_string(${v}) && match(string(${v}) ?? "", ${vrlRegex(regexSource(LONG_REGEX))}) {`,
          `  ${s} = string(${v}) ?? ""`,
          `  ${out}, ${err} = to_int(${s})`,
          `  if ${err} != null { ${ok} = false }`,
          `} else {`,
          `  ${ok} = false`,
          `}`,
        ];
      });
    case 'double':
      return flagged(code, '0.0', 'float', outcomes, (out, ok) => {
        const s = code.fresh('s');
        const err = code.fresh('err');
        return [
          `if is_float(${v}) {`,
          `  ${out} = float(${v}) ?? 0.0`,
          `} else if is_integer(${v}) {`,
          `  ${out} = to_float(int(${v}) ?? 0)`,
          `} else if is_string(${v}) && match(string(${v}) ?? "", ${vrlRegex(regexSource(DOUBLE_REGEX))}) {`,
          `  ${s} = string(${v}) ?? ""`,
          `  ${out}, ${err} = to_float(${s})`,
          // `1e999` parses as infinity, which JSON cannot carry.
          `  if ${err} != null || contains(to_string(${out}), "inf") { ${ok} = false }`,
          `  if ${out} == 0.0 { ${out} = 0.0 }`,
          `} else {`,
          `  ${ok} = false`,
          `}`,
        ];
      });
    case 'boolean':
      return flagged(code, 'false', 'boolean', outcomes, (out, ok) => {
        const s = code.fresh('s');
        return [
          `if is_boolean(${v}) {`,
          `  ${out} = bool(${v}) ?? false`,
          `} else if is_string(${v}) {`,
          `  ${s} = downcase(string(${v}) ?? "")`,
          `  if ${s} == "true" { ${out} = true } else if ${s} != "false" { ${ok} = false }`,
          `} else {`,
          `  ${ok} = false`,
          `}`,
        ];
      });
    case 'ip':
      return flagged(code, `string(${v}) ?? ""`, 'string', outcomes, (out, ok) => [
        `if !is_string(${v}) || contains(${out}, "%") || !(is_ipv4(${out}) || is_ipv6(${out})) { ${ok} = false }`,
      ]);
  }
}

function lookupCode(
  code: VrlCode,
  t: Extract<TransformIR, { kind: 'lookup' }>,
  v: string,
  outcomes: Outcomes,
  at: Span,
): Lines {
  const out = code.fresh('v');
  const hit = t.default === undefined ? code.fresh('hit') : undefined;
  // A list table's output is an array literal, written as a value of any type (each element appended).
  const literal = (to: string | readonly string[], what: string): string =>
    typeof to === 'string' ? vrlString(to, at, what) : vrlLiteral([...to], at);
  const kind: ValueKind = t.list ? 'any' : 'string';
  const lines = [`${out} = ${t.list ? '[]' : '""'}`, ...(hit ? [`${hit} = true`] : [])];
  const seen = new Set<string>();
  let first = true;
  for (const entry of t.entries) {
    if (seen.has(entry.from)) continue; // the first entry wins, as in the interpreter
    seen.add(entry.from);
    lines.push(
      `${first ? 'if' : '} else if'} ${v} == ${vrlString(entry.from, at, 'the lookup key')} {`,
      `  ${out} = ${literal(entry.to, 'the lookup value')}`,
    );
    first = false;
  }
  const fallback = hit ? `${hit} = false` : `${out} = ${literal(t.default ?? '', 'the lookup default')}`;
  if (first) lines.push(fallback);
  else lines.push('} else {', `  ${fallback}`, '}');
  // No match and no default: the rule writes nothing and reports nothing.
  // A list, typed `any` (as `split`'s), so that the write's `array(...) ?? []` stays fallible for VRL.
  const anyOut = t.list ? code.fresh('list') : out;
  const value = t.list
    ? [`${anyOut} = get({"v": ${out}}, ["v"]) ?? null`, ...outcomes.value(anyOut, kind)]
    : outcomes.value(out, kind);
  return hit ? [...lines, ...block(`if ${hit}`, value)] : [...lines, ...value];
}

function uppercaseCode(code: VrlCode, v: string, outcomes: Outcomes): Lines {
  const m = code.fresh('m');
  return stringCode(code, v, outcomes, (s) => uppercaseExpr(s, m));
}

/**
 * `uppercase` of a string-typed expression: `upcase` on runs without multi-character full
 * mappings, then a table of simple mappings; `m` is a fresh closure parameter name.
 */
export function uppercaseExpr(s: string, m: string): string {
  const { multi, simple } = upperExceptions();
  const table = `{${[...simple].map(([from, to]) => `${vrlConst(from)}: ${vrlConst(to)}`).join(', ')}}`;
  // Characters whose full uppercase has several characters keep their simple mapping.
  return `replace_with(replace_with(${s}, ${vrlRegex(regexSource(`[^${charClass(multi)}]+`))}) -> |${m}| { upcase(${m}.string) }, ${vrlRegex(regexSource(`[${charClass([...simple.keys()])}]`))}) -> |${m}| { string(get(${table}, [${m}.string]) ?? ${m}.string) ?? ${m}.string }`;
}

/** A regex character class body for single characters, with ranges: `\x{DF}\x{149}...`. */
function charClass(chars: readonly string[]): string {
  const cps = chars.map((c) => c.codePointAt(0) ?? 0).sort((a, b) => a - b);
  const hex = (cp: number): string => `\\x{${cp.toString(16).toUpperCase()}}`;
  let out = '';
  for (let i = 0; i < cps.length;) {
    let j = i;
    while (j + 1 < cps.length && cps[j + 1] === (cps[j] ?? 0) + 1) j++;
    out += j > i ? `${hex(cps[i] ?? 0)}-${hex(cps[j] ?? 0)}` : hex(cps[i] ?? 0);
    i = j + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// date
// ---------------------------------------------------------------------------------------------

/** The first format that parses wins; the result is the ISO text, within years 0000-9999. */
function dateCode(code: VrlCode, formats: readonly DateFormat[], v: string, outcomes: Outcomes): Lines {
  const out = code.fresh('date');
  const done = code.fresh('ok');
  const lines: string[] = [`${out} = ""`, `${done} = false`];
  for (const format of formats) {
    lines.push(
      `# date format ${describeFormat(format)}`,
      ...block(`if !${done}`, formatAttempt(code, format, v, out, done)),
    );
  }
  return [...lines, ...block(`if ${done}`, outcomes.value(out, 'string'), outcomes.fail)];
}

function describeFormat(format: DateFormat): string {
  return format.kind === 'pattern' ? JSON.stringify(format.pattern.text) : format.kind;
}

/** Lines that, on success, set `out` to the formatted instant and `done` to true. */
function formatAttempt(code: VrlCode, format: DateFormat, v: string, out: string, done: string): Lines {
  switch (format.kind) {
    case 'iso8601':
      return calendarAttempt(code, v, out, done, ISO_REGEX, true);
    case 'pattern':
      return calendarAttempt(code, v, out, done, patternRegex(format.pattern), false);
    case 'unix_ms':
      return epochAttempt(code, v, out, done, 0);
    case 'unix':
      return epochAttempt(code, v, out, done, 3);
  }
}

/** RFC 3339 with the interpreter's limits: hours 00-23, minutes and seconds 00-59 (no leap second), offsets below 24:00. */
export const ISO_REGEX =
  '^(?P<yyyy>[0-9]{4})-(?P<MM>[0-9]{2})-(?P<dd>[0-9]{2})T(?P<HH>[01][0-9]|2[0-3]):(?P<mm>[0-5][0-9]):(?P<ss>[0-5][0-9])(?:\\.(?P<frac>[0-9]+))?(?:Z|(?P<sign>[+-])(?P<oh>[01][0-9]|2[0-3]):(?P<om>[0-5][0-9]))\\z';

/** The IR's pattern fields (`DatePatternIR`), each a named group of exactly its width in digits. */
const PATTERN_FIELDS = new Set(['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss', 'SSS']);

/**
 * The anchored regex of a pattern's tokens: each field a group named after it (`yyyy`, `MM`, ...)
 * of exactly its width in ASCII digits, each literal as is.
 * @throws Error (an internal error) for a field outside the IR's or given twice (the checks reject both, E0111).
 */
export function patternRegex(pattern: DatePatternIR): RegexSource {
  let source: string = '^';
  const seen = new Set<string>();
  for (const token of pattern.tokens) {
    if (token.kind === 'literal') {
      source += regexText(token.text);
      continue;
    }
    const name = token.letter.repeat(token.width);
    if (!PATTERN_FIELDS.has(name) || seen.has(name))
      throw new Error(`unsupported or repeated date pattern field ${name} in ${JSON.stringify(pattern.text)}`);
    seen.add(name);
    source += `(?P<${name}>[0-9]{${token.width}})`;
  }
  return regexSource(`${source}\\z`);
}

/**
 * Parses a string with a regex of named fields (`yyyy MM dd HH mm ss SSS` or `frac`, `sign`,
 * `oh`, `om`), rebuilds a canonical `yyyy-MM-ddTHH:mm:ss.SSS±hh:mm` text (absent fields default
 * to 1970-01-01T00:00:00.000, offset +00:00) and lets chrono reject impossible dates (Feb 30).
 */
function calendarAttempt(code: VrlCode, v: string, out: string, done: string, regex: string, iso: boolean): Lines {
  const m = code.fresh('m');
  const err = code.fresh('err');
  const text = code.fresh('text');
  const part = (name: string, fallback: string): string => `(string(${m}.${name}) ?? "${fallback}")`;
  const fraction = iso ? `truncate((string(${m}.frac) ?? "") + "000", 3)` : part('SSS', '000');
  const offset = iso
    ? `(string(${m}.sign) ?? "+") + (string(${m}.oh) ?? "00") + ":" + (string(${m}.om) ?? "00")`
    : '"+00:00"';
  return block(`if is_string(${v})`, [
    `${m}, ${err} = parse_regex(string(${v}) ?? "", ${vrlRegex(regexSource(regex))})`,
    ...block(`if ${err} == null`, [
      // parse_regex gives null for a group that did not take part; `?? default` fills it.
      `${text} = ${part('yyyy', '1970')} + "-" + ${part('MM', '01')} + "-" + ${part('dd', '01')} + "T" + ${part('HH', '00')} + ":" + ${part('mm', '00')} + ":" + ${part('ss', '00')} + "." + ${fraction} + ${offset}`,
      ...parsedTimestamp(code, `parse_timestamp(${text}, ${vrlConst(CANONICAL_FORMAT)})`, out, done),
    ]),
  ]);
}

/**
 * Epoch seconds (`shift` 3) or milliseconds (`shift` 0): a number (through its Rust decimal text,
 * which never uses an exponent) or a decimal string, cut to milliseconds with exact digit
 * arithmetic; negative values with dropped non-zero digits go one millisecond down (floor).
 */
function epochAttempt(code: VrlCode, v: string, out: string, done: string, shift: 0 | 3): Lines {
  const text = code.fresh('text');
  const m = code.fresh('m');
  const err = code.fresh('err');
  const n = code.fresh('n');
  const nerr = code.fresh('err');
  const regex =
    shift === 3
      ? '^(?P<minus>-?)(?P<whole>[0-9]+)(?:\\.(?P<ms>[0-9]{1,3})(?P<rest>[0-9]*))?\\z'
      : '^(?P<minus>-?)(?P<whole>[0-9]+)(?:\\.(?P<rest>[0-9]+))?\\z';
  const digits =
    shift === 3
      ? `(string(${m}.whole) ?? "") + truncate((string(${m}.ms) ?? "") + "000", 3)`
      : `string(${m}.whole) ?? ""`;
  return [
    `${text} = ""`,
    `if is_string(${v}) { ${text} = string(${v}) ?? "" }`,
    `if is_integer(${v}) { ${text} = to_string(int(${v}) ?? 0) }`,
    `if is_float(${v}) { ${text} = to_string(float(${v}) ?? 0.0) }`,
    `${m}, ${err} = parse_regex(${text}, ${vrlRegex(regexSource(regex))})`,
    ...block(`if ${err} == null`, [
      `${n}, ${nerr} = to_int(${digits})`,
      ...block(`if ${nerr} == null`, [
        ...block(`if (string(${m}.minus) ?? "") == "-"`, [
          `${n} = 0 - ${n}`,
          `if match(string(${m}.rest) ?? "", ${vrlRegex(regexSource('[1-9]'))}) { ${n} = ${n} - 1 }`,
        ]),
        ...block(
          `if ${n} >= ${MIN_MS} && ${n} <= ${MAX_MS}`,
          parsedTimestamp(code, `from_unix_timestamp(${n}, unit: "milliseconds")`, out, done),
        ),
      ]),
    ]),
  ];
}

/** Assigns `expr` (a fallible timestamp), checks the year range and formats it. */
function parsedTimestamp(code: VrlCode, expr: string, out: string, done: string): Lines {
  const ts = code.fresh('ts');
  const err = code.fresh('err');
  const text = code.fresh('text');
  const ferr = code.fresh('err');
  const ms = `to_unix_timestamp(${ts}, unit: "milliseconds")`;
  return [
    `${ts}, ${err} = ${expr}`,
    ...block(`if ${err} == null && ${ms} >= ${MIN_MS} && ${ms} <= ${MAX_MS}`, [
      `${text}, ${ferr} = format_timestamp(${ts}, ${vrlConst(OUTPUT_FORMAT)}, timezone: "UTC")`,
      `if ${ferr} == null { ${out} = ${text}; ${done} = true }`,
    ]),
  ];
}
