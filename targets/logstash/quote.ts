/**
 * The Logstash quoting table: the only way text reaches a generated pipeline (`.conf`),
 * `pipelines.yml` or operator README. One function per output context, each returning a branded
 * string type that only this module makes (in the spirit of Go's `html/template`), so that the
 * pipeline model (`./model.ts`) and the builders cannot take raw map text by accident. Text that no
 * form can carry is refused with a {@link TargetRefusal} at the map literal's location: E0602 when
 * it has no portable quoted form, E0603 when Logstash would substitute or format it.
 *
 * What Logstash does to the text of a pipeline (read in the elastic/logstash and plugin sources at the
 * paths named; mapc needs Logstash 8.4+):
 *
 * 1. **Quoted strings** (`"..."`, `'...'`, also hash keys). With `config.support_escapes: true`
 *    (default false) Logstash processes backslash escapes: the Ruby `LogStash::Config::StringEscape`
 *    (logstash-core/lib/logstash/config/string_escape.rb) turns `\\ \" \' \n \r \t` into characters
 *    and keeps other sequences, the later Java `org.logstash.common.StringEscapeHelper` (which that
 *    file now delegates to) also drops the backslash of every other sequence (`\A` reads `A`), as
 *    elastic/logstash#10981 says the parser already did; with the default, every backslash is
 *    kept, and the grammar reads `\"` inside `"..."` as part of the string
 *    (logstash-core/lib/logstash/compiler/lscl/lscl_grammar.treetop, `double_quoted_string`). So
 *    **no backslash reads the same everywhere**: a string is written in the quote kind it does not
 *    contain and without any escape; text with a backslash, both quote kinds, a control character
 *    (line breaks would also change the layout `mustache format` prints) or an unpaired surrogate
 *    (no UTF-8 form) is refused (E0602). Regex literals of conditionals (`/.../`) are not
 *    escape-processed (`LSCL::AST::RegExp#expr` strips the slashes only).
 * 2. **`${NAME}` and `${NAME:default}`** are replaced at load with a keystore or environment value
 *    (or the default): anywhere in every plugin option string, array element and hash *value*, not
 *    in hash keys (`LogStash::Util::SubstitutionVariables#deep_replace`, `gsub` with
 *    `SUBSTITUTION_PLACEHOLDER_REGEX`, logstash-core/lib/logstash/util/substitution_variables.rb;
 *    `org.logstash.plugins.ConfigVariableExpander` for whole strings), and since 8.0 in whole string
 *    operands of conditionals (`org.logstash.config.ir.expression.ExpressionSubstitution`,
 *    elastic/logstash#13608). There is no escape (a literal `$` once stopped Logstash,
 *    elastic/logstash#4953, and the pattern was narrowed to `${...}` in elastic/logstash#4963).
 *    Map text in which {@link SUBSTITUTION} matches is refused (E0603); a `$` or a `${` of any other
 *    shape is written as is. mapc's own references (settings, secrets) are built by
 *    {@link envTemplate}, which proves that Logstash finds exactly those.
 * 3. **sprintf** (`org.logstash.StringInterpolation#evaluate`): where `%{` is followed, anywhere
 *    later, by `}`, the text between is a field reference, `+joda`, `{java}` or `+%s` and is replaced
 *    by event data; there is no escape. The options mapc emits that plugins format: mutate `replace`
 *    values, `rename` keys and values, `gsub` replacements (and needles holding `%{`), the common
 *    `add_field` keys and values and `remove_field` (LogStash::Filters::Base#filter_matched),
 *    translate `fallback` (SingleValueUpdate#update), elasticsearch `index` and `document_id`.
 *    Text for those ({@link sprintfText}) is refused (E0603) when {@link sprintfLive} finds a
 *    reference; `%` and `%{` with no later `}` are written as is. mapc's own references are built by
 *    {@link sprintfTemplate}, which proves that sprintf finds exactly those.
 * 4. **Field references** `[a][b]` (org.logstash.FieldReference; the `selector_element` of the
 *    grammar): a segment may not hold `[`, `]` or `,`; quotes make `mustache` read a conditional
 *    differently; `%XX` and `&#NN;` are decoded when `config.field_reference.escape_style` is
 *    `percent` or `ampersand` (logstash.yml reference). References are also used in formatted options
 *    (`remove_field`) and as substituted strings, so {@link fieldRef} applies both rules above.
 *
 * @module
 */
