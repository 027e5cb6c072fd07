/**
 * The ingest processors mapc emits, each written from its Elasticsearch reference page
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/<name>-processor.html), plus the
 * pipeline execution model (`if`, `on_failure`, `ignore_failure`, pipeline `on_failure`).
 * An option or processor mapc does not emit is rejected, never ignored.
 *
 * @module
 */
import * as doc from './document.ts';
import { IngestError, isMap, typeName, type Json, type JsonMap } from './document.ts';
import { evalCondition, isReport, PainlessError, runReport, SCRIPTS } from './painless.ts';
import { formatDate, parseDate } from './dates.ts';
import { onigToJs } from '../shared/onig.ts';
import { geoipProcessor } from './geoip.ts';
import { userAgentProcessor } from './user-agent.ts';

type Options = Record<string, unknown>;

/** A processor failure (the Java exception a processor throws). */
export class ProcessorError extends Error {
  constructor(
    message: string,
    readonly type: string,
    readonly tag: string | undefined,
  ) {
    super(message);
  }
}

function allow(type: string, options: Options, known: readonly string[]): void {
  const common = ['tag', 'if', 'on_failure', 'ignore_failure', 'description'];
  for (const key of Object.keys(options)) {
    if (!common.includes(key) && !known.includes(key))
      throw new Error(`evaluator: ${type} option ${key} is not supported`);
  }
}

const str = (o: Options, k: string): string => {
  const v = o[k];
  if (typeof v !== 'string') throw new Error(`evaluator: option ${k} must be a string`);
  return v;
};
const bool = (o: Options, k: string, dflt: boolean): boolean => (o[k] === undefined ? dflt : (o[k] as boolean));

/**
 * Mustache template snippets (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/ingest.html#template-snippets):
 * a string without `{{` is a constant (elastic/elasticsearch `ValueSource.wrap`); otherwise text
 * is copied, `{{{field}}}` renders a document or `_ingest` metadata field unescaped (a missing
 * field renders empty), and a set-delimiter tag `{{=<open> <close>=}}` changes the delimiters
 * (Mustache spec, "Set Delimiter": https://github.com/mustache/spec/blob/v1.4.2/specs/delimiters.yml);
 * with other delimiters only further set-delimiter tags are supported. Any other tag is rejected.
 */
export function renderTemplate(template: string, ctx: JsonMap, ingest: JsonMap): string {
  if (!template.includes('{{')) return template;
  let open = '{{';
  let close = '}}';
  let out = '';
  let i = 0;
  while (i < template.length) {
    const at = template.indexOf(open, i);
    if (at < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, at);
    const start = at + open.length;
    if (template[start] === '=') {
      const end = template.indexOf(`=${close}`, start + 1);
      if (end < 0) throw new Error(`evaluator: unclosed set-delimiter tag in ${template}`);
      const delimiters = template
        .slice(start + 1, end)
        .trim()
        .split(/\s+/);
      if (delimiters.length !== 2) throw new Error(`evaluator: bad set-delimiter tag in ${template}`);
      i = end + 1 + close.length;
      [open, close] = delimiters as [string, string];
      continue;
    }
    if (open === '{{' && template[start] === '{') {
      const end = template.indexOf('}}}', start);
      const name = end < 0 ? '' : template.slice(start + 1, end).trim();
      if (!/^[^{}\s]+$/.test(name)) throw new Error(`evaluator: unsupported template ${template}`);
      const root: JsonMap = { ...ctx, _ingest: ingest };
      const v = doc.has(root, name) ? doc.get(root, name) : null;
      out += v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
      i = end + 3;
      continue;
    }
    throw new Error(`evaluator: unsupported template ${template}`);
  }
  return out;
}

