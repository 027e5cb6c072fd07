/**
 * The Vector quoting table: the only way text (map text, fixture data, operator options) reaches
 * a generated `vector.yaml`. One function per output context, each returning a branded string
 * type made only here (in the spirit of Go's `html/template`), so that the emitters, whose
 * signatures take these types, cannot splice raw text by accident.
 *
 * | context | function | brand |
 * |---|---|---|
 * | YAML scalar (key or value) | {@link yamlScalar}, {@link yamlConst} | `YamlScalar` |
 * | Vector secret reference | {@link secretRef} | `YamlScalar` |
 * | YAML and VRL `#` comment | {@link yamlComment}, {@link vrlComment} | `Comment` |
 * | VRL string (any text, as an expression) | {@link vrlString} | `VrlExpr` |
 * | VRL string literal (where VRL wants a literal) | {@link vrlStringLiteral} | `VrlStringLiteral` |
 * | VRL literal of a JSON value | {@link vrlLiteral} | `VrlExpr` |
 * | VRL path segments (`."a b"`) / path arrays (`get`, `set`) | {@link vrlPath}, {@link vrlPathArray} | `VrlPath`, `VrlExpr` |
 * | VRL regex literal (`r'...'`) with literal text | {@link regexText}, {@link vrlRegex} | `RegexSource`, `VrlRegex` |
 * | the whole remap program | {@link vrlProgram} | `YamlScalar` |
 * | unit-test `log_fields` values | {@link logFieldValue} | `YamlScalar` |
 *
 * What Vector does with a loaded config's strings (the facts every function here is built on):
 * - **Environment interpolation** (off since Vector 0.57 unless Vector runs with
 *   `--dangerously-allow-env-var-interpolation` or `VECTOR_DANGEROUSLY_ALLOW_ENV_VAR_INTERPOLATION=true`,
 *   vectordotdev/vector `website/content/en/highlights/2026-07-14-0-57-0-upgrade-guide.md`): when
 *   on, current Vector replaces `$$`, `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`,
 *   `${VAR?e}` in every string key and value of the parsed config
 *   (`src/config/loading/interpolation.rs`, `src/config/loading/loader.rs`); older Vector
 *   replaced them in the raw file text, comments included. A generated file therefore holds **no
 *   `$` at all**: it reads the same with interpolation on or off, in any Vector version.
 * - **Secret replacement** (always on): every `SECRET[backend.key]` (regex
 *   `SECRET\[([[:word:]]+)\.([[:word:].]+)\]`) in a string key or value is replaced by that key's
 *   value from the named secret backend (`src/config/loading/secret.rs`). A generated file holds
 *   **no `SECRET[` but mapc's own references** ({@link secretRef}), comments included.
 * - VRL string literals know the escapes `\\ \" \n \r \t \0` and `\{` (a `{{ x }}` inside a
 *   literal is a template), and no `\u` or `\x` escape (VRL 0.25: `"\u{24}"` is syntax error 202).
 *   VRL 0.25's lexer panics ("not implemented: invalid escape", `src/parser/lex.rs`) on a `}`
 *   right after a backslash (`"\\}}"`, found by the full property run), so such a `}` is encoded.
 *   Any other character is carried by `decode_percent("%XX")` of its UTF-8 bytes
 *   (https://vector.dev/docs/reference/vrl/functions/#decode_percent, infallible), so that `$`,
 *   the `[` of `SECRET[`, control and format characters never appear in the program text.
 * - VRL regex literals (`r'...'`) end at `'` and take Rust `regex` syntax, where `\x{HEX}` is any
 *   code point and `\z` the end of the text (`$` without the `m` flag).
 *
 * Refusals: text no form can carry (a lone UTF-16 surrogate, which has no UTF-8 form) or that a
 * context cannot carry (`$`/`SECRET[` in a plain YAML scalar) throws {@link TargetRefusal} E0504
 * at the span the caller gives (the template's own `loc`, else the rule's, else the stream's).
 * A failed check on mapc's own constant text throws a plain Error: that is a bug.
 *
 * @module
 */