import yaml from 'js-yaml';
import { isAlnum, renderRegex, type ParsedRegex } from '../../compiler/ir.ts';
import type { Span } from '../../dsl/diagnostics.ts';
import { TargetRefusal } from '../contract.ts';
import { commentText, markdownText } from '../shared/prose.ts';

// ---------------------------------------------------------------------------------------------
// Brands: made only here
// ---------------------------------------------------------------------------------------------

declare const portable: unique symbol;
declare const unsubstituted: unique symbol;
declare const unformatted: unique symbol;
declare const selector: unique symbol;
declare const formatRefs: unique symbol;
declare const envRefs: unique symbol;
declare const regexBody: unique symbol;
declare const commentLine: unique symbol;
declare const markdownLine: unique symbol;
declare const yamlText: unique symbol;

/** Text with a quoted form every Logstash reads back exactly: a hash key (keys are neither substituted nor formatted). */
export type KeyText = string & { readonly [portable]: true };
/** A plugin option string (value, array element, hash value) or a conditional's string operand: no `${NAME}`. */
export type OptionText = KeyText & { readonly [unsubstituted]: true };
/** An option string a plugin sprintf-formats: no `${NAME}`, no `%{...}`. */
export type SprintfText = OptionText & { readonly [unformatted]: true };
/** A field reference `[a][b]`: a conditional's selector, or a (formatted) option string. */
export type FieldRef = SprintfText & { readonly [selector]: true };
/** A formatted option string whose only `%{...}` are mapc's own field references. */
export type SprintfTemplate = OptionText & { readonly [formatRefs]: true };
/** An option string whose only `${NAME}` are mapc's own (settings, secrets); no `%{...}`. */
export type EnvText = KeyText & { readonly [envRefs]: true; readonly [unformatted]: true };
/** The body of a conditional's regex literal `/.../`. */
export type RegexText = string & { readonly [regexBody]: true };
/** One comment line, without its `#`. */
export type CommentLine = string & { readonly [commentLine]: true };
/** One line of the operator README. */
export type MarkdownLine = string & { readonly [markdownLine]: true };
/** A YAML document (`pipelines.yml`). */
export type YamlText = string & { readonly [yamlText]: true };

// ---------------------------------------------------------------------------------------------
// Where text comes from, and the refusals
// ---------------------------------------------------------------------------------------------

/** Where a text is written in the map, and what it is there ("constant", "field name", ...). */
export interface Site {
  readonly span: Span;
  readonly what: string;
}

/** mapc's own text: a refusal is a bug in mapc (an internal error), never a diagnostic. */
export const OWN = 'mapc' as const;
export type At = Site | typeof OWN;

const FALLBACK = 'help: no fallback: change this text in the map, or use another target';

const NOTES = {
  portable: [
    'note: target logstash; a Logstash string has no escape that reads the same with and without config.support_escapes ' +
      '(StringEscape keeps unknown backslash sequences, StringEscapeHelper drops their backslash)',
    FALLBACK,
  ],
  substitution: [
    'note: target logstash; Logstash replaces ${NAME} and ${NAME:default} in plugin options and conditionals with a keystore ' +
      'or environment value at load (logstash-core util/substitution_variables.rb) and has no escape for it (elastic/logstash#4953)',
    FALLBACK,
  ],
  sprintf: [
    'note: target logstash; this option is sprintf-formatted: %{...} is replaced with event data ' +
      '(org.logstash.StringInterpolation) and has no escape',
    FALLBACK,
  ],
} as const;

function refuse(at: At, code: 'E0602' | 'E0603', message: string, notes: readonly string[]): never {
  if (at === OWN) throw new Error(`mapc's own Logstash text refused (${code}): ${message}`);
  throw new TargetRefusal(code, message, at.span, 'refused for the logstash target', notes);
}