/** Elasticsearch `InetAddresses.isInetAddress`: dotted-quad IPv4 (no leading zeros) or RFC 4291 IPv6 text, with an optional `%zone`. */
export function isInetAddress(text: string): boolean {
  const zoneless = text.includes('%') ? text.slice(0, text.indexOf('%')) : text;
  if (text.includes('%') && (text.indexOf('%') === text.length - 1 || !zoneless.includes(':'))) return false;
  return isV4(zoneless) || isV6(zoneless);
}
function isV4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}
function isV6(s: string): boolean {
  if (!s.includes(':')) return false;
  let groups = s.split(':');
  let v4Groups = 0;
  const last = groups.at(-1)!;
  if (last.includes('.')) {
    if (!isV4(last)) return false;
    groups = groups.slice(0, -1);
    groups.push('0', '0');
    v4Groups = 2;
  }
  void v4Groups;
  const text = groups.join(':');
  const double = text.split('::');
  if (double.length > 2) return false;
  const hex = (g: string): boolean => /^[0-9A-Fa-f]{1,4}$/.test(g);
  if (double.length === 2) {
    const left = double[0] === '' ? [] : double[0]!.split(':');
    const right = double[1] === '' ? [] : double[1]!.split(':');
    return [...left, ...right].every(hex) && left.length + right.length <= 7;
  }
  return groups.length === 8 && groups.every(hex);
}

/** The map a field path addresses: ingest metadata for `_ingest.<path>`, else the document. */
function inDocument(ctx: JsonMap, ingest: JsonMap, path: string): [JsonMap, string] {
  return path.startsWith('_ingest.') ? [ingest, path.slice('_ingest.'.length)] : [ctx, path];
}

/** The `convert` processor's per-value conversion (`ConvertProcessor.Type`). */
function convertValue(value: Json, type: string): Json {
  const text = typeof value === 'string' ? value : String(value);
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : text;
    case 'long': {
      // Long.parseLong, or Long.decode for a 0x-prefixed string.
      if (/^-?0x[0-9A-Fa-f]+$/.test(text)) return Number.parseInt(text.replace('0x', ''), 16);
      if (!/^[+-]?[0-9]+$/.test(text)) throw new IngestError(`unable to convert [${text}] to long`);
      const n = BigInt(text);
      if (n > 9223372036854775807n || n < -9223372036854775808n)
        throw new IngestError(`unable to convert [${text}] to long`);
      return Number(n);
    }
    case 'double': {
      // Double.parseDouble: decimal or scientific notation, also NaN/Infinity and surrounding whitespace.
      const t = text.trim();
      if (!/^[+-]?(NaN|Infinity|([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[dDfF]?)$/.test(t))
        throw new IngestError(`unable to convert [${text}] to double`);
      return Number(t.replace(/[dDfF]$/, ''));
    }
    case 'boolean':
      if (text.toLowerCase() === 'true') return true;
      if (text.toLowerCase() === 'false') return false;
      throw new IngestError(`[${text}] is not a boolean value, cannot convert to boolean`);
    case 'ip':
      if (isInetAddress(text)) return text;
      throw new IngestError(`'${text}' is not an IP string literal.`);
    default:
      throw new Error(`evaluator: convert type ${type} is not supported`);
  }
}

/** `AbstractStringProcessor`: a String, or each String of a List; anything else fails. */
function mapStrings(ctx: JsonMap, o: Options, type: string, fn: (s: string) => string): void {
  const field = str(o, 'field');
  const ignoreMissing = bool(o, 'ignore_missing', false);
  const value = doc.has(ctx, field) ? doc.get(ctx, field) : undefined;
  if (value === undefined || value === null) {
    if (ignoreMissing) return;
    throw new IngestError(`field [${field}] is null or missing, cannot apply ${type}`);
  }
  const target = typeof o['target_field'] === 'string' ? (o['target_field'] as string) : field;
  const one = (v: Json): string => {
    if (typeof v !== 'string')
      throw new IngestError(`field [${field}] of type [${typeName(v)}] cannot be cast to [java.lang.String]`);
    return fn(v);
  };
  doc.set(ctx, target, Array.isArray(value) ? value.map(one) : one(value));
}

type Exec = (ctx: JsonMap, o: Options, ingest: JsonMap) => void;

/**
 * The text a Java regex of mapc's literal form matches (`targets/elastic/quote.ts`
 * `javaLiteralRegex`: every ASCII character but letters and digits escaped with a backslash).
 * @throws Error for any other regex (outside what the evaluator models).
 */
function literalOfRegex(regex: string): string {
  let out = '';
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i]!;
    if (c === '\\') {
      const next = regex[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next) || next > '\x7e')
        throw new Error(`evaluator: regex ${regex} is not a quoted literal`);
      out += next;
      i++;
    } else if (c <= '\x7e' && !/[A-Za-z0-9]/.test(c)) {
      throw new Error(`evaluator: regex ${regex} is not a quoted literal`);
    } else out += c;
  }
  return out;
}

