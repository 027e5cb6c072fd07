/**
 * The Elastic target's quoting table: the only way map text (titles, URLs, header and query
 * names and values, body strings, field-path segments, constants, lookup values, date patterns)
 * reaches a file of the integration package. One function per output context, each returning a
 * branded string that only this module makes, in the spirit of Go's `html/template`: an emitter
 * that takes a {@link CelExpr} or a {@link MustacheTemplate} cannot be handed raw map text by
 * accident.
 *
 * | context | function | read back by |
 * |---|---|---|
 * | CEL string literal in the program | {@link celString} | mito / cel-go |
 * | CEL line comment in the program | {@link celComment} | (prose, lossy) |
 * | the whole program inside `cel.yml.hbs` | {@link celProgram} (a check) | Handlebars, Fleet, YAML, Elastic Agent |
 * | YAML scalar of `cel.yml.hbs` (an Agent policy value) | {@link policyString} | Handlebars, Fleet, YAML, Elastic Agent |
 * | Painless string literal (ingest `if`) | {@link painlessString} | lang-painless |
 * | Java regex inside a Painless regex literal | {@link painlessRegexText} | lang-painless, `java.util.regex` |
 * | ingest Mustache template (`set`/`append` `value` and `field`, `remove` `field`, `fail` `message`) | {@link mustacheText} | Elasticsearch ingest |
 * | `date` processor format | {@link javaDatePattern} | Elasticsearch `DateFormatter` |
 * | any string of the ingest pipeline file | {@link ingestString} (a check) | Fleet pipeline install |
 * | YAML files built from objects | `toYaml` in `./index.ts` (js-yaml `dump`) | js-yaml |
 * | Markdown (`docs/README.md`) | {@link markdownInline}, {@link markdownCode} (on `markdownText`, `../shared/prose.ts`) | CommonMark |
 *
 * What a context cannot carry is refused: the function throws {@link Unquotable}, which the
 * nearest {@link located} call turns into a {@link TargetRefusal} (E0403) at the IR node's span,
 * and the backend's `emit` turns into a diagnostic. Every function is total: on any input it
 * returns text that the reader reads back exactly, or it refuses.
 *
 * @module
 */
import {
  codePointRuns,
  isAlnum,
  kvExcluded,
  renderRegex,
  type DatePatternIR,
  type ParsedRegex,
} from '../../compiler/ir.ts';
import type { Span } from '../../dsl/diagnostics.ts';
import { TargetRefusal } from '../contract.ts';
import { jodaPattern } from '../shared/joda-pattern.ts';
import { commentText, markdownText } from '../shared/prose.ts';

/** A CEL expression of type string: a double-quoted CEL string literal. */
export type CelExpr = string & { readonly __brand: 'CelExpr' };
/** Text safe as the body of a `//` line comment of the CEL program inside `cel.yml.hbs`. */
export type CelComment = string & { readonly __brand: 'CelComment' };
/** A whole CEL program, checked safe to embed in the `program: |` block of `cel.yml.hbs`. */
export type CelProgram = string & { readonly __brand: 'CelProgram' };
/** A double-quoted YAML scalar for `cel.yml.hbs` whose value reaches the Elastic Agent policy as is. */
export type YamlScalar = string & { readonly __brand: 'YamlScalar' };
/** A Painless single-quoted string literal. */
export type PainlessExpr = string & { readonly __brand: 'PainlessExpr' };
/** Java regex text safe between the slashes of a Painless regex literal. */
export type PainlessRegex = string & { readonly __brand: 'PainlessRegex' };
/** An ingest processor template (Mustache) that renders exactly one given text. */
export type MustacheTemplate = string & { readonly __brand: 'MustacheTemplate' };
/** Inline Markdown (CommonMark) showing a text as written, in a paragraph or a table cell. */
export type MarkdownInline = string & { readonly __brand: 'MarkdownInline' };
/** An Elasticsearch `date` processor format (Java `DateTimeFormatter` pattern). */
export type JavaDatePattern = string & { readonly __brand: 'JavaDatePattern' };
/** A string value of the ingest pipeline file, checked against Fleet's install-time rewriting. */
export type IngestString = string & { readonly __brand: 'IngestString' };
/** A `java.util.regex.Pattern` that matches exactly one literal text (a `split` separator). */
export type JavaLiteralRegex = string & { readonly __brand: 'JavaLiteralRegex' };

