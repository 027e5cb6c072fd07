/**
 * Lean VRL for one rule's value when the record schema gives its source path a declared type
 * ({@link FieldTypeIR}; module doc of `compiler/ir.ts`, "Record schemas: two tiers").
 *
 * Tier 1 (a conforming value) must give exactly the interpreter's value, tier 2 (a present value
 * its declaration does not allow) must fail the rule. The code therefore pays for a test only
 * where it decides something:
 *
 * - **String entry** (the declared type is `string`, and any `format` is one the rule's first
 *   function checks itself): one test, `if is_string(x) { s = string(x) ?? "" ... }`, whose
 *   else branch is the rule's only type test (`else if x != null { fail }`: missing and `null`
 *   do nothing; no error value is made for them, as `s, err = string(x)` would);
 *   then every function runs on a VRL string, infallibly where VRL allows (`downcase`, `sha2`,
 *   `truncate`), with one error branch where the function is fallible (`to_int`,
 *   `parse_timestamp`). A copy without functions tests `is_string(x)` and copies the path.
 * - **Other single types** (`boolean`, `object`, `array` without element type) copied as is:
 *   `is_boolean(x)` and so on.
 * - **Everything else** (several types, numbers, epoch formats, `array of T`, the split path):
 *   the value is read once into a variable; a conformance test runs first unless the
 *   functions' own failure already implies it (the function only succeeds on declared types
 *   and formats), then the fully guarded functions of `./functions.ts`, which fail on every
 *   value they cannot convert.
 *
 * | function on a string | VRL |
 * |---|---|
 * | `date(iso8601)` | `match(s, <RFC 3339 as the interpreter reads it>)`, `parse_timestamp(s, "%+")`, `format_timestamp(t, ..., timezone: "UTC")`, 24 characters (years 0000-9999) |
 * | `date("pattern")` | `match(s, <exact field widths>)`, `parse_timestamp(s + <absent fields>, <chrono format>)` in UTC |
 * | `long` / `double` | `to_int(s)` / `to_float(s)` and the interpreter's regex (`to_int` also takes `+1`) |
 * | `boolean` | `downcase(s)` is `true` or `false` |
 * | `ip` | no `%`, `is_ipv4(s) \|\| is_ipv6(s)` |
 * | `lowercase`, `uppercase`, `hash`, `mask`, `lookup`, `keyword` | as `./functions.ts`, without the type tests |
 *
 * chrono's `%+` alone is too lenient for the interpreter's RFC 3339 (it takes a space or `t`
 * for `T`, `+0100`, a leap second `:60`, a missing `Z`; checked on VRL 0.25 and 0.38), hence
 * the regex before it; its numeric fields take 1-2 digits where a mapc pattern wants exactly
 * its width, hence the pattern's regex. Every `parse_timestamp` reads an explicit offset, so no
 * result depends on Vector's local timezone.
 *
 * @module
 */
import {
  MASK_SUFFIX,
  type DateFormat,
  type DatePatternIR,
  type FieldFormat,
  type FieldTypeIR,
  type TransformIR,
  type ValueType,
} from '../../../compiler/ir.ts';
import type { Span } from '../../../dsl/diagnostics.ts';
import { regexSource, vrlConst, vrlLiteral, vrlRegex, vrlString, type RegexSource } from '../quote.ts';
import { block, compact, ifElseIf, type Lines, type VrlCode } from './code.ts';
import {
  DOUBLE_REGEX,
  ISO_REGEX,
  LONG_REGEX,
  MAX_MS,
  MIN_MS,
  lowercaseExpr,
  OUTPUT_FORMAT,
  splitCode,
  extractCode,
  kvCode,
  jsonCode,
  patternRegex,
  functionCode,
  uppercaseExpr,
  type Outcomes,
  type ValueKind,
} from './functions.ts';

/** A value read from the record: the VRL expression that reads it (a path, cheap to repeat). */
export interface Source {
  readonly read: string;
  readonly type: FieldTypeIR;
}

/**
 * Lines for a rule's value read from `source`: `outcomes.value` on success, `outcomes.fail` for a
 * present value that fails (type, format or conversion), nothing for a missing or `null` one.
 */