const show = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

// ---------------------------------------------------------------------------------------------
// The three readings of a string (module doc 1-3)
// ---------------------------------------------------------------------------------------------

/**
 * `SUBSTITUTION_PLACEHOLDER_REGEX` of logstash-core/lib/logstash/util/substitution_variables.rb
 * (and ConfigVariableExpander): `${`, a name of ASCII letters, digits, `_` and `.` not starting with
 * a digit, an optional `:default` without `}`, then `}`. JavaScript reads it as Ruby and Java do
 * (ASCII classes, `[^}]` matching line breaks).
 */
export const SUBSTITUTION = /\$\{[a-zA-Z_.][a-zA-Z0-9_.]*(?::[^}]*)?\}/g;

/** The first `${NAME}` Logstash would substitute in `text`, if any. */
export function substitutionIn(text: string): string | undefined {
  SUBSTITUTION.lastIndex = 0;
  const m = SUBSTITUTION.exec(text);
  return m ? m[0] : undefined;
}

/**
 * The first reference sprintf would replace in `text`, if any. StringInterpolation#evaluate looks
 * for `%{` and then for the first `}` at or after it (`indexOf('}', open)`); when both exist it
 * replaces, whatever is between (an empty or unparseable reference included), so the text holds a
 * live reference exactly when a `}` follows its first `%{`.
 */
export function sprintfLive(text: string): string | undefined {
  const open = text.indexOf('%{');
  if (open < 0) return undefined;
  const close = text.indexOf('}', open);
  return close < 0 ? undefined : text.slice(open, close + 1);
}

/** C0 and C1 controls, DEL, U+2028/2029, and surrogates not in a pair. */
const CONTROL =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first unpaired surrogate, line break or control character of `text`, described; or undefined. */
function controlProblem(text: string): string | undefined {
  const m = CONTROL.exec(text);
  if (!m) return undefined;
  const unit = m[0].charCodeAt(0);
  const hex = unit.toString(16).toUpperCase().padStart(4, '0');
  if (unit >= 0xd800 && unit <= 0xdfff) return `an unpaired surrogate U+${hex}, which has no UTF-8 form`;
  if (unit === 0x0a || unit === 0x0d || unit === 0x85 || unit === 0x2028 || unit === 0x2029)
    return `a line break U+${hex}`;
  return `a control character U+${hex}`;
}

/** Why `text` has no portable quoted form (module doc 1), or undefined. */
export function portabilityProblem(text: string): string | undefined {
  const control = controlProblem(text);
  if (control !== undefined) return control;
  if (text.includes('\\')) return 'a backslash, which Logstash reads differently with config.support_escapes: true';
  if (text.includes('"') && text.includes("'")) return 'both quote kinds';
  return undefined;
}

/**
 * The config text of a string literal: `"text"`, or `'text'` when the text holds a `"`. Total on
 * the branded types (their constructors proved a portable form exists).
 */
export function quoted(text: KeyText): string {
  return text.includes('"') ? `'${text}'` : `"${text}"`;
}

function checkPortable(text: string, at: At, what: string): void {
  const problem = portabilityProblem(text);
  if (problem !== undefined)
    refuse(at, 'E0602', `this ${what} cannot be written portably in a Logstash config: ${problem}`, NOTES.portable);
}

function checkUnsubstituted(text: string, at: At, what: string): void {
  const found = substitutionIn(text);
  if (found !== undefined)
    refuse(
      at,
      'E0603',
      `Logstash would replace ${show(found)} in this ${what} with a keystore or environment value`,
      NOTES.substitution,
    );
}

function checkUnformatted(text: string, at: At, what: string): void {
  const found = sprintfLive(text);
  if (found !== undefined)
    refuse(at, 'E0603', `Logstash would replace ${show(found)} in this ${what} with event data`, NOTES.sprintf);
}

const whatOf = (at: At, fallback: string): string => (at === OWN ? fallback : at.what);

// ---------------------------------------------------------------------------------------------
// The contexts
// ---------------------------------------------------------------------------------------------