/**
 * Map text a context cannot carry. Thrown by the quoting functions (which do not know where the
 * text came from); {@link located} turns it into a {@link TargetRefusal} at the IR node's span.
 */
export class Unquotable extends Error {
  /** The output context, e.g. `a CEL string`. */
  readonly context: string;
  readonly notes: readonly string[];
  constructor(context: string, reason: string, notes: readonly string[] = []) {
    super(`text cannot be carried safely into ${context}: ${reason}`);
    this.name = 'Unquotable';
    this.context = context;
    this.notes = notes;
  }

  /** This refusal at `span` (E0403). */
  at(span: Span): TargetRefusal {
    return new TargetRefusal('E0403', this.message, span, `cannot be quoted for ${this.context}`, this.notes);
  }
}

/**
 * Runs `build`; an {@link Unquotable} thrown inside becomes a {@link TargetRefusal} at `span`
 * (innermost call wins). Without a span, `build` runs as is (an outer call locates the refusal).
 */
export function located<T>(span: Span | undefined, build: () => T): T {
  if (span === undefined) return build();
  try {
    return build();
  } catch (e) {
    if (e instanceof Unquotable) throw e.at(span);
    throw e;
  }
}

/** Whether a code point (as JavaScript's string iterator yields it) is a lone surrogate. */
function isLoneSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

function refuseLoneSurrogate(text: string, context: string): void {
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (isLoneSurrogate(cp)) {
      throw new Unquotable(context, `the lone surrogate U+${hex(cp, 4)} is not a Unicode scalar value`, [
        'note: a UTF-8 file (and every engine reading it) can only carry Unicode scalar values',
      ]);
    }
  }
}

const hex = (cp: number, width: number): string => cp.toString(16).toUpperCase().padStart(width, '0');

// ---------------------------------------------------------------------------------------------
// CEL (the program of agent/stream/cel.yml.hbs)
// ---------------------------------------------------------------------------------------------

/**
 * A CEL double-quoted string literal whose value is exactly `text`, written in printable ASCII
 * only: `"` and `\` escaped, a `{` that follows `{` or `$` as `\x7B` (so that no Handlebars `{{`
 * and no Elastic Agent `${` can appear in the program, whatever the map says; a literal is
 * enclosed in `"`, so no brace outside it can pair with one inside), other non-printable or
 * non-ASCII characters as `\xHH`, `\uHHHH` or `\UHHHHHHHH` escapes (CEL language definition,
 * "String and Bytes Literals": https://github.com/google/cel-spec/blob/v0.24.0/doc/langdef.md#string-and-bytes-literals).
 *
 * @throws Unquotable for a lone surrogate (cel-go rejects `\uD800`: "invalid unicode code point").
 */
export function celString(text: string): CelExpr {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '{' && (out.endsWith('{') || out.endsWith('$'))) out += '\\x7B';
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
    else if (isLoneSurrogate(cp)) refuseLoneSurrogate(ch, 'a CEL string');
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"` as CelExpr;
}

/**
 * `text` as the body of a `//` comment of the CEL program: {@link commentText} (one line, no
 * `$ { } % \`), and no `"` either, because Fleet rewrites every `"..."` span of the rendered
 * template that contains a line break, and a lone `"` in a comment would pair with the next
 * string literal of the program (Kibana `x-pack/platform/plugins/shared/fleet/server/services/epm/agent/agent.ts`,
 * `compileTemplate`).
 */
export function celComment(text: string, maxLength?: number): CelComment {
  return commentText(text, maxLength).replace(/"/g, '?') as CelComment;
}

/**
 * Fleet's rewriting of double-quoted spans in the rendered template (Kibana
 * `x-pack/platform/plugins/shared/fleet/server/services/epm/agent/agent.ts`, `compileTemplate`):
 * a `"..."` span holding a line break has its line breaks replaced.
 */
export const FLEET_QUOTED_SPAN = /"(?:[^"\\]|\\.)*"/gs;