export function leanValueCode(
  code: VrlCode,
  source: Source,
  transforms: readonly TransformIR[],
  outcomes: Outcomes,
  at: Span,
): Lines {
  const { read, type } = source;
  const present = `${read} != null`;
  const entry = simpleEntry(type, transforms);
  if (entry === 'string' && transforms.length > 0) {
    const s = code.fresh('s');
    const flat = flatFunction(code, transforms[0], s, at);
    if (flat) {
      const entry = flatRead(s, read, flat);
      return [
        ...entry.lines,
        ...ifElseIf(
          `if ${entry.cond}`,
          typedChain(code, transforms, 1, flat.value, outcomes, at),
          `if ${present}`,
          outcomes.fail,
        ),
      ];
    }
    // `is_string` then an infallible read: one variable, and no error value made for a missing one.
    return ifElseIf(
      `if is_string(${read})`,
      [`${s} = string(${read}) ?? ""`, ...typedChain(code, transforms, 0, s, outcomes, at)],
      `if ${present}`,
      outcomes.fail,
    );
  }
  if (entry !== undefined) {
    // A copy: the declared type is the only test.
    const kind = entry === 'string' ? 'string' : 'any';
    return ifElseIf(`if is_${entry}(${read})`, outcomes.value(read, kind), `if ${present}`, outcomes.fail);
  }
  const long = leanLong(code, read, type, transforms, outcomes, at);
  if (long) return long;
  if (isIntegerKeywordEntry(type, transforms)) {
    const entry = integerKeywordRead(code, read);
    return [
      ...entry.lines,
      ...ifElseIf(
        `if ${entry.cond}`,
        [...entry.success, ...typedChain(code, transforms, 1, entry.text, outcomes, at)],
        `if ${present}`,
        outcomes.fail,
      ),
    ];
  }
  const v = code.fresh('in');
  const check = conformance(code, v, type, transforms, at);
  const chain = guardedChain(code, transforms, 0, v, outcomes, at);
  return [
    `${v} = ${read}`,
    ...compact(
      `if ${v} != null`,
      check === undefined ? chain : [...check.lines, ...compact(`if ${check.test}`, chain, outcomes.fail)],
    ),
  ];
}

/**
 * `long` as the first function of a value declared as integers, numbers and/or strings
 * (formats aside), one error branch. Undefined when the rule is not of that shape.
 *
 * - `long` alone of a value that may be an integer: an integer VRL holds as such is its own
 *   value, written as read (a consumed source moves with `del`); any other present value is
 *   converted by one `if` expression (an integral float within ±2^63, a decimal string: `to_int`;
 *   anything else: `int`'s error), and a missing or `null` one costs the `is_integer` and `null`
 *   tests alone.
 * - otherwise: `int(x)` of the read, then one line per other declared kind, as above, each only
 *   where the line before failed.
 */
function leanLong(
  code: VrlCode,
  read: string,
  type: FieldTypeIR,
  transforms: readonly TransformIR[],
  outcomes: Outcomes,
  at: Span,
): Lines | undefined {
  const [first] = transforms;
  if (first?.kind !== 'convert' || first.to !== 'long' || type.formats.length > 0 || type.emptySplit) return undefined;
  if (!type.types.every((t) => t === 'integer' || t === 'number' || t === 'string')) return undefined;
  // The read itself, not a copy in a variable: it is repeated only where a test needs it.
  const v = read;
  const n = code.fresh('n');
  const err = code.fresh('err');
  // The value's tests, one per declared kind other than integer, under which `to_int(v)` is exact.
  // `f` is the value as a float, or 0.5 (not integral) for any other value: the integral test is
  // false for a non-float without an `is_float` test.
  const numeric = type.types.some((t) => t === 'integer' || t === 'number');
  const floatTest = (f: string): string =>
    `floor(${f}) == ${f} && ${f} >= -9223372036854775808.0 && ${f} < 9223372036854775808.0`;
  const stringTest = type.types.includes('string')
    ? `match(string(${v}) ?? "", ${vrlRegex(regexSource(LONG_REGEX))})`
    : undefined;
  const rest = transforms.slice(1);
  if (rest.length === 0 && type.types.includes('integer')) {
    // Only a value that is no integer gets here: the float read once, into a variable.
    const f = numeric ? code.fresh('f') : undefined;
    const tests = [...(f ? [floatTest(f)] : []), ...(stringTest ? [stringTest] : [])];
    const converted =
      tests.length === 0
        ? outcomes.fail
        : [
            ...(f ? [`${f} = float(${v}) ?? 0.5`] : []),
            `${n}, ${err} = if ${tests.map((t) => (tests.length > 1 && t.includes(' && ') ? `(${t})` : t)).join(' || ')} { to_int(${v}) } else { int(${v}) }`,
            ...compact(`if ${err} == null`, outcomes.value(n, 'integer'), outcomes.fail),
          ];
    return ifElseIf(`if is_integer(${v})`, outcomes.value(v, 'integer'), `if ${v} != null`, converted);
  }
  const tests = [...(numeric ? [floatTest(`(float(${v}) ?? 0.5)`)] : []), ...(stringTest ? [stringTest] : [])];
  return [
    `${n}, ${err} = int(${v})`,
    ...tests.map((t) => `if ${err} != null && ${t} { ${n}, ${err} = to_int(${v}) }`),
    ...ifElseIf(
      `if ${err} == null`,
      guardedChain(code, rest, 0, n, outcomes, at, 'integer'),
      `if ${v} != null`,
      outcomes.fail,
    ),
  ];
}