/**
 * Java `String.replaceAll` for the two pattern shapes mapc emits, checked here: the mask
 * (`^(?:([\s\S]{K})[\s\S]{K+1,}|[\s\S]{0,2K})$` → `$1********`), and a
 * single literal character (no regex metacharacter) replaced by a literal text without `$`/`\\`.
 */
function gsub(pattern: string, replacement: string): (s: string) => string {
  if ([...pattern].length === 1 && !/[\\^$.|?*+()[\]{}]/.test(pattern) && !/[$\\]/.test(replacement)) {
    return (s) => s.split(pattern).join(replacement);
  }
  const shape = /^\^\(\?:\(\[\\s\\S\]\{([0-9]+)\}\)\[\\s\\S\]\{([0-9]+),\}\|\[\\s\\S\]\{0,([0-9]+)\}\)\$$/.exec(
    pattern,
  );
  const keep = Number(shape?.[1]);
  if (!shape || Number(shape[2]) !== keep + 1 || Number(shape[3]) !== 2 * keep || replacement !== '$1********') {
    throw new Error(`evaluator: gsub pattern ${pattern} is outside the mask subset`);
  }
  // Java regex classes match code points, like the `u` flag; `[\s\S]` is every character in both.
  // Both alternatives consume the whole input, where Java's `$` and JavaScript's agree. An
  // unmatched group expands to "" in Java (`Matcher.appendReplacement`) and in JavaScript alike.
  const re = new RegExp(pattern, 'gu');
  return (s) => s.replace(re, replacement);
}

/**
 * What the `terminate` processor raises: no further processor of the pipeline runs and the
 * document is indexed as it is (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/terminate-processor.html;
 * Elasticsearch 8.16.0 and later). Not an {@link IngestError}: no `on_failure` handles it.
 */
class Terminated extends Error {}