/** A hash key read literally (translate `dictionary` keys, header names). @throws TargetRefusal E0602 */
export function keyText(text: string, at: At): KeyText {
  checkPortable(text, at, whatOf(at, 'key'));
  return text as KeyText;
}

/**
 * A plugin option string no plugin formats (or a conditional's string operand).
 * @throws TargetRefusal E0602 (no portable form), E0603 (`${NAME}`)
 */
export function optionText(text: string, at: At): OptionText {
  const what = whatOf(at, 'option');
  checkPortable(text, at, what);
  checkUnsubstituted(text, at, what);
  return text as OptionText;
}

/** An option string a plugin sprintf-formats. @throws TargetRefusal E0602, E0603 (`${NAME}`, `%{...}`) */
export function sprintfText(text: string, at: At): SprintfText {
  const what = whatOf(at, 'option');
  checkPortable(text, at, what);
  checkUnsubstituted(text, at, what);
  checkUnformatted(text, at, what);
  return text as SprintfText;
}

/** mapc's own fixed text, usable in every context. @throws Error (a bug) if it were not */
export function own(text: string): SprintfText {
  return sprintfText(text, OWN);
}

/** Characters a field name may not hold, and why (module doc 4). */
const SEGMENT_PROBLEMS: readonly [RegExp, string][] = [
  [/[[\]]/, 'a square bracket, which ends a field reference segment'],
  [/,/, 'a comma, which ends a field reference in a conditional'],
  [/["']/, 'a quote, which Logstash config parsers read differently inside a field reference'],
  [
    /%[0-9A-Fa-f]{2}|&#[0-9]+;/,
    'an escape sequence (%XX or &#NN;) that Logstash decodes when config.field_reference.escape_style is set',
  ],
];

/**
 * `["a","b"]` → `[a][b]`, valid as a conditional's selector and as a (formatted) option string.
 * @throws TargetRefusal E0602 (a segment the grammar cannot hold), E0603 (`${NAME}`, `%{...}`)
 */
export function fieldRef(path: readonly string[], at: At): FieldRef {
  const what = whatOf(at, 'field reference');
  if (path.length === 0) refuse(at, 'E0602', `an empty ${what} cannot be referenced in Logstash`, NOTES.portable);
  for (const segment of path) {
    if (segment === '')
      refuse(at, 'E0602', `an empty field name in this ${what} cannot be referenced in Logstash`, NOTES.portable);
    for (const [pattern, reason] of SEGMENT_PROBLEMS) {
      if (pattern.test(segment))
        refuse(
          at,
          'E0602',
          `the field name ${show(segment)} cannot be referenced in Logstash: ${reason}`,
          NOTES.portable,
        );
    }
    checkPortable(segment, at, what);
  }
  const text = path.map((s) => `[${s}]`).join('');
  checkUnsubstituted(text, at, what);
  checkUnformatted(text, at, what);
  return text as FieldRef;
}

/**
 * A formatted option string of literal text and mapc's own `%{[field]}` references, e.g. the
 * document id `|a|%{[@metadata][mapc][id][p0]}|`. Proves, by the scan of
 * StringInterpolation#evaluate, that sprintf finds exactly those references.
 * @throws TargetRefusal E0602, E0603 (literal text that would start or end a reference)
 */
export function sprintfTemplate(parts: readonly (string | { readonly ref: FieldRef })[], at: At): SprintfTemplate {
  const what = whatOf(at, 'formatted option');
  let text = '';
  const intended: [number, number][] = [];
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    else {
      intended.push([text.length, text.length + part.ref.length + 3]);
      text += `%{${part.ref}}`;
    }
  }
  checkPortable(text, at, what);
  checkUnsubstituted(text, at, what);
  const found = sprintfScan(text);
  const same =
    found.length === intended.length && found.every(([o, c], i) => o === intended[i]![0] && c === intended[i]![1]);
  if (!same) {
    const stray = found.find(([o, c]) => !intended.some(([io, ic]) => io === o && ic === c)) ?? found[0] ?? [0, 0];
    refuse(
      at,
      'E0603',
      `Logstash would replace ${show(text.slice(stray[0], stray[1]))} in this ${what} with event data`,
      NOTES.sprintf,
    );
  }
  return text as SprintfTemplate;
}

/** `[start, end)` of each reference StringInterpolation#evaluate replaces in `text`, in order. */
function sprintfScan(text: string): [number, number][] {
  const out: [number, number][] = [];
  let open = text.indexOf('%{');
  let close = open < 0 ? -1 : text.indexOf('}', open);
  while (open > -1 && close > -1) {
    // `%{{java pattern}}` consumes one more `}` (StringInterpolation: `close = close + 1`).
    if (text.charAt(open + 2) === '{' && text.charAt(close + 1) === '}') close += 1;
    out.push([open, close + 1]);
    open = text.indexOf('%{', close + 1);
    close = open < 0 ? -1 : text.indexOf('}', open);
  }
  return out;
}

/** A `${NAME}` or `${NAME:fallback}` reference of mapc's own (a setting, a secret, an output variable). */
export interface EnvRef {
  readonly name: string;
  readonly fallback?: string;
}

/**
 * `${name}` or `${name:fallback}`. The fallback (a setting's default, written in the map at
 * `at`) must be portable, hold no `}` (it would end the reference) and nothing sprintf formats.
 * @throws TargetRefusal E0602, E0603
 */
export function envRef(name: string, fallback: string | undefined, at: At): EnvRef {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) refuse(OWN, 'E0602', `environment variable name ${show(name)}`, []);
  if (fallback === undefined) return { name };
  const what = whatOf(at, 'default');
  checkPortable(fallback, at, what);
  if (fallback.includes('}'))
    refuse(at, 'E0602', `this ${what} cannot be a Logstash \${VAR:default}: it holds a "}"`, NOTES.substitution);
  checkUnsubstituted(fallback, at, what);
  checkUnformatted(fallback, at, what);
  return { name, fallback };
}