/**
 * Whether a rule's value is `keyword` (then any functions) of a value declared as integers only
 * (no formats): read by {@link integerKeywordRead}, as rules doing so may share the read.
 */
export function isIntegerKeywordEntry(type: FieldTypeIR, transforms: readonly TransformIR[]): boolean {
  const [first] = transforms;
  return (
    first?.kind === 'convert' &&
    first.to === 'keyword' &&
    type.types.length === 1 &&
    type.types[0] === 'integer' &&
    type.formats.length === 0 &&
    !type.emptySplit &&
    type.items === undefined
  );
}

/**
 * `keyword` of a value declared as integers, as its decimal text (compiler/ir.ts TransformIR:
 * an integer number becomes its decimal digits): `int(x)` for the integers VRL holds as such; an
 * integral float (`1000.0`, which JSON and the interpreter read as the integer 1000) as the
 * guarded `keyword` of `./functions.ts` writes it, `to_int` within ±2^63, else `to_string` of
 * the float (`1e21` gives its digits, as the interpreter's). `lines` run first and leave the
 * text in the variable `text`; `cond` holds when the value was an integer; `success` is empty. A
 * present value that is no integer fails the rule.
 */
export function integerKeywordRead(
  code: VrlCode,
  read: string,
): { lines: Lines; cond: string; success: Lines; text: string } {
  const n = code.fresh('n');
  const err = code.fresh('err');
  const text = code.fresh('s');
  const f = `(float(${read}) ?? 0.5)`;
  return {
    lines: [
      `${n}, ${err} = int(${read})`,
      `${text} = to_string(${n})`,
      `if ${err} != null && is_float(${read}) && floor(${f}) == ${f} { ${err} = null; if ${f} >= -9223372036854775808.0 && ${f} < 9223372036854775808.0 { ${text} = to_string(to_int(${f})) } else { ${text} = to_string(${f}) } }`,
    ],
    cond: `${err} == null`,
    success: [],
    text,
  };
}

/**
 * Whether a rule's value is read by one `string(x)` call: the declared type is `string` and
 * every declared format is checked by the first function (rules doing so may share the read).
 */
export function isStringEntry(type: FieldTypeIR, transforms: readonly TransformIR[]): boolean {
  return simpleEntry(type, transforms) === 'string';
}

/** The one-call entry for a single declared type, or undefined when the general path is needed. */
function simpleEntry(
  type: FieldTypeIR,
  transforms: readonly TransformIR[],
): 'string' | 'boolean' | 'object' | 'array' | undefined {
  if (type.types.length !== 1 || type.emptySplit) return undefined;
  const [only] = type.types;
  if (only === 'string') {
    if (transforms.length === 0) return type.formats.length === 0 ? 'string' : undefined;
    return type.formats.length === 0 || formatsImplied(type.formats, transforms[0]) ? 'string' : undefined;
  }
  if (transforms.length > 0 || type.formats.length > 0) return undefined;
  if (only === 'boolean' || only === 'object') return only;
  if (only === 'array' && type.items === undefined) return 'array';
  return undefined;
}

function sameFormat(a: FieldFormat, b: FieldFormat): boolean {
  return a.kind === b.kind && (a.kind !== 'pattern' || (b.kind === 'pattern' && a.pattern.text === b.pattern.text));
}

/**
 * Whether a value the function converts always matches one of the declared formats: `date`
 * with only declared formats, `ip` with `format ip` declared.
 */
function formatsImplied(formats: readonly FieldFormat[], first: TransformIR | undefined): boolean {
  if (first?.kind === 'date') return first.formats.every((f) => formats.some((d) => sameFormat(d, f)));
  if (first?.kind === 'convert' && first.to === 'ip') return formats.some((f) => f.kind === 'ip');
  return false;
}

/**
 * The JSON kinds on which a transform can succeed (compiler/ir.ts, TransformIR), `any` for
 * `lookup`, which yields its default for any value.
 */
function succeedsOn(t: TransformIR): readonly ValueType[] {
  switch (t.kind) {
    case 'convert':
      return t.to === 'keyword'
        ? ['string', 'integer', 'boolean']
        : t.to === 'long'
          ? ['string', 'integer']
          : t.to === 'double'
            ? ['string', 'number']
            : t.to === 'boolean'
              ? ['string', 'boolean']
              : ['string'];
    case 'date':
      return t.formats.some((f) => f.kind === 'unix' || f.kind === 'unix_ms') ? ['string', 'number'] : ['string'];
    case 'lookup':
      return ['any'];
    default:
      return ['string'];
  }
}

/**
 * The conformance test of a present value in variable `v`, or undefined when the first
 * function can only succeed on values the declaration allows (so its failure is the test).
 */