import yaml from 'js-yaml';
import {
  codePointRuns,
  isAlnum,
  kvExcluded,
  renderRegex,
  type FieldPath,
  type ParsedRegex,
} from '../../compiler/ir.ts';
import type { Span } from '../../dsl/diagnostics.ts';
import { TargetRefusal } from '../contract.ts';
import { commentText } from '../shared/prose.ts';

export type YamlScalar = string & { readonly __brand: 'YamlScalar' };
export type Comment = string & { readonly __brand: 'Comment' };
export type VrlExpr = string & { readonly __brand: 'VrlExpr' };
export type VrlStringLiteral = VrlExpr & { readonly __literal: true };
export type VrlPath = string & { readonly __brand: 'VrlPath' };
export type RegexSource = string & { readonly __brand: 'RegexSource' };
export type VrlRegex = string & { readonly __brand: 'VrlRegex' };

/** A YAML document as mapc builds it: every string a {@link YamlScalar}, keys included. */
export type YamlNode = YamlScalar | number | boolean | readonly YamlNode[] | { readonly [key: string]: YamlNode };

/** The regex Vector finds secret references with (`src/config/loading/secret.rs`, `COLLECTOR`). */
export const SECRET_REFERENCE = /SECRET\[([0-9A-Za-z_]+)\.([0-9A-Za-z_.]+)\]/g;

const LONE_SURROGATE = /\p{Cs}/u;

// ---------------------------------------------------------------------------------------------
// YAML
// ---------------------------------------------------------------------------------------------

/** Why `text` cannot be a plain YAML scalar of a Vector config, or undefined when it can. */
export function yamlProblem(text: string): string | undefined {
  if (LONE_SURROGATE.test(text)) return 'a lone UTF-16 surrogate has no UTF-8 form';
  if (text.includes('$')) return 'Vector would read `$` as an environment variable reference';
  if (text.includes('SECRET[')) return 'Vector would read `SECRET[` as a secret reference';
  return undefined;
}

/**
 * `text` as a YAML scalar (key or value) of vector.yaml, serialised later by js-yaml.
 * @throws TargetRefusal E0504 at `at` when Vector would change the text ({@link yamlProblem}).
 */
export function yamlScalar(text: string, at: Span, what: string): YamlScalar {
  const problem = yamlProblem(text);
  if (problem !== undefined) {
    throw new TargetRefusal('E0504', `Vector target cannot carry ${what} ${JSON.stringify(text)}`, at, problem);
  }
  return text as YamlScalar;
}

/** mapc's own constant text as a YAML scalar. @throws Error (a bug) if Vector would change it. */
export function yamlConst(text: string): YamlScalar {
  const problem = yamlProblem(text);
  if (problem !== undefined) throw new Error(`internal: generated YAML text ${JSON.stringify(text)}: ${problem}`);
  return text as YamlScalar;
}

/** Names a secret backend and a key may have (`[[:word:]]` is ASCII in Rust `regex`). */
const BACKEND_NAME = /^[0-9A-Za-z_]+$/;
const SECRET_KEY = /^[0-9A-Za-z_][0-9A-Za-z_.]*$/;

/**
 * `SECRET[backend.key]`: the one producer of secret references in generated files.
 * @throws Error (a bug) for a name Vector's reference regex would not take whole.
 */
export function secretRef(backend: string, key: string): YamlScalar {
  if (!BACKEND_NAME.test(backend) || !SECRET_KEY.test(key))
    throw new Error(`internal: invalid secret reference ${backend}.${key}`);
  return `SECRET[${backend}.${key}]` as YamlScalar;
}