/**
 * An option string of literal text and mapc's own `${NAME}` references. Proves, by the leftmost
 * scan Ruby's `gsub` makes (and ConfigVariableExpander's whole-string match), that Logstash
 * substitutes exactly those references; the literal text must also hold no `%{`, and the text with
 * the fallbacks in place no sprintf reference (the string may be formatted after the substitution,
 * e.g. elasticsearch `index`).
 * @throws TargetRefusal E0602, E0603
 */
export function envTemplate(parts: readonly (string | EnvRef)[], at: At): EnvText {
  const what = whatOf(at, 'option');
  let text = '';
  const intended: [number, number][] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      if (part.includes('%{'))
        refuse(at, 'E0603', `Logstash may format ${show(part)} in this ${what} with event data`, NOTES.sprintf);
      text += part;
    } else {
      const ref = part.fallback === undefined ? `\${${part.name}}` : `\${${part.name}:${part.fallback}}`;
      intended.push([text.length, text.length + ref.length]);
      text += ref;
    }
  }
  checkPortable(text, at, what);
  // After the substitution, a fallback (map text) next to the literal text must start no reference either.
  const substituted = parts.map((p) => (typeof p === 'string' ? p : (p.fallback ?? ''))).join('');
  const live = sprintfLive(substituted);
  if (live !== undefined)
    refuse(at, 'E0603', `Logstash may format ${show(live)} in this ${what} with event data`, NOTES.sprintf);
  const found = [...text.matchAll(SUBSTITUTION)].map((m): [number, number] => [m.index, m.index + m[0].length]);
  const same =
    found.length === intended.length && found.every(([s, e], i) => s === intended[i]![0] && e === intended[i]![1]);
  if (!same) {
    const stray = found.find(([s, e]) => !intended.some(([is, ie]) => is === s && ie === e)) ?? found[0] ?? [0, 0];
    refuse(
      at,
      'E0603',
      `Logstash would replace ${show(text.slice(stray[0], stray[1]))} in this ${what} with a keystore or environment value`,
      NOTES.substitution,
    );
  }
  return text as EnvText;
}