function conformance(
  code: VrlCode,
  v: string,
  type: FieldTypeIR,
  transforms: readonly TransformIR[],
  at: Span,
): { lines: Lines; test: string } | undefined {
  if (type.types.includes('any') && type.formats.length === 0) return undefined;
  const first = transforms[0];
  if (first) {
    const kinds = succeedsOn(first);
    const covered = kinds.every((k) => k !== 'any' && typeAllows(type.types, k));
    const formatsOk = type.formats.length === 0 || formatsImplied(type.formats, first);
    if (covered && formatsOk && type.items === undefined) return undefined;
  }
  const lines: string[] = [];
  let stringTest = 'is_string(' + v + ')';
  let numberTest: string | undefined;
  if (type.formats.length > 0) {
    const ok = code.fresh('fmt');
    lines.push(`${ok} = false`);
    for (const f of type.formats) lines.push(...formatCheck(code, f, v, ok, at));
    stringTest = `(is_string(${v}) && ${ok})`;
    if (type.formats.some((f) => f.kind === 'unix' || f.kind === 'unix_ms')) numberTest = ok;
  }
  const alternatives = type.types.map((t) => typeTest(code, t, v, type, lines, stringTest, numberTest));
  if (type.emptySplit) alternatives.push(`${v} == []`);
  return { lines, test: alternatives.length === 1 ? (alternatives[0] ?? 'false') : `(${alternatives.join(' || ')})` };
}

/** Whether a value of kind `k` is allowed by `types` (`integer` is within `number`). */
function typeAllows(types: readonly ValueType[], k: ValueType): boolean {
  return types.includes(k) || (k === 'integer' && types.includes('number'));
}

/** `integer`: a JSON number without a fractional part, which VRL may hold as a float (`1.0`). */
function integerTest(v: string): string {
  return `(is_integer(${v}) || (is_float(${v}) && floor(float(${v}) ?? 0.5) == (float(${v}) ?? 0.5)))`;
}

function typeTest(
  code: VrlCode,
  t: ValueType,
  v: string,
  type: Pick<FieldTypeIR, 'items'>,
  lines: string[],
  stringTest: string,
  numberTest: string | undefined,
): string {
  const number = (test: string): string => (numberTest === undefined ? test : `(${test} && ${numberTest})`);
  switch (t) {
    case 'any':
      return 'true';
    case 'string':
      return stringTest;
    case 'integer':
      return number(integerTest(v));
    case 'number':
      return number(`(is_integer(${v}) || is_float(${v}))`);
    case 'boolean':
      return `is_boolean(${v})`;
    case 'object':
      return `is_object(${v})`;
    case 'array': {
      if (type.items === undefined) return `is_array(${v})`;
      const ok = code.fresh('items');
      lines.push(...elementsCheck(code, v, type.items, ok));
      return ok;
    }
  }
}

/** `ok` = `v` is an array whose every element has one of the element types (recursively). */
function elementsCheck(code: VrlCode, v: string, items: NonNullable<FieldTypeIR['items']>, ok: string): Lines {
  const e = code.fresh('e');
  const inner: string[] = [];
  const tests = items.types.map((t) => {
    if (t === 'array' && items.items) {
      const nested = code.fresh('items');
      inner.push(...elementsCheck(code, e, items.items, nested));
      return nested;
    }
    return typeTest(code, t, e, {}, inner, `is_string(${e})`, undefined);
  });
  return [
    `${ok} = is_array(${v})`,
    ...block(`for_each(array(${v}) ?? []) -> |_index, ${e}|`, [
      ...inner,
      `if !(${tests.join(' || ')}) { ${ok} = false }`,
    ]),
  ];
}

/** Sets `ok` when `v` matches `format` (strings; epoch formats also numbers), as the interpreter reads it. */
function formatCheck(code: VrlCode, format: FieldFormat, v: string, ok: string, at: Span): Lines {
  if (format.kind === 'ip') {
    const s = code.fresh('s');
    return [
      `${s} = string(${v}) ?? ""`,
      `if is_string(${v}) && !contains(${s}, "%") && (is_ipv4(${s}) || is_ipv6(${s})) { ${ok} = true }`,
    ];
  }
  // A date format matches when the `date` function with that format alone converts the value.
  const t: TransformIR = { kind: 'date', formats: [format] };
  return functionCode(code, t, v, 'any', { value: () => [`${ok} = true`], fail: [] }, at);
}

/** The fully guarded functions of `./functions.ts`, from an `any` variable. */
function guardedChain(
  code: VrlCode,
  transforms: readonly TransformIR[],
  index: number,
  v: string,
  outcomes: Outcomes,
  at: Span,
  kind: ValueKind = 'any',
): Lines {
  const t = transforms[index];
  if (!t) return outcomes.value(v, kind);
  return functionCode(
    code,
    t,
    v,
    kind,
    { value: (next, k) => guardedChain(code, transforms, index + 1, next, outcomes, at, k), fail: outcomes.fail },
    at,
  );
}