/**
 * Scalars ({@link yamlScalar}) and secret references ({@link secretRef}) written one after the
 * other as one scalar (`SSWS SECRET[backend.key]`). It reads as exactly those parts: no part
 * holds `$` or `SECRET[` but the references, a reference starts with `SECRET[` whatever precedes
 * it, and Vector's reference pattern ends at the reference's own `]` (its key takes no `]`).
 */
export function yamlConcat(parts: readonly YamlScalar[]): YamlScalar {
  return parts.join('') as YamlScalar;
}

/** A comment body safe in YAML and VRL: {@link commentText}, and no `SECRET[` (old Vector read comments). */
function commentBody(text: string, maxLength?: number): string {
  return commentText(text, maxLength).replaceAll('SECRET[', 'SECRET?');
}

/** `# text` for the head of vector.yaml. */
export function yamlComment(text: string, maxLength = 400): Comment {
  return `# ${commentBody(text, maxLength)}` as Comment;
}

/** `# text` inside a VRL program (a YAML string value, where Vector replaces references too). */
export function vrlComment(text: string, maxLength = 400): Comment {
  return `# ${commentBody(text, maxLength)}` as Comment;
}

/**
 * The text of vector.yaml: the header comments, then `document` dumped by js-yaml (block style,
 * no line folding, no anchors). As a last guard the result is parsed back and every string
 * checked again: only mapc's own secret references and no `$` anywhere.
 * @throws Error (a bug) when the guard finds anything else.
 */