/**
 * The body of a conditional's regex literal, built by mapc (`./regexes.ts`, with map text only
 * through `regexChars`). The grammar ends it at an unescaped `/`; a line break would change the
 * layout. @throws Error (a bug) otherwise
 */
export function regexLiteral(source: string): RegexText {
  // `( '\/' / !'/' . )*`: a `/` ends the literal unless a backslash precedes it, so neither a bare
  // `/` nor a final backslash (it would take the closing `/`) can be written.
  // A quote makes mustache (breml/logstash-config v0.5.3) misread the literal.
  if (
    /(^|[^\\])\//.test(source) ||
    source.endsWith('\\') ||
    /["']/.test(source) ||
    controlProblem(source) !== undefined
  )
    throw new Error(`mapc's own regex literal /${source}/ cannot be written`);
  return source as RegexText;
}

/**
 * Text inside a conditional's regex literal (./regexes.ts), matching it literally: ASCII letters,
 * digits and space as they are, other ASCII in a one-character class (`[.]`, `[\\]`), `/` as `\/`
 * (a bare one ends the literal), quotes as `\x22` `\x27` (mustache misreads them there), anything
 * else as Onigmo's `\u{H}`; mapc passes it the ASCII punctuation of date patterns only.
 */
export function regexChars(text: string): string {
  return Array.from(text, (c) => {
    if (/[A-Za-z0-9 ]/.test(c)) return c;
    if (c === '/') return '\\/'; // a bare `/` would end a conditional's regex literal
    // mustache (breml/logstash-config v0.5.3) misreads a quote inside a regex literal.
    if (c === '"' || c === "'") return `\\x${c.charCodeAt(0).toString(16)}`;
    if (/[\x21-\x7e]/.test(c)) return /[\\\]^[]/.test(c) ? `[\\${c}]` : `[${c}]`;
    return `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`;
  }).join('');
}

/**
 * Text as a Ruby regex matching it literally, without a backslash (a gsub pattern is a config
 * string, module doc 1): letters, digits and non-ASCII characters as they are, other ASCII in a
 * one-character class. @throws Error for `\ [ ] ^`, which no class holds without a backslash (a bug:
 * only mapc's case tables reach here)
 */
export function gsubLiteral(text: string): string {
  return Array.from(text, (c) => {
    if (/[\\[\]^]/.test(c)) throw new Error(`gsub pattern for ${JSON.stringify(c)}`);
    return /[\x21-\x7e]/.test(c) && !/[A-Za-z0-9]/.test(c) ? `[${c}]` : c;
  }).join('');
}

/**
 * Any text as a single-quoted Ruby string literal whose value is exactly `text`: `\\` and `'`
 * escaped with a backslash, the only two escapes of a single-quoted Ruby string (Ruby 3.1
 * reference, "Literals", single-quoted strings:
 * https://docs.ruby-lang.org/en/3.1/syntax/literals_rdoc.html#label-Strings). The code holding it
 * is still an option string ({@link optionText}), which refuses what Logstash would read
 * differently (a backslash without a portable form, `${NAME}`).
 */
export function rubyString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * An `extract` pattern (`dsl/regex.ts`) as Ruby code building its `Regexp` source:
 * `[92, 65, ...].pack('U*')`, the source's code points as decimal numbers, so that neither a
 * backslash (no portable form in a Logstash string, module doc 1), `${`, `%{` nor a quote of the
 * pattern reaches the config. The source is for JRuby's `Regexp.new`, which compiles it with Joni
 * in Ruby syntax (https://docs.ruby-lang.org/en/3.1/Regexp.html): `^ $` as `\A \z` (Ruby's `^ $`
 * are line anchors), `.` as `[^\n]`, classes from their ranges, ASCII letters, digits and space as
 * themselves, other ASCII as `\xHH`, non-ASCII characters as themselves (one code point each in a
 * UTF-8 string), the capturing group as the only group `(...)` (so `MatchData#[](1)` is its text),
 * named groups as `(?<name>...)` (`MatchData#named_captures`).
 */
export function rubyRegexCodePoints(regex: ParsedRegex): string {
  const char = (cp: number): string =>
    isAlnum(cp) || cp === 0x20 || cp > 0x7f
      ? String.fromCodePoint(cp)
      : `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
  const source = renderRegex(regex, {
    char,
    classChar: char,
    any: '[^\\n]',
    start: '\\A',
    end: '\\z',
    capture: (body, name) => (name === undefined ? `(${body})` : `(?<${name}>${body})`),
  });
  return `[${Array.from(source, (c) => c.codePointAt(0)!).join(', ')}].pack('U*')`;
}

/**
 * A field reference inside Ruby code, as a single-quoted Ruby string (`'[a][b]'`). A
 * {@link FieldRef} holds no quote and no backslash, the only characters a single-quoted Ruby
 * string interprets.
 */
export function rubyFieldString(ref: FieldRef): string {
  return `'${ref}'`;
}

/**
 * POSIX shell quoting of one argument (the exec input runs `command` through `sh -c`): the one
 * shared with the README's install steps, `targets/shared/install.ts`.
 */
export { shellWord } from '../shared/install.ts';

// ---------------------------------------------------------------------------------------------
// Comments, README, pipelines.yml
// ---------------------------------------------------------------------------------------------

/**
 * A comment line: the template's literal parts are mapc's, every interpolated value (map text)
 * goes through {@link commentText} (targets/shared/prose.ts). Leading and trailing blanks are cut,
 * since `mustache format` prints a comment without them.
 */
export function comment(strings: TemplateStringsArray, ...values: readonly (string | number)[]): CommentLine {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += commentText(String(v), 200) + (strings[i + 1] ?? '');
  });
  // mustache format prints a comment without blanks after `# ` or at the end.
  out = out.trim();
  if (out === '' || /[\r\n]/.test(out)) throw new Error(`mapc's own comment ${show(out)} cannot be written`);
  return out as CommentLine;
}

/** A README fragment that is already Markdown (an identifier in a code span), for {@link md}. */
export interface MarkdownCode {
  readonly markdown: string;
}

/**
 * Names (of settings, streams, variables, files, commands) as a code span, where only a backtick
 * or a line break could end it: letters, digits, `_ . - / : @ $ { } *` and inner spaces; any other
 * text as escaped Markdown text.
 */
export function mdCode(text: string): MarkdownCode {
  const word = '[A-Za-z0-9_.\\-/:@${}*]';
  const code = new RegExp(`^${word}(?:[ ${word.slice(1, -1)}]*${word})?$`).test(text);
  return { markdown: code ? `\`${text}\`` : markdownText(text) };
}

/** mapc's own Markdown (fixed feature names, the ECS version), never map text. */
export function ownMarkdown(text: string): MarkdownCode {
  return { markdown: text };
}

/**
 * A README line: the template's literal parts are mapc's Markdown, every interpolated string
 * (map or operator text) goes through {@link markdownText} (targets/shared/prose.ts).
 */
export function md(
  strings: TemplateStringsArray,
  ...values: readonly (string | number | MarkdownCode)[]
): MarkdownLine {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += (typeof v === 'object' ? v.markdown : markdownText(String(v))) + (strings[i + 1] ?? '');
  });
  return out as MarkdownLine;
}

/**
 * `pipelines.yml` (js-yaml). Logstash substitutes `${NAME}` in it and reads `path.config` as a glob
 * (`*`, `?`, `[...]`, `{a,b}`), so ids and paths are limited to letters, digits and `_ . / -`.
 * @throws TargetRefusal E0602
 */
export function pipelinesYaml(entries: readonly { readonly id: string; readonly path: string }[], at: At): YamlText {
  for (const e of entries) {
    for (const text of [e.id, e.path]) {
      if (!/^[A-Za-z0-9_./-]+$/.test(text))
        refuse(
          at,
          'E0602',
          `${show(text)} cannot be a Logstash pipeline id or path.config (letters, digits and _ . / - only)`,
          NOTES.portable,
        );
    }
  }
  return yaml.dump(
    entries.map((e) => ({ 'pipeline.id': e.id, 'path.config': e.path })),
    { lineWidth: -1 },
  ) as YamlText;
}