/** Transforms from index `index` on, the value being the VRL string in variable `s`. */
export function typedChain(
  code: VrlCode,
  transforms: readonly TransformIR[],
  index: number,
  s: string,
  outcomes: Outcomes,
  at: Span,
): Lines {
  const t = transforms[index];
  if (!t) return outcomes.value(s, 'string');
  // Epoch formats also read numbers: the guarded function handles them.
  if (t.kind === 'date' && !t.formats.every((f) => f.kind === 'iso8601' || f.kind === 'pattern'))
    return guardedChain(code, transforms, index, s, outcomes, at, 'string');
  const next: Outcomes = {
    value: (v, kind) =>
      kind === 'string'
        ? typedChain(code, transforms, index + 1, v, outcomes, at)
        : guardedChain(code, transforms, index + 1, v, outcomes, at, kind),
    fail: outcomes.fail,
  };
  return typedFunction(code, t, s, next, at);
}

/** One function of the string in variable `s`. */
function typedFunction(code: VrlCode, t: TransformIR, s: string, outcomes: Outcomes, at: Span): Lines {
  const out = (hint: string): string => code.fresh(hint);
  switch (t.kind) {
    case 'convert':
      switch (t.to) {
        case 'keyword':
          return outcomes.value(s, 'string');
        case 'ip':
          return compact(
            `if !contains(${s}, "%") && (is_ipv4(${s}) || is_ipv6(${s}))`,
            outcomes.value(s, 'string'),
            outcomes.fail,
          );
        case 'long': {
          const n = out('n');
          const err = out('err');
          // `to_int` also reads `+1`, which the interpreter does not: the regex decides.
          return [
            `${n}, ${err} = to_int(${s})`,
            ...compact(
              `if ${err} == null && match(${s}, ${vrlRegex(regexSource(LONG_REGEX))})`,
              outcomes.value(n, 'integer'),
              outcomes.fail,
            ),
          ];
        }
        case 'double': {
          const f = out('f');
          const err = out('err');
          return [
            `${f}, ${err} = to_float(${s})`,
            // `1e999` parses as infinity, which JSON cannot carry; `-0` is written as `0`.
            ...compact(
              `if ${err} == null && match(${s}, ${vrlRegex(regexSource(DOUBLE_REGEX))}) && !contains(to_string(${f}), "inf")`,
              [`if ${f} == 0.0 { ${f} = 0.0 }`, ...outcomes.value(f, 'float')],
              outcomes.fail,
            ),
          ];
        }
        case 'boolean': {
          const lower = out('l');
          const b = out('b');
          return [
            `${lower} = downcase(${s})`,
            `${b} = ${lower} == "true"`,
            ...compact(`if ${b} || ${lower} == "false"`, outcomes.value(b, 'boolean'), outcomes.fail),
          ];
        }
      }
      break;
    case 'date':
      return typedDate(code, t.formats, s, outcomes, at);
    case 'lowercase': {
      const v = out('s');
      const m = out('m');
      return bound(v, lowercaseExpr(s, m), outcomes.value(v, 'string'));
    }
    case 'uppercase': {
      const v = out('s');
      const m = out('m');
      return bound(v, uppercaseExpr(s, m), outcomes.value(v, 'string'));
    }
    case 'redact': {
      const v = out('s');
      if (t.mode === 'hash') return bound(v, `sha2(${s}, variant: "SHA-256")`, outcomes.value(v, 'string'));
      // As `./functions.ts` maskCode: a width whose double is beyond any string masks it whole.
      if (!(Number.isSafeInteger(2 * t.keep) && t.keep < 2 ** 51))
        return [`${v} = ${vrlConst(MASK_SUFFIX)}`, ...outcomes.value(v, 'string')];
      // One assignment, of an `if` expression (VRL's `if` is an expression with a value).
      return [
        `${v} = if strlen(${s}) > ${2 * t.keep} { truncate(${s}, ${t.keep}) + ${vrlConst(MASK_SUFFIX)} } else { ${vrlConst(MASK_SUFFIX)} }`,
        ...outcomes.value(v, 'string'),
      ];
    }
    case 'lookup':
      return typedLookup(code, t, s, outcomes, at);
    case 'split':
      return splitCode(code, t, s, outcomes, at);
    case 'json':
      return jsonCode(code, s, outcomes);
    case 'extract':
      return extractCode(code, t, s, outcomes);
    case 'kv':
      return kvCode(code, t, s, outcomes, at);
  }
  throw new Error(`internal: no lean VRL for transform ${JSON.stringify(t)}`);
}