export const PROCESSORS: Record<string, Exec> = {
  terminate(_ctx, o) {
    allow('terminate', o, []);
    throw new Terminated('terminate');
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/set-processor.html
  // `field` (a template), `value` (templated when a string; each string of a list templated, as
  // Elasticsearch's ValueSource.wrap wraps a List element by element:
  // server/src/main/java/org/elasticsearch/ingest/ValueSource.java; OpenSearch 2.19 alike, checked
  // with `_simulate` by test/agreement/list-tables.test.ts) or `copy_from` (a plain path: deep
  // copy; a missing source throws); `override` default true; `ignore_empty_value` default false.
  set(ctx, o, ingest) {
    allow('set', o, ['field', 'value', 'copy_from', 'override', 'ignore_empty_value']);
    const field = renderTemplate(str(o, 'field'), ctx, ingest);
    let value: Json;
    const render = (v: Json): Json =>
      typeof v === 'string' ? renderTemplate(v, ctx, ingest) : Array.isArray(v) ? v.map(render) : v;
    if (o['copy_from'] !== undefined) value = doc.deepCopy(doc.get(ctx, str(o, 'copy_from')));
    else value = render(o['value'] as Json);
    if (bool(o, 'ignore_empty_value', false) && (value === null || value === '')) return;
    if (!bool(o, 'override', true) && doc.has(ctx, field) && doc.get(ctx, field) !== null) return;
    doc.set(ctx, field, value);
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/append-processor.html
  // `value` (each string templated) or `copy_from` (9.2+); `allow_duplicates` default true.
  append(ctx, o, ingest) {
    allow('append', o, ['field', 'value', 'copy_from', 'allow_duplicates']);
    const field = renderTemplate(str(o, 'field'), ctx, ingest);
    let value: Json;
    if (o['copy_from'] !== undefined) value = doc.deepCopy(doc.get(ctx, str(o, 'copy_from')));
    else {
      const render = (v: Json): Json => (typeof v === 'string' ? renderTemplate(v, ctx, ingest) : v);
      const raw = o['value'] as Json;
      value = Array.isArray(raw) ? raw.map(render) : render(raw);
    }
    doc.append(ctx, field, value, bool(o, 'allow_duplicates', true));
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/json-processor.html
  // Parses the string field; `target_field` default = `field`; a parse error throws.
  json(ctx, o) {
    allow('json', o, ['field', 'target_field']);
    const field = str(o, 'field');
    const text = doc.get(ctx, field);
    if (typeof text !== 'string')
      throw new IngestError(`field [${field}] of type [${typeName(text)}] cannot be cast to [java.lang.String]`);
    let parsed: Json;
    try {
      parsed = JSON.parse(text) as Json;
    } catch (e) {
      throw new IngestError(`Unrecognized token: ${(e as Error).message}`);
    }
    doc.set(ctx, typeof o['target_field'] === 'string' ? o['target_field'] : field, parsed);
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/remove-processor.html
  // `field` (a template, or a list of them); a missing field throws unless `ignore_missing`.
  remove(ctx, o, ingest) {
    allow('remove', o, ['field', 'ignore_missing']);
    const fields = (Array.isArray(o['field']) ? (o['field'] as string[]) : [str(o, 'field')]).map((f) =>
      renderTemplate(f, ctx, ingest),
    );
    for (const f of fields) {
      if (bool(o, 'ignore_missing', false) && !doc.has(ctx, f)) continue;
      doc.remove(ctx, f);
    }
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/rename-processor.html
  // A missing field throws unless `ignore_missing`; an existing target throws unless `override`.
  // A path starting with `_ingest.` names ingest metadata, not the document (elastic/elasticsearch
  // server/src/main/java/org/elasticsearch/ingest/IngestDocument.java, `FieldPath`: the
  // `_ingest.` prefix selects the ingest metadata map; "Access ingest metadata in a processor",
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/ingest.html#access-ingest-metadata).
  rename(ctx, o, ingest) {
    allow('rename', o, ['field', 'target_field', 'ignore_missing', 'override']);
    const [fieldDoc, field] = inDocument(ctx, ingest, str(o, 'field'));
    const [targetDoc, target] = inDocument(ctx, ingest, str(o, 'target_field'));
    if (!doc.has(fieldDoc, field)) {
      if (bool(o, 'ignore_missing', false)) return;
      throw new IngestError(`field [${field}] doesn't exist`);
    }
    if (doc.has(targetDoc, target) && !bool(o, 'override', false))
      throw new IngestError(`field [${target}] already exists`);
    const value = doc.get(fieldDoc, field);
    doc.remove(fieldDoc, field);
    doc.set(targetDoc, target, value);
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/convert-processor.html
  // A List converts element-wise; a missing or null field throws unless `ignore_missing`.
  convert(ctx, o) {
    allow('convert', o, ['field', 'type', 'target_field', 'ignore_missing']);
    const field = str(o, 'field');
    const value = doc.has(ctx, field) ? doc.get(ctx, field) : null;
    if (value === null) {
      if (bool(o, 'ignore_missing', false)) return;
      throw new IngestError(`Field [${field}] is null, cannot be converted to type [${str(o, 'type')}]`);
    }
    const type = str(o, 'type');
    const out = Array.isArray(value) ? value.map((v) => convertValue(v, type)) : convertValue(value, type);
    doc.set(ctx, typeof o['target_field'] === 'string' ? o['target_field'] : field, out);
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/date-processor.html
  // Formats tried in order; none parses → throws; `target_field` default `@timestamp`.
  date(ctx, o) {
    allow('date', o, ['field', 'target_field', 'formats']);
    const field = str(o, 'field');
    const value = doc.get(ctx, field);
    if (value === null) throw new IngestError(`field [${field}] is null`);
    const text = typeof value === 'string' ? value : String(value);
    for (const f of o['formats'] as string[]) {
      const ms = parseDate(text, f);
      if (ms !== undefined) {
        doc.set(ctx, typeof o['target_field'] === 'string' ? o['target_field'] : '@timestamp', formatDate(ms));
        return;
      }
    }
    throw new IngestError(`unable to parse date [${text}]`);
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/lowercase-processor.html (Locale.ROOT)
  lowercase(ctx, o) {
    allow('lowercase', o, ['field', 'target_field', 'ignore_missing']);
    mapStrings(ctx, o, 'lowercase', (s) => s.toLowerCase());
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/uppercase-processor.html
  uppercase(ctx, o) {
    allow('uppercase', o, ['field', 'target_field', 'ignore_missing']);
    mapStrings(ctx, o, 'uppercase', (s) => s.toUpperCase());
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/gsub-processor.html
  gsub(ctx, o) {
    allow('gsub', o, ['field', 'pattern', 'replacement', 'target_field', 'ignore_missing']);
    mapStrings(ctx, o, 'gsub', gsub(str(o, 'pattern'), str(o, 'replacement')));
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/split-processor.html
  // `String.split(separator)` (a Java regex; `-1` as the limit with `preserve_trailing`): a String
  // only; without a match the whole string, so `""` gives `[""]`; trailing empty pieces dropped.
  split(ctx, o) {
    allow('split', o, ['field', 'separator', 'target_field', 'ignore_missing', 'preserve_trailing']);
    const field = str(o, 'field');
    const value = doc.has(ctx, field) ? doc.get(ctx, field) : null;
    if (value === null) {
      if (bool(o, 'ignore_missing', false)) return;
      throw new IngestError(`field [${field}] is null or missing, cannot split`);
    }
    if (typeof value !== 'string')
      throw new IngestError(`field [${field}] of type [${typeName(value)}] cannot be cast to [java.lang.String]`);
    const separator = literalOfRegex(str(o, 'separator'));
    const pieces = value.split(separator);
    if (value !== '' && !bool(o, 'preserve_trailing', false))
      while (pieces.length > 0 && pieces[pieces.length - 1] === '') pieces.pop();
    doc.set(ctx, typeof o['target_field'] === 'string' ? o['target_field'] : field, pieces);
  },
  // https://docs.opensearch.org/docs/2.19/ingest-pipelines/processors/kv/ and
  // opensearch-project/OpenSearch modules/ingest-common `KeyValueProcessor.java` (2.19): the field
  // must exist (else it throws, unless `ignore_missing`) and be a String (a cast, which throws for
  // any other type; null throws too). The text is split on `field_split` (`String.split`/
  // `Pattern.split` with limit 0: trailing empty pieces dropped, a leading one kept, `""` gives
  // `[""]`), each piece on `value_split` with limit 2; a piece without it throws ("does not contain
  // value_split"), even after earlier pieces were written. Each value is written to
  // `target_field + "." + key` (a dotted key nests), appended (duplicates kept) when that path
  // already holds a value. mapc writes the separators as quoted literals only (checked here).
  kv(ctx, o) {
    allow('kv', o, ['field', 'field_split', 'value_split', 'target_field', 'ignore_missing']);
    const field = str(o, 'field');
    if (!doc.has(ctx, field)) {
      if (bool(o, 'ignore_missing', false)) return;
      throw new IngestError(`field [${field}] doesn't exist`);
    }
    const value = doc.get(ctx, field);
    if (value === null) {
      if (bool(o, 'ignore_missing', false)) return;
      throw new IngestError(`field [${field}] is null, cannot extract key-value pairs.`);
    }
    if (typeof value !== 'string')
      throw new IngestError(`field [${field}] of type [${typeName(value)}] cannot be cast to [java.lang.String]`);
    const fieldSplit = literalOfRegex(str(o, 'field_split'));
    const valueSplit = literalOfRegex(str(o, 'value_split'));
    const pieces = value.split(fieldSplit);
    if (value !== '') while (pieces.length > 0 && pieces[pieces.length - 1] === '') pieces.pop();
    const target = typeof o['target_field'] === 'string' && o['target_field'] !== '' ? `${o['target_field']}.` : '';
    for (const piece of pieces) {
      const at = piece.indexOf(valueSplit);
      if (at < 0) throw new IngestError(`field [${field}] does not contain value_split [${str(o, 'value_split')}]`);
      const path = target + piece.slice(0, at);
      const text = piece.slice(at + valueSplit.length);
      if (doc.has(ctx, path)) doc.append(ctx, path, text, true);
      else doc.set(ctx, path, text);
    }
  },
  // https://docs.opensearch.org/docs/2.19/ingest-pipelines/processors/grok/ and
  // opensearch-project/OpenSearch libs/grok `Grok.java`: `%{NAME:field}` becomes the named group
  // `(?<NAME:field>definition)` (`toRegex`; only `pattern_definitions` here, no built-in pattern),
  // the String is searched for the leftmost match (Joni, `../shared/onig.ts`), and each named group
  // that took part in the match is written to its field (the text after the `:`); no match fails.
  grok(ctx, o) {
    allow('grok', o, ['field', 'patterns', 'pattern_definitions', 'ignore_missing']);
    const field = str(o, 'field');
    const value = doc.has(ctx, field) ? doc.get(ctx, field) : null;
    if (value === null) {
      if (bool(o, 'ignore_missing', false)) return;
      throw new IngestError(`field [${field}] not present as part of path [${field}]`);
    }
    if (typeof value !== 'string')
      throw new IngestError(`field [${field}] of type [${typeName(value)}] cannot be cast to [java.lang.String]`);
    const patterns = o['patterns'];
    const definitions = (o['pattern_definitions'] ?? {}) as Record<string, string>;
    if (!Array.isArray(patterns) || patterns.length !== 1) throw new Error('evaluator: grok takes one pattern here');
    const expanded = (patterns[0] as string).replace(
      /%\{([A-Za-z0-9_]+):([^}]+)\}/g,
      (_, name: string, sub: string) => {
        const body = definitions[name];
        if (body === undefined || body.includes('%{'))
          throw new Error(`evaluator: grok pattern ${name} is not modelled`);
        return `(?<${name}:${sub}>${body})`;
      },
    );
    if (expanded.includes('%{')) throw new Error('evaluator: grok reference without a field is not modelled');
    const { source, names } = onigToJs(expanded);
    const m = new RegExp(source, 'u').exec(value);
    if (!m) throw new IngestError(`Provided Grok expressions do not match field value: [${value}]`);
    names.forEach((name, i) => {
      const captured = m[i + 1];
      if (captured !== undefined) doc.set(ctx, name.slice(name.indexOf(':') + 1), captured);
    });
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/geoip-processor.html (./geoip.ts)
  geoip(ctx, o) {
    geoipProcessor(ctx, o);
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/user-agent-processor.html (./user-agent.ts)
  user_agent(ctx, o) {
    userAgentProcessor(ctx, o);
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/fail-processor.html
  drop(_ctx, o) {
    // Stops the pipeline: the document is not indexed
    // (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/drop-processor.html).
    allow('drop', o, []);
    throw new DropSignal();
  },
  fail(ctx, o, ingest) {
    allow('fail', o, ['message']);
    throw new IngestError(renderTemplate(str(o, 'message'), ctx, ingest));
  },
  // https://www.elastic.co/guide/en/elasticsearch/reference/8.17/script-processor.html
  // Only the constant sources in painless.ts SCRIPTS, and the generated failure report (runReport).
  script(ctx, o) {
    allow('script', o, ['lang', 'source', 'params']);
    if (o['lang'] !== undefined && o['lang'] !== 'painless') throw new Error('evaluator: only painless scripts');
    const source = str(o, 'source');
    if (isReport(source)) {
      runReport(source, ctx);
      return;
    }
    const run = SCRIPTS.get(source);
    if (!run) throw new Error(`evaluator: script source is not one of the reviewed scripts: ${String(o['source'])}`);
    run(ctx, (o['params'] ?? {}) as JsonMap);
  },
};

export type ProcessorConfig = Record<string, Options>;

/** Thrown by the `drop` processor: no failure handler sees it; the document is not indexed. */
class DropSignal extends Error {}

/**
 * Runs processors in order. A processor with `if` runs only when the condition is true; the
 * condition wraps the processor *and* its own `on_failure` (elastic/elasticsearch
 * `server/src/main/java/org/elasticsearch/ingest/ConfigurationUtils.java` `readProcessor`, commit
 * 01a74ca48d57bdfc6cf03b48b17a65e39db6ebd1: `CompoundProcessor` for on_failure, then
 * `ConditionalProcessor` around it), so an exception in a condition escapes to the enclosing handler. A failing
 * processor with `on_failure` runs those processors with `_ingest.on_failure_message`,
 * `_ingest.on_failure_processor_type`, `_ingest.on_failure_processor_tag` set and continues with
 * the next processor; without a handler the exception propagates (pipeline `on_failure` or error)
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/ingest.html#handling-pipeline-failures).
 */
export function runProcessors(list: readonly ProcessorConfig[], ctx: JsonMap, ingest: JsonMap): void {
  for (const container of list) {
    const entries = Object.entries(container);
    if (entries.length !== 1) throw new Error('evaluator: a processor container holds exactly one processor');
    const [type, options] = entries[0]!;
    const exec = PROCESSORS[type];
    if (!exec) throw new Error(`evaluator: processor ${type} is not supported`);
    const tag = options['tag'] as string | undefined;
    if (typeof options['if'] === 'string') {
      let run: boolean;
      try {
        run = evalCondition(options['if'], ctx);
      } catch (e) {
        if (e instanceof PainlessError) throw new ProcessorError(e.message, type, tag);
        throw e;
      }
      if (!run) continue;
    }
    try {
      exec(ctx, options, ingest);
    } catch (e) {
      if (!(e instanceof IngestError) && !(e instanceof PainlessError)) throw e;
      const handlers = options['on_failure'] as ProcessorConfig[] | undefined;
      if (options['ignore_failure'] === true && !handlers) continue;
      if (!handlers) throw new ProcessorError(e.message, type, tag);
      const meta: JsonMap = {
        ...ingest,
        on_failure_message: e.message,
        on_failure_processor_type: type,
        on_failure_processor_tag: tag ?? null,
      };
      runProcessors(handlers, ctx, meta);
    }
  }
}

export interface PipelineDefinition {
  readonly processors: readonly ProcessorConfig[];
  readonly on_failure?: readonly ProcessorConfig[];
}

/** The outcome of `_simulate` on one document: the source and `_id`, or the unhandled error. */
export type SimulateResult =
  | { readonly ok: true; readonly doc: JsonMap; readonly _id?: string; readonly dropped?: true }
  | { readonly ok: false; readonly error: string };

/**
 * Runs a pipeline on one document (`_source` fields plus optional metadata); pipeline-level
 * `on_failure` handles any unhandled processor failure, and its result is indexed.
 */
export function simulate(pipeline: PipelineDefinition, source: JsonMap, pipelineName = 'default'): SimulateResult {
  const ctx: JsonMap = doc.deepCopy(source);
  const ingest: JsonMap = { pipeline: pipelineName };
  try {
    try {
      runProcessors(pipeline.processors, ctx, ingest);
    } catch (e) {
      if (e instanceof Terminated) return indexed(ctx);
      if (!(e instanceof ProcessorError) || !pipeline.on_failure) throw e;
      runProcessors(pipeline.on_failure, ctx, {
        ...ingest,
        on_failure_message: e.message,
        on_failure_processor_type: e.type,
        on_failure_processor_tag: e.tag ?? null,
        on_failure_pipeline: pipelineName,
      });
    }
  } catch (e) {
    if (e instanceof DropSignal) return { ok: true, doc: {}, dropped: true };
    if (e instanceof ProcessorError) return { ok: false, error: e.message };
    throw e;
  }
  return indexed(ctx);
}

/** The result of a pipeline run that indexes `ctx`: its source without metadata, and its `_id`. */
function indexed(ctx: JsonMap): SimulateResult {
  const { _id, ...rest } = ctx;
  for (const meta of ['_index', '_routing', '_version', '_ingest']) delete rest[meta];
  return isMap(rest) && typeof _id === 'string' ? { ok: true, doc: rest, _id } : { ok: true, doc: rest };
}