export function vectorYaml(header: readonly Comment[], document: YamlNode, ownSecrets: ReadonlySet<string>): string {
  const body = yaml.dump(document, { lineWidth: -1, noRefs: true, sortKeys: false });
  const text = `${[...header, ''].join('\n')}${body}`;
  if (text.includes('$')) throw new Error('internal: a `$` reached vector.yaml');
  for (const m of text.matchAll(/SECRET\[/g)) {
    const ref = /^SECRET\[([0-9A-Za-z_]+)\.([0-9A-Za-z_.]+)\]/.exec(text.slice(m.index));
    if (!ref || !ownSecrets.has(ref[0])) throw new Error('internal: a foreign `SECRET[` reached vector.yaml');
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// VRL strings
// ---------------------------------------------------------------------------------------------

/**
 * Characters written as themselves inside a VRL string literal: printable, and none of `$` (no
 * interpolation can see it), `\` and `"` (escaped instead), `{` (template), or a character that
 * some parser reads as a line break or that hides text (controls, format characters, U+2028/9,
 * non-characters).
 */
function literalSafe(ch: string): boolean {
  return (
    !/[$\\"{\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\uFDD0-\uFDEF\uFFFE\uFFFF]/u.test(ch) &&
    (ch.codePointAt(0) ?? 0) % 0x10000 < 0xfffe
  );
}

const LITERAL_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '{': '\\{' };

function percentBytes(ch: string): string {
  return [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

function refuseSurrogate(text: string, at: Span, what: string): void {
  if (LONE_SURROGATE.test(text))
    throw new TargetRefusal(
      'E0504',
      `Vector target cannot carry ${what} ${JSON.stringify(text)}`,
      at,
      'a lone UTF-16 surrogate has no UTF-8 form',
    );
}

/**
 * `text` as a VRL expression of type string that evaluates to exactly `text`: a literal
 * `"..."` when every character can be written in one ({@link vrlStringLiteral}), else a
 * parenthesised concatenation of literals and `decode_percent("%XX")` calls for the others.
 * The `[` after `SECRET` always goes through `decode_percent`.
 * @throws TargetRefusal E0504 at `at` for a lone surrogate.
 */
export function vrlString(text: string, at: Span, what = 'the text'): VrlExpr {
  refuseSurrogate(text, at, what);
  const literal = vrlStringLiteral(text);
  if (literal !== undefined) return literal;
  const parts: string[] = [];
  let run = '';
  let encoded = '';
  const flushRun = (): void => {
    if (run !== '') parts.push(`"${run}"`);
    run = '';
  };
  const flushEncoded = (): void => {
    if (encoded !== '') parts.push(`decode_percent("${encoded}")`);
    encoded = '';
  };
  let seen = '';
  for (const ch of text) {
    const escape = LITERAL_ESCAPES[ch];
    const secretBracket = ch === '[' && seen.endsWith('SECRET');
    const braceAfterBackslash = ch === '}' && seen.endsWith('\\');
    if (escape !== undefined || (literalSafe(ch) && !secretBracket && !braceAfterBackslash)) {
      flushEncoded();
      run += escape ?? ch;
    } else {
      flushRun();
      encoded += percentBytes(ch);
    }
    seen = (seen + ch).slice(-6);
  }
  flushRun();
  flushEncoded();
  return `(${parts.join(' + ')})` as VrlExpr;
}

/**
 * `text` as one VRL string literal `"..."` (escaping `\`, `"` and `{`), or undefined when a
 * character needs {@link vrlString}'s `decode_percent` (or `text` holds `SECRET[`).
 */
export function vrlStringLiteral(text: string): VrlStringLiteral | undefined {
  if (text.includes('SECRET[') || text.includes('\\}')) return undefined;
  let out = '"';
  for (const ch of text) {
    const escape = LITERAL_ESCAPES[ch];
    if (escape !== undefined) out += escape;
    else if (literalSafe(ch)) out += ch;
    else return undefined;
  }
  return `${out}"` as VrlStringLiteral;
}

/** mapc's own constant text as a VRL string literal. @throws Error (a bug) if it needs more. */
export function vrlConst(text: string): VrlStringLiteral {
  const literal = vrlStringLiteral(text);
  if (literal === undefined) throw new Error(`internal: ${JSON.stringify(text)} is not a plain VRL literal`);
  return literal;
}

/** A JSON-like value a VRL literal can express (objects keep their keys' order). */
export type VrlLiteralValue =
  string | number | boolean | null | readonly VrlLiteralValue[] | { readonly [key: string]: VrlLiteralValue };

/**
 * A VRL number literal. Integers stay integers unless `asFloat` (or beyond VRL's i64); floats
 * are written in plain decimal notation because VRL float literals have no exponent.
 * @throws Error for NaN and infinities (no JSON value has them).
 */
export function vrlNumber(value: number, asFloat = false): VrlExpr {
  if (!Number.isFinite(value)) throw new Error(`VRL has no literal for ${value}`);
  if (Number.isInteger(value)) {
    const digits = BigInt(value).toString();
    const i64 = Math.abs(value) < 2 ** 63;
    return (asFloat || !i64 ? `${digits}.0` : digits) as VrlExpr;
  }
  let text = String(value);
  if (/e/i.test(text)) text = plainDecimal(value);
  return text as VrlExpr;
}

/** `1.5e-7` as `0.00000015`: the shortest round-trip digits, moved by the exponent. */
function plainDecimal(value: number): string {
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = 1 + Number(exponentText);
  let text: string;
  if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) text = `${digits}${'0'.repeat(point - digits.length)}.0`;
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${text}` : text;
}

/**
 * A VRL expression for a JSON value. With `numbersAsFloats`, every number is a float (the
 * unit-test assertions compare after turning all integers into floats). Object keys must be
 * literals in VRL: a key {@link vrlStringLiteral} cannot write is added with `set` and a path
 * array of its {@link vrlString} (https://vector.dev/docs/reference/vrl/functions/#set).
 * @throws TargetRefusal E0504 at `at` for a lone surrogate.
 */
export function vrlLiteral(value: unknown, at: Span, numbersAsFloats = false): VrlExpr {
  if (value === null || value === undefined) return 'null' as VrlExpr;
  if (typeof value === 'string') return vrlString(value, at);
  if (typeof value === 'boolean') return (value ? 'true' : 'false') as VrlExpr;
  if (typeof value === 'number') return vrlNumber(value, numbersAsFloats);
  if (Array.isArray(value)) return `[${value.map((v) => vrlLiteral(v, at, numbersAsFloats)).join(', ')}]` as VrlExpr;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const literalKeys = entries.map(([k]) => vrlStringLiteral(k));
    if (literalKeys.every((k) => k !== undefined)) {
      return `{${entries.map(([, v], i) => `${literalKeys[i] ?? ''}: ${vrlLiteral(v, at, numbersAsFloats)}`).join(', ')}}` as VrlExpr;
    }
    // Literal keys first, then each other key set by a path array (whose strings are field names).
    let out = `{${entries.flatMap(([k, v], i) => (literalKeys[i] === undefined ? [] : [`${literalKeys[i]}: ${vrlLiteral(v, at, numbersAsFloats)}`])).join(', ')}}`;
    entries.forEach(([k, v], i) => {
      if (literalKeys[i] === undefined)
        out = `(set(${out}, [${vrlString(k, at, 'the key')}], ${vrlLiteral(v, at, numbersAsFloats)}) ?? {})`;
    });
    return out as VrlExpr;
  }
  throw new Error(`no VRL literal for ${typeof value}`);
}

// ---------------------------------------------------------------------------------------------
// VRL paths
// ---------------------------------------------------------------------------------------------

const PLAIN_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Quoted segments written as path syntax: printable ASCII without quotes, escapes or `$`. */
const QUOTABLE_SEGMENT = /^[A-Za-z0-9_@.\-:/ +*#&!?=<>,;~|^%()']*$/;

/**
 * An event path in VRL path syntax (`.event.kind`, `."@timestamp"`; `[]` is `.`), or undefined
 * when a segment holds a character that path syntax should not carry: such a path is read and
 * written through {@link vrlPathArray} and `get`/`set`/`remove` instead.
 */
export function vrlPath(path: FieldPath): VrlPath | undefined {
  if (path.length === 0) return '.' as VrlPath;
  let out = '';
  for (const s of path) {
    if (PLAIN_SEGMENT.test(s)) out += `.${s}`;
    else if (s !== '' && QUOTABLE_SEGMENT.test(s)) out += `."${s}"`;
    else return undefined;
  }
  return out as VrlPath;
}

/**
 * A path array for `get`/`set`/`remove`: `["event", "kind"]`; each segment a {@link vrlString}.
 * @throws TargetRefusal E0504 at `at` for a lone surrogate.
 */
export function vrlPathArray(path: FieldPath, at: Span): VrlExpr {
  return `[${path.map((s) => vrlString(s, at, 'the field name')).join(', ')}]` as VrlExpr;
}

// ---------------------------------------------------------------------------------------------
// VRL regexes
// ---------------------------------------------------------------------------------------------

/**
 * Literal text as a Rust `regex` fragment matching exactly it: ASCII letters, digits, space and
 * `_` as themselves, every other character as `\x{HEX}` (so no `$`, `'`, `\` quote or line
 * break reaches the regex literal).
 */
export function regexText(text: string): RegexSource {
  let out = '';
  for (const ch of text) {
    out += /^[A-Za-z0-9 _]$/.test(ch) ? ch : `\\x{${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`;
  }
  return out as RegexSource;
}

/**
 * An `extract` pattern (`dsl/regex.ts`) for Rust's `regex` crate as VRL's `parse_regex` runs it
 * (Unicode mode, no flags: classes and `\x{H}` over Unicode scalar values, leftmost-first
 * alternation and greedy/lazy quantifiers as a backtracking engine would prefer, `\A \z` the ends
 * of the text; https://docs.rs/regex/1/regex/#syntax). Per construct: `^ $` as `\A \z` (no `$`
 * may reach a Vector config); `.` as `[^\n]` (also Rust's own `.` without the `s` flag); classes
 * from their ranges; ASCII letters, digits and space as themselves, every other character as
 * `\x{H}` (no quote, `$`, `\` or metacharacter reaches the literal); the capturing group as the
 * named group `(?P<name>...)` (the only one, so `parse_regex` returns it alone), named groups under
 * their own names (ASCII word characters, `dsl/regex.ts`); and never the
 * text `SECRET[`.
 */
export function extractRegex(regex: ParsedRegex, name: string): RegexSource {
  const hexChar = (cp: number): string =>
    isAlnum(cp) || cp === 0x20 ? String.fromCodePoint(cp) : `\\x{${cp.toString(16).toUpperCase()}}`;
  if (!/^[a-z]+$/.test(name)) throw new Error(`internal: capture name ${name}`);
  const source = renderRegex(regex, {
    char: hexChar,
    classChar: hexChar,
    any: '[^\\n]',
    start: '\\A',
    end: '\\z',
    capture: (body, group) => `(?P<${group ?? name}>${body})`,
  });
  // Vector reads `SECRET[` anywhere in its config as a secret reference (`yamlProblem`). In the
  // written pattern it can only be the literal letters before a class's `[`: the `T` is written
  // as the same character in hex.
  return source.replace(/SECRET\[/g, 'SECRE\\x{54}[') as RegexSource;
}

/**
 * The Rust regex of the whole text a `kv` transform accepts (`TransformIR` in `compiler/ir.ts`):
 * `\A K+ V W+ (F K+ V W+)* \z`, the key and value classes as negated classes of `\x{H}` code
 * points ({@link kvExcluded}), the separators through {@link regexText}.
 */
export function kvShapeRegex(t: { readonly fieldSeparator: string; readonly valueSeparator: string }): RegexSource {
  const excluded = kvExcluded(t);
  const hex = (c: number): string => `\\x{${c.toString(16).toUpperCase()}}`;
  const cls = (codes: readonly number[]): string =>
    `[^${codePointRuns(codes)
      .map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`))
      .join('')}]`;
  const pair = `${cls(excluded.key)}+${regexText(t.valueSeparator)}${cls(excluded.value)}+`;
  return `\\A${pair}(?:${regexText(t.fieldSeparator)}${pair})*\\z` as RegexSource;
}

/** mapc's own regex source (its literal parts from {@link regexText}). */
export function regexSource(source: string): RegexSource {
  return source as RegexSource;
}

/**
 * `r'...'`. The source is mapc's own text, with map text only through {@link regexText}.
 * @throws Error (a bug) for a `'`, `$` or character outside printable ASCII.
 */
export function vrlRegex(source: RegexSource): VrlRegex {
  if (!/^[\x20-\x26\x28-\x7e]*$/.test(source) || source.includes('$'))
    throw new Error(`internal: regex ${JSON.stringify(source)} cannot be a VRL raw literal`);
  return `r'${source}'` as VrlRegex;
}

// ---------------------------------------------------------------------------------------------
// Whole programs and unit tests
// ---------------------------------------------------------------------------------------------

/**
 * A complete VRL program as the YAML value of a `remap` `source` or a test condition.
 * @throws Error (a bug) when a `$` or a `SECRET[` reached it (every map text passed the functions above).
 */
export function vrlProgram(lines: readonly string[]): YamlScalar {
  const text = `${lines.join('\n')}\n`;
  const problem = yamlProblem(text);
  if (problem !== undefined) throw new Error(`internal: generated VRL: ${problem}`);
  return text as YamlScalar;
}

/**
 * A fixture record's text as a unit-test `log_fields` value, or undefined when Vector would
 * change it (`$`, `SECRET[`): such a case is left out of the Vector unit tests (the fixture
 * tests of mapc still run it).
 */
export function logFieldValue(text: string): YamlScalar | undefined {
  return yamlProblem(text) === undefined ? (text as YamlScalar) : undefined;
}