/** `lookup` as a table read: the first entry for a key wins; no match and no default writes nothing. */
function typedLookup(
  code: VrlCode,
  t: Extract<TransformIR, { kind: 'lookup' }>,
  s: string,
  outcomes: Outcomes,
  at: Span,
): Lines {
  const v = code.fresh('v');
  const table = firstEntries(t);
  // Object.fromEntries makes every key, even `__proto__`, an own property of the literal.
  const literal = vrlLiteral(Object.fromEntries(table), at);
  if (t.list) {
    // A list table: the array itself (`get` of a missing key is null), written as a value of any
    // type, so that `+=` appends each element.
    const found = `get(${literal}, [${s}]) ?? null`;
    if (t.default !== undefined)
      return [
        `${v} = ${found}`,
        `if ${v} == null { ${v} = ${vrlLiteral(t.default, at)} }`,
        ...outcomes.value(v, 'any'),
      ];
    return [`${v} = ${found}`, ...compact(`if ${v} != null`, outcomes.value(v, 'any'))];
  }
  // A small table as an `if` expression over the key: VRL copies an object literal each time it
  // evaluates one, which cost a `get` on a six-entry table about four times the comparisons
  // (callgrind instruction counts on the vrl CLI 0.38, Enpass's tables, session 10).
  const small = smallTable(t, s);
  if (small) {
    const branches = [...small.table].map(
      ([key, value]) => `if ${s} == ${vrlString(key, at)} { ${vrlString(value, at)} }`,
    );
    const chain = [...branches, `{ ${vrlString(small.fallback, at, 'the lookup default')} }`].join(' else ');
    // Assigned, not inlined by `bound`: VRL's grammar takes an `if` as a statement's value, not
    // inside an array literal or a call (syntax error 203).
    return [`${v} = ${chain}`, ...lookupOutcome(t, v, outcomes)];
  }
  // `get` of a key the table lacks gives null, which `string` refuses.
  const found = `string(get(${literal}, [${s}]) ?? null)`;
  if (typeof t.default === 'string')
    return bound(v, `${found} ?? ${vrlString(t.default, at, 'the lookup default')}`, outcomes.value(v, 'string'));
  // No value of the table is `""`: then `""` can stand for no match, without an error variable.
  if (![...table.values()].includes(''))
    return [`${v} = ${found} ?? ""`, ...compact(`if ${v} != ""`, outcomes.value(v, 'string'))];
  const err = code.fresh('err');
  return [`${v}, ${err} = ${found}`, ...compact(`if ${err} == null`, outcomes.value(v, 'string'))];
}

/** A lookup table's entries, the first entry for a key winning (a Map keeps every key, even `__proto__`). */
function firstEntries(t: Extract<TransformIR, { kind: 'lookup' }>): Map<string, string | readonly string[]> {
  const table = new Map<string, string | readonly string[]>();
  for (const entry of t.entries) if (!table.has(entry.from)) table.set(entry.from, entry.to);
  return table;
}

/**
 * A text table of at most {@link SMALL_TABLE} keys read by the variable `s`, written as `if`
 * tests over the key: its entries and the text standing for no match (the default, or `""` when
 * no value is `""`). Undefined for a list table, a larger one, or one with no such text.
 */
function smallTable(
  t: Extract<TransformIR, { kind: 'lookup' }>,
  s: string,
): { table: ReadonlyMap<string, string>; fallback: string } | undefined {
  if (t.list || !/^[a-z][a-z0-9_]*$/.test(s)) return undefined;
  const table = firstEntries(t) as Map<string, string>;
  const values = [...table.values()];
  const fallback = typeof t.default === 'string' ? t.default : values.includes('') ? undefined : '';
  return table.size <= SMALL_TABLE && fallback !== undefined ? { table, fallback } : undefined;
}

/** The write of a small table's result in `v`: always with a default, else unless `""` (no match). */
function lookupOutcome(t: Extract<TransformIR, { kind: 'lookup' }>, v: string, outcomes: Outcomes): Lines {
  if (typeof t.default === 'string') return outcomes.value(v, 'string');
  return compact(`if ${v} != ""`, outcomes.value(v, 'string'));
}

/** A rule's `lookup` (its only function left) and what its value does. */
export interface TableLookup {
  readonly t: Extract<TransformIR, { kind: 'lookup' }>;
  readonly outcomes: Outcomes;
}

/**
 * Several lookups of the string in variable `s`, each a small table ({@link smallTable}), as one
 * chain of `if` tests over the union of their keys, each branch assigning every table's value
 * for that key, instead of one chain per table (an engineer tests a key once for all the
 * fields it decides): a record then compares its key against each key at most once. Each
 * lookup's variable starts as its no-match text; its write follows, in the lookups' order.
 * Takes the longest run of leading lookups that are small tables whose keys together are at
 * most {@link SMALL_TABLE}; `used` is how many. Undefined when that run is shorter than two.
 */