/**
 * Checks the whole CEL program text before it goes into `program: |` of `cel.yml.hbs`: no
 * Handlebars `{{`, no Elastic Agent variable `${` (the Agent substitutes `${...}` in every string
 * of the policy: elastic/elastic-agent `internal/pkg/agent/transpiler/vars.go`, `varsRegex`), no
 * line break but `\n`, only printable characters (YAML 1.2 §5.1 "Character Set"), and no
 * double-quoted span that Fleet would rewrite ({@link FLEET_QUOTED_SPAN}). Map text reaches the
 * program only through {@link celString} and {@link celComment}, which cannot produce any of
 * these; a program that fails the check is a bug in the emitter, reported as such.
 *
 * @throws Error (an internal error, not a refusal) naming the first violation.
 */
export function celProgram(text: string): CelProgram {
  const problem = programProblem(text);
  if (problem) throw new Error(`internal error: the generated CEL program ${problem}`);
  return text as CelProgram;
}

function programProblem(text: string): string | undefined {
  if (text.includes('{{')) return 'contains a Handlebars opener {{';
  if (text.includes('${')) return 'contains an Elastic Agent variable ${';
  if (/[^\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]|[\u2028\u2029\ufeff]/u.test(text)) {
    return 'contains a character YAML or the template cannot carry';
  }
  for (const m of text.matchAll(FLEET_QUOTED_SPAN)) {
    if (m[0].includes('\n')) return 'has a double-quoted span across lines, which Fleet would rewrite';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// YAML of agent/stream/cel.yml.hbs (Handlebars, then YAML, then the Elastic Agent)
// ---------------------------------------------------------------------------------------------

/**
 * A double-quoted YAML scalar for `cel.yml.hbs` whose value, after Fleet renders the template
 * (Handlebars, then YAML), is exactly `text`, and which the Elastic Agent passes on unchanged.
 * Printable ASCII only: `"` and `\` escaped, `{`/`}` as `\x7B`/`\x7D` (no Handlebars `{{` can
 * form, not even next to a template expression), everything else as `\xHH`, `\uHHHH` or
 * `\UHHHHHHHH` (YAML 1.2 §5.7 "Escaped Characters": https://yaml.org/spec/1.2.2/#57-escaped-characters).
 *
 * @throws Unquotable for a lone surrogate, and for `${` anywhere in the value: the Elastic Agent
 *   substitutes `${...}` (and unescapes `$${...}`) in every string of the policy
 *   (elastic/elastic-agent `internal/pkg/agent/transpiler/vars.go`, `varsRegex`, `replaceVars`),
 *   and a value that does not name a variable stops the input.
 */
export function policyString(text: string): YamlScalar {
  if (text.includes('${')) {
    throw new Unquotable('the Elastic Agent policy', 'the Agent reads `${` as a variable reference', [
      'note: Elastic Agent substitutes ${...} in every string of its policy (and turns $${ into ${)',
    ]);
  }
  return `"${yamlEscaped(text, 'the Elastic Agent policy')}"` as YamlScalar;
}

/**
 * The inside of a YAML double-quoted scalar for `text`: printable ASCII, braces escaped, and a
 * backslash as `\x5C` (never `\\`), so no backslash of the text can stand before a Handlebars
 * `{{` of the template (Handlebars reads `\\{{x}}` as a backslash and a live expression).
 */
function yamlEscaped(text: string, context: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\x5C';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (cp >= 0x20 && cp < 0x7f && ch !== '{' && ch !== '}') out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (isLoneSurrogate(cp)) refuseLoneSurrogate(ch, context);
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out;
}

/**
 * The default of a Fleet variable (`manifest.yml`), which Fleet renders into `cel.yml.hbs` through
 * `escape_string` when the operator keeps it. Fleet then rewrites every double-quoted span of the
 * rendered template that holds a line break ({@link FLEET_QUOTED_SPAN}), so a `"` in the value
 * would pair with the next `"` of the template and rewrite the lines between (the config no
 * longer loads): refused, like a lone surrogate.
 *
 * @throws Unquotable for a `"` or a lone surrogate.
 */
export function fleetDefault(text: string): string {
  refuseLoneSurrogate(text, 'a Fleet variable default');
  if (text.includes('"')) {
    throw new Unquotable('a Fleet variable default', 'Fleet rewrites the rendered policy from a `"` to the next one', [
      'note: Fleet replaces the line breaks of every double-quoted span of the rendered cel.yml.hbs (Kibana fleet `compileTemplate`)',
      'help: leave the quote out of the default; the operator can still enter any value',
    ]);
  }
  return text;
}

/** One piece of a {@link policyTemplate}: map text, or a Fleet variable rendered by Handlebars. */
export type PolicyPart = { readonly text: string } | { readonly variable: string };

/** Fleet variable names: a setting's or secret's name (`compiler/check/names.ts` identifiers). */
const FLEET_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A double-quoted YAML scalar mixing map text (quoted as in {@link policyString}) with Fleet
 * variables `{{name}}`, e.g. an OAuth2 token URL `"{{base_url}}/oauth/token"`. The variables'
 * values are the operator's (a URL setting); map text around them can neither open a Handlebars
 * expression nor end the scalar.
 *
 * @throws Unquotable as {@link policyString}; Error for a variable name that is not an identifier (a bug).
 */
export function policyTemplate(parts: readonly PolicyPart[]): YamlScalar {
  let out = '"';
  for (const p of parts) {
    if ('text' in p) out += policyString(p.text).slice(1, -1);
    else {
      if (!FLEET_VARIABLE.test(p.variable)) throw new Error(`internal error: Fleet variable name ${p.variable}`);
      out += `{{${p.variable}}}`;
    }
  }
  return `${out}"` as YamlScalar;
}

// ---------------------------------------------------------------------------------------------
// Ingest pipeline: Painless, Mustache, date formats, Fleet's pipeline rewriting
// ---------------------------------------------------------------------------------------------

/**
 * Fleet rewrites `{{ IngestPipeline "name" }}` and `{< IngestPipeline "name" >}` in the raw text
 * of a package's pipeline files into installed pipeline names before parsing them (Kibana
 * `x-pack/platform/plugins/shared/fleet/server/services/epm/elasticsearch/ingest_pipeline/helpers.ts`,
 * `rewriteIngestPipeline`). Text that could start such a reference is refused wherever it would
 * land in `default.yml`; the YAML writer never adds `{`, so checking the value is enough.
 */
const FLEET_PIPELINE_REFERENCE = /\{[{<]\s?IngestPipeline/;

/**
 * Checks a string that goes into the ingest pipeline file as is (a script parameter, a field
 * name read with `copy_from`, a description): a Unicode scalar value sequence, and no Fleet
 * pipeline reference ({@link FLEET_PIPELINE_REFERENCE}).
 *
 * @throws Unquotable otherwise.
 */
export function ingestString(text: string): IngestString {
  refuseLoneSurrogate(text, 'the ingest pipeline');
  if (FLEET_PIPELINE_REFERENCE.test(text)) {
    throw new Unquotable('the ingest pipeline', 'Fleet rewrites `{{ IngestPipeline ... }}` in pipeline files', [
      'note: Fleet replaces {{ IngestPipeline "name" }} and {< IngestPipeline "name" >} with installed pipeline names when it installs the package',
    ]);
  }
  return text as IngestString;
}

/**
 * A Painless single-quoted string literal whose value is exactly `text`: `\` and `'` escaped
 * with a backslash, the only two escapes of Painless strings ("The only valid escape sequences
 * in strings starting with ['] are [\\] and [\']", lang-painless `Walker`; Painless reference,
 * "String literals": https://www.elastic.co/guide/en/elasticsearch/painless/8.17/painless-literals.html).
 * Every other character, line breaks included, stands for itself.
 *
 * @throws Unquotable as {@link ingestString}.
 */
export function painlessString(text: string): PainlessExpr {
  ingestString(text);
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` as PainlessExpr;
}

/**
 * Java regex text (already escaped for `java.util.regex.Pattern`) made safe between the slashes
 * of a Painless regex literal: `/` as `\/` and a line feed as `\n` (the literal ends at an
 * unescaped `/` and cannot hold a line feed: lang-painless `PainlessLexer.g4`, token `REGEX`).
 * Both escapes mean the same character to `Pattern`.
 *
 * @throws Unquotable as {@link ingestString}, and for the empty regex (`//` is no literal).
 */
export function painlessRegexText(regex: string): PainlessRegex {
  ingestString(regex);
  if (regex === '') throw new Unquotable('a Painless regex', 'a Painless regex literal cannot be empty');
  return regex.replace(/\//g, '\\/').replace(/\n/g, '\\n') as PainlessRegex;
}

/**
 * A Java regex (`java.util.regex.Pattern`, no flags) matching exactly `text`: every ASCII
 * character other than a letter or digit is escaped with a backslash ("A backslash may be used
 * prior to a non-alphabetic character regardless of whether that character is part of an
 * unescaped construct", https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/util/regex/Pattern.html#bs),
 * letters, digits and non-ASCII characters stand for themselves (none is a metacharacter; a
 * backslash before a letter or digit would be an escape or a backreference). Not `\Q...\E`, which
 * the text itself could end. For options read as a plain regex, never as Mustache (the `split`
 * processor's `separator`).
 *
 * @throws Unquotable as {@link ingestString}.
 */
export function javaLiteralRegex(text: string): JavaLiteralRegex {
  const out = text.replace(/[\x20-\x7e]/g, (c) => (/[A-Za-z0-9]/.test(c) ? c : `\\${c}`));
  ingestString(out);
  return out as JavaLiteralRegex;
}

/**
 * The Java regex (for `==~`, a whole-string match) of the text a `kv` transform accepts
 * (`TransformIR` in `compiler/ir.ts`): `K+ V W+ (F K+ V W+)*` with the key and value classes
 * written as negated classes of `\x{H}` code points ({@link kvExcluded}) and the separators' characters
 * as `\x{H}` too, so no map text reaches the regex as it is. Linear: a key class excludes the value separator's
 * characters and a value class the field separator's, so every character has one reading.
 */
export function javaKvShape(t: { readonly fieldSeparator: string; readonly valueSeparator: string }): string {
  const excluded = kvExcluded(t);
  const hex = (c: number): string => `\\x{${c.toString(16)}}`;
  const cls = (codes: readonly number[]): string =>
    `[^${codePointRuns(codes)
      .map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`))
      .join('')}]`;
  const literal = (text: string): string => [...text].map((c) => hex(c.codePointAt(0)!)).join('');
  const pair = `${cls(excluded.key)}+${literal(t.valueSeparator)}${cls(excluded.value)}+`;
  const shape = `${pair}(?:${literal(t.fieldSeparator)}${pair})*`;
  ingestString(shape);
  return shape;
}

/** A grok expression and its pattern definitions, written by {@link grokExtract}. */
export interface GrokExtract {
  /** The `patterns` entry: the regex with `%{NAME:field}` where each capturing group is. */
  readonly pattern: IngestString;
  /** The `pattern_definitions`: each capturing group's body under its `NAME`. */
  readonly definitions: Readonly<Record<string, IngestString>>;
}

const onigHex = (cp: number): string => `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;

/** Joni (Ruby syntax): ASCII letters, digits and space as themselves, other ASCII as `\xHH`, non-ASCII as the UTF-8 character. */
function onigChar(cp: number): string {
  if (isAlnum(cp) || cp === 0x20 || cp > 0x7f) return String.fromCodePoint(cp);
  return onigHex(cp);
}

/**
 * An `extract` pattern (`dsl/regex.ts`) as a grok expression of the ingest `grok` processor, which
 * compiles it with Joni, Oniguruma's Java port, in its default Ruby syntax on the UTF-8 bytes
 * (opensearch-project/OpenSearch `libs/grok/src/main/java/org/opensearch/grok/Grok.java`:
 * `new Regex(bytes, 0, length, Option.DEFAULT, UTF8Encoding.INSTANCE, ...)`, searched anywhere
 * with `matcher.search`). Per construct: `^ $` as `\A \z` (Ruby's `^ $` are line anchors);
 * `.` as `[^\n]`; classes as written from their ranges; ASCII punctuation and controls as `\xHH`
 * (so neither grok's `%{` nor Fleet's `{{` can appear, and no character is a metacharacter);
 * non-ASCII characters as themselves. Each capturing group becomes `%{NAME:field}` with the
 * group's body as the definition `NAME` (`toRegex` turns it into the named group
 * `(?<NAME:field>...)`, whose capture grok writes to `field`): the unnamed group's to `field`,
 * a named group's to `field.name` (names are ASCII word characters, `dsl/regex.ts`).
 *
 * @throws Unquotable as {@link ingestString}.
 */
export function grokExtract(regex: ParsedRegex, prefix: string, field: string): GrokExtract {
  const definitions: Record<string, IngestString> = {};
  const pattern = renderRegex(regex, {
    char: onigChar,
    classChar: onigChar,
    any: '[^\\n]',
    start: '\\A',
    end: '\\z',
    capture: (body, name) => {
      const key = name === undefined ? prefix : `${prefix}_${Object.keys(definitions).length}`;
      definitions[key] = ingestString(body);
      return `%{${key}:${name === undefined ? field : `${field}.${name}`}}`;
    },
  });
  return { pattern: ingestString(pattern), definitions };
}

/**
 * An ingest template (Mustache) that renders exactly `text`. Elasticsearch compiles a
 * processor's template option as Mustache only when it contains `{{` (elastic/elasticsearch
 * `server/src/main/java/org/elasticsearch/ingest/ValueSource.java` `wrap` and
 * `ConfigurationUtils.compileTemplate`, commit 08b9142151263fdfc1b24c52746dd7d9165261b5), so
 * text without `{{` is itself. Otherwise a Mustache *set delimiter* tag is put right before the
 * first `{{` (so it is never a standalone line): `a{{b` becomes `a{{=<% %>=}}{{b`, with a
 * two-character open delimiter that does not occur in the rest of the text, which Mustache then
 * copies literally (Mustache spec, "Set Delimiter": https://github.com/mustache/spec/blob/v1.4.2/specs/delimiters.yml).
 * Two characters, because mustache.java (the engine of Elasticsearch's `lang-mustache`) matches
 * only the first two characters of a delimiter: with `<%%`, the text `<% %>` was still read as
 * a tag on OpenSearch 2.19.
 *
 * @throws Unquotable as {@link ingestString}, and for text so long that every candidate
 *   delimiter occurs in it (over a million characters).
 */
export function mustacheText(text: string): MustacheTemplate {
  ingestString(text);
  const first = text.indexOf('{{');
  if (first < 0) return text as MustacheTemplate;
  const rest = text.slice(first);
  return `${text.slice(0, first)}{{=${freshDelimiter(rest)} %>=}}${rest}` as MustacheTemplate;
}

/**
 * A two-UTF-16-unit Mustache open delimiter absent from `text`: `<%` when possible, else the
 * first free pair of a printable ASCII (or CJK) unit and a printable ASCII unit, never `=`,
 * braces or whitespace (which would end the set-delimiter tag). A text of n units holds at
 * most n - 1 pairs, so one of the candidates is free for any text shorter than the pool.
 */
function freshDelimiter(text: string): string {
  const used = new Set<string>();
  for (let i = 0; i + 1 < text.length; i++) used.add(text.slice(i, i + 2));
  if (!used.has('<%')) return '<%';
  const ok = (u: number): boolean => u !== 0x3d && u !== 0x7b && u !== 0x7d;
  const seconds: number[] = [];
  for (let u = 0x21; u <= 0x7e; u++) if (ok(u)) seconds.push(u);
  const firsts = [...seconds];
  for (let u = 0x4e00; u <= 0x9fff; u++) firsts.push(u);
  for (const a of firsts) {
    for (const b of seconds) {
      const candidate = String.fromCharCode(a, b);
      if (!used.has(candidate)) return candidate;
    }
  }
  throw new Unquotable('an ingest template', 'the text is too long for a Mustache delimiter to be chosen');
}

/**
 * The `date` processor format for an IR date pattern: its tokens as a Java pattern
 * (`targets/shared/joda-pattern.ts`, so `dd/MM/yyyy` is unchanged), checked for what this
 * processor alone would misread.
 *
 * @throws Unquotable for `||`, which Elasticsearch reads as a separator between formats
 *   (elastic/elasticsearch `DateFormatter.forPattern` → `splitCombinedPatterns`), and as {@link ingestString}.
 */
export function javaDatePattern(pattern: DatePatternIR): JavaDatePattern {
  const out = jodaPattern(pattern);
  ingestString(out);
  if (out.includes('||')) {
    throw new Unquotable('an Elasticsearch date format', 'Elasticsearch splits a date format at `||`');
  }
  return out as JavaDatePattern;
}

// ---------------------------------------------------------------------------------------------
// Field declarations (fields/*.yml)
// ---------------------------------------------------------------------------------------------

/**
 * A segment of a field name the package specification accepts in `fields/*.yml` (package-spec
 * 3.5 `spec/integration/data_stream/fields/fields.spec.yml`, `name` pattern
 * `^[\-*_\/@A-Za-z0-9]+(\.[\-*_\/@A-Za-z0-9]+)*$`), without `*`, which names a pattern of
 * fields (as in `labels.*`) rather than one field.
 */
const FIELD_NAME_SEGMENT = /^[-_/@A-Za-z0-9]+$/;

/**
 * The dotted `name` of a field declared in `fields/*.yml` for `path`.
 *
 * @throws Unquotable for a segment outside {@link FIELD_NAME_SEGMENT}: the package would not
 *   validate (or would declare a field pattern).
 */
/** Whether every segment of `path` is one a fields.yml name may have ({@link FIELD_NAME_SEGMENT}). */
export function isFieldsName(path: readonly string[]): boolean {
  return path.every((segment) => FIELD_NAME_SEGMENT.test(segment));
}

export function fieldsName(path: readonly string[]): string {
  const bad = path.find((segment) => !FIELD_NAME_SEGMENT.test(segment));
  if (bad !== undefined) {
    throw new Unquotable(
      'a field declaration (fields.yml)',
      `the segment ${JSON.stringify(commentText(bad, 40))} is not a field name the package specification accepts`,
      ['note: package-spec field names are made of A-Z a-z 0-9 - _ / @ (and * for a pattern of fields)'],
    );
  }
  return path.join('.');
}

// ---------------------------------------------------------------------------------------------
// Markdown (docs/README.md)
// ---------------------------------------------------------------------------------------------

/**
 * Text a code span shows as is: no backtick, pipe, backslash, angle bracket, space or control;
 * no brace, `$` or `%` either (template syntax of the tools that may copy the README).
 */
const CODE_SPAN_SAFE = /^[A-Za-z0-9_.@/:+=,;#&*!?~^()[\]'"-]+$/;

/**
 * `text` for the README as a code span when it is a plain name, path or value (`` `api_key` ``,
 * `` `endor_labs.audit` ``, `` `5m` ``), otherwise as escaped inline text ({@link markdownText}):
 * either way CommonMark shows exactly the text (a code span shows its content literally; the
 * kept characters cannot end it, split a table cell or start HTML).
 */
export function markdownCode(text: string): MarkdownInline {
  return (CODE_SPAN_SAFE.test(text) ? `\`${text}\`` : markdownText(text)) as MarkdownInline;
}

/**
 * `text` as escaped inline Markdown ({@link markdownText}, `../shared/prose.ts`) without leading
 * or trailing blanks: at the start of a line four spaces would open an indented code block, and
 * CommonMark drops a paragraph's or a table cell's outer blanks anyway, so nothing shown is lost.
 */
export function markdownInline(text: string): MarkdownInline {
  return markdownText(text).replace(/^[ \t]+|[ \t]+$/g, '') as MarkdownInline;
}