export function lookupsChain(
  code: VrlCode,
  lookups: readonly TableLookup[],
  s: string,
  at: Span,
): { lines: Lines; used: number } | undefined {
  const small: { table: ReadonlyMap<string, string>; fallback: string }[] = [];
  const union = new Set<string>();
  for (const lookup of lookups) {
    const table = smallTable(lookup.t, s);
    if (!table || new Set([...union, ...table.table.keys()]).size > SMALL_TABLE) break;
    small.push(table);
    for (const key of table.table.keys()) union.add(key);
  }
  if (small.length < 2) return undefined;
  const keys = [...union];
  const vars = small.map(() => code.fresh('v'));
  const branches = keys.map((key) => {
    const writes = small.flatMap((t, i) => {
      const value = t.table.get(key);
      return value === undefined ? [] : [`${vars[i] ?? ''} = ${vrlString(value, at)}`];
    });
    return `if ${s} == ${vrlString(key, at)} { ${writes.join('; ')} }`;
  });
  const lines = [
    ...small.map((t, i) => `${vars[i] ?? ''} = ${vrlString(t.fallback, at, 'the lookup default')}`),
    branches.join(' else '),
    ...lookups.slice(0, small.length).flatMap((l, i) => lookupOutcome(l.t, vars[i] ?? '', l.outcomes)),
  ];
  return { lines, used: small.length };
}

/** Most keys of a lookup table, or of the tables one chain tests, written as `if` tests over the key. */
const SMALL_TABLE = 8;

/**
 * `lines` using the value of `expr` through the variable `v`: with `v` replaced by `expr` when
 * they read it once (an engineer writes `.event.action = downcase(s)`, and VRL then sets no
 * variable), else after `v = expr`. `expr` reads only variables nothing in `lines` assigns.
 */
function bound(v: string, expr: string, lines: Lines): Lines {
  const word = new RegExp(`\\b${v}\\b`, 'g');
  const uses = lines.reduce((n, line) => n + (line.match(word)?.length ?? 0), 0);
  if (uses !== 1) return [`${v} = ${expr}`, ...lines];
  return lines.map((line) => line.replace(word, () => expr));
}

/** chrono's specifier for each mapc pattern field (`%3f`: exactly three fraction digits, no dot). */
const CHRONO_FIELDS: Readonly<Record<string, { spec: string; absent: string }>> = {
  yyyy: { spec: '%Y', absent: '1970' },
  MM: { spec: '%m', absent: '01' },
  dd: { spec: '%d', absent: '01' },
  HH: { spec: '%H', absent: '00' },
  mm: { spec: '%M', absent: '00' },
  ss: { spec: '%S', absent: '00' },
  SSS: { spec: '%3f', absent: '000' },
};

/**
 * A mapc date pattern as a chrono format over `text + suffix`: the pattern's own fields, then a
 * `|` and every absent field at its default (1970-01-01T00:00:00.000) and `+00:00` (patterns
 * are read in UTC; chrono needs a whole date, time and offset to give a timestamp).
 */
export function chronoPattern(pattern: DatePatternIR): { format: string; suffix: string } {
  let format = '';
  const present = new Set<string>();
  for (const token of pattern.tokens) {
    if (token.kind === 'literal') {
      format += token.text.replace(/%/g, '%%');
      continue;
    }
    const name = token.letter.repeat(token.width);
    const field = CHRONO_FIELDS[name];
    if (!field) throw new Error(`internal: date pattern field ${name} outside the IR`);
    present.add(name);
    format += field.spec;
  }
  const absent = Object.entries(CHRONO_FIELDS).filter(([name]) => !present.has(name));
  return {
    format: `${format}|${absent.map(([, f]) => f.spec).join('|')}|%:z`,
    suffix: `|${absent.map(([, f]) => f.absent).join('|')}|+00:00`,
  };
}

/**
 * A function of the string in `s` whose whole check is one condition after straight-line
 * statements (`ip`; `date` with iso8601 or pattern formats), so that a rule can fold it into
 * the test of its `string()` read ({@link flatRead}). The statements also run on the `""` a
 * failed read leaves, where they fail cheaply.
 */
export interface FlatFunction {
  readonly lines: Lines;
  readonly cond: string;
  /** The variable holding the function's value when `cond` holds. */
  readonly value: string;
  /** `cond` is false on `""`, so it also tells a failed read. */
  readonly emptyFails: boolean;
}

export function flatFunction(code: VrlCode, t: TransformIR | undefined, s: string, at: Span): FlatFunction | undefined {
  // `""` is no IP address.
  if (t?.kind === 'convert' && t.to === 'ip')
    return { lines: [], cond: `!contains(${s}, "%") && (is_ipv4(${s}) || is_ipv6(${s}))`, value: s, emptyFails: true };
  if (t?.kind !== 'date' || !t.formats.every((f) => f.kind === 'iso8601' || f.kind === 'pattern')) return undefined;
  // Every format's regex is anchored and wants a field's digits, so `""` matches none.
  const emptyFails = t.formats.every(
    (f) => f.kind === 'iso8601' || f.pattern.tokens.some((token) => token.kind !== 'literal'),
  );
  const [only] = t.formats;
  if (t.formats.length === 1 && only) {
    const a = dateAttempt(code, only, s, at);
    return { lines: a.lines, cond: `${a.ok} && ${a.match}`, value: a.text, emptyFails };
  }
  // Several formats: each tried while none matched; the instant formatted once.
  const ts = code.fresh('ts');
  const err = code.fresh('err');
  const ok = code.fresh('ok');
  const text = code.fresh('date');
  const lines = t.formats.map((format, i) => {
    const { parse, regex } = dateParse(format, s, at);
    // A pattern is read in UTC with a four-digit year: always in range; an offset may leave it.
    // The last format's range is the length test of the formatted text (years 0000-9999 give 24
    // characters); an earlier one's is tested here, so that the next formats are tried.
    const range =
      format.kind === 'iso8601' && i < t.formats.length - 1
        ? ` && to_unix_timestamp(${ts}, unit: "milliseconds") >= ${MIN_MS} && to_unix_timestamp(${ts}, unit: "milliseconds") <= ${MAX_MS}`
        : '';
    const parsed = `${ts}, ${err} = ${parse}`;
    const matched = `${ok} = ${err} == null && match(${s}, ${vrlRegex(regex)})${range}`;
    return i === 0 ? [parsed, matched] : [`if !${ok} { ${parsed}; ${matched} }`];
  });
  // A failed format gives `""`, which the length test refuses.
  return {
    lines: [...lines.flat(), `${text} = format_timestamp(${ts}, ${vrlConst(OUTPUT_FORMAT)}, timezone: "UTC") ?? ""`],
    cond: `${ok} && strlen(${text}) == 24`,
    value: text,
    emptyFails,
  };
}

/**
 * The `string()` read of a flat function's input into `s`, then the function's statements, and
 * the test of the rule's success: `s = string(x) ?? ""` and the function's condition alone when
 * that condition is false on `""`; else `is_string(x) && <cond>`.
 */
export function flatRead(s: string, read: string, flat: FlatFunction): { lines: Lines; cond: string } {
  const lines = [`${s} = string(${read}) ?? ""`, ...flat.lines];
  return { lines, cond: flat.emptyFails ? flat.cond : `is_string(${read}) && ${flat.cond}` };
}

/** The parse call and the exact-text regex of one date format on the string in `s`. */
export function dateParse(format: DateFormat, s: string, at: Span): { parse: string; regex: RegexSource } {
  if (format.kind === 'iso8601') return { parse: `parse_timestamp(${s}, "%+")`, regex: regexSource(ISO_REGEX) };
  if (format.kind === 'pattern') {
    const chrono = chronoPattern(format.pattern);
    return {
      parse: `parse_timestamp(${s} + ${vrlString(chrono.suffix, at)}, ${vrlString(chrono.format, at, 'the date pattern')})`,
      regex: patternRegex(format.pattern),
    };
  }
  throw new Error(`internal: no lean VRL for date format ${format.kind}`);
}

/** One date format tried on the string in `s`: statements, then `ok && match` says it parsed. */
function dateAttempt(
  code: VrlCode,
  format: DateFormat,
  s: string,
  at: Span,
): { match: string; lines: Lines; ok: string; text: string } {
  const ts = code.fresh('ts');
  const err = code.fresh('err');
  const text = code.fresh('date');
  const { parse, regex } = dateParse(format, s, at);
  // A failed format gives `""`, which the length test refuses.
  return {
    match: `match(${s}, ${vrlRegex(regex)})`,
    lines: [
      `${ts}, ${err} = ${parse}`,
      `${text} = format_timestamp(${ts}, ${vrlConst(OUTPUT_FORMAT)}, timezone: "UTC") ?? ""`,
    ],
    ok: `${err} == null && strlen(${text}) == 24`,
    text,
  };
}

/**
 * `date` of a string: the first format that parses wins. Only iso8601 and patterns reach here
 * (`onStrings`); an instant outside years 0000-9999 (after its offset) fails, as its text would
 * not have 24 characters.
 */
function typedDate(code: VrlCode, formats: readonly DateFormat[], s: string, outcomes: Outcomes, at: Span): Lines {
  const attempt = (format: DateFormat): ReturnType<typeof dateAttempt> => dateAttempt(code, format, s, at);
  const [only] = formats;
  if (formats.length === 1 && only) {
    const a = attempt(only);
    return [...a.lines, ...compact(`if ${a.ok} && ${a.match}`, outcomes.value(a.text, 'string'), outcomes.fail)];
  }
  const out = code.fresh('date');
  const done = code.fresh('ok');
  const lines: string[] = [`${out} = ""`, `${done} = false`];
  formats.forEach((format, i) => {
    const a = attempt(format);
    const head = i === 0 ? `if ${a.match}` : `if !${done} && ${a.match}`;
    lines.push(...block(head, [...a.lines, `if ${a.ok} { ${out} = ${a.text}; ${done} = true }`]));
  });
  return [...lines, ...compact(`if ${done}`, outcomes.value(out, 'string'), outcomes.fail)];
}
