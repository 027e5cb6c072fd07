/**
 * An evaluator of exactly the Logstash filters mapc emits, written from the Logstash docs and
 * plugin sources (each behaviour cites its source). No Logstash runtime is reachable in CI; the
 * generated logstash-filter-verifier cases run the same fixtures on a real Logstash.
 *
 * Event values model Logstash's (Ruby) types: strings, integers (JS numbers or bigints), floats
 * ({@link RFloat}, so that `5.0` stays a float as Logstash's JSON parser keeps it), booleans, null,
 * hashes, arrays and {@link Timestamp}.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Reader, type Response } from 'maxmind';
import { testGeoDatabases } from '../../support/geoip.ts';
import { useragentFields } from './useragent.ts';
import { onigToJs } from '../shared/onig.ts';
import type * as M from './ast.ts';
import {
  expandWhole,
  parseFieldReference,
  sprintf as interpolate,
  substituteOption,
  type Variables,
} from './interpolation.ts';

/** The model read back from config text (plain strings). */
export type Condition = M.Condition;
export type Rvalue = M.Rvalue;
export type Statement = M.Statement;
export type Value = M.Value;

export class RFloat {
  constructor(readonly value: number) {}
}
/** A Logstash Timestamp: milliseconds since the epoch (the date filter's precision). */
export class Timestamp {
  constructor(readonly ms: number) {}
  /** `yyyy-MM-ddTHH:mm:ss.SSSZ`: at least three fraction digits (elastic/logstash#14299). */
  toString(): string {
    return new Date(this.ms).toISOString();
  }
}
type Obj = { [key: string]: unknown };
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RFloat) && !(v instanceof Timestamp);

export interface LsEvent {
  data: Obj;
  /** The @timestamp Logstash set at event creation; an output drops it when no filter replaced it. */
  readonly initialTimestamp: Timestamp;
}

export function newEvent(message: string): LsEvent {
  const ts = new Timestamp(Date.now());
  return { data: { message, '@timestamp': ts, '@version': '1' }, initialTimestamp: ts };
}

// ---------------------------------------------------------------------------------------------
// Field references (https://www.elastic.co/guide/en/logstash/8.17/field-references-deepdive.html)
// ---------------------------------------------------------------------------------------------

/** `[a][b]` or a bare top-level name, as Logstash 8's FieldReference reads it (./interpolation.ts). */
export function parseRef(text: string): string[] {
  return parseFieldReference(text);
}

/** Event#get: walks hashes; a non-numeric key on an array reads as missing. */
export function getField(e: LsEvent, path: readonly string[]): unknown {
  let cur: unknown = e.data;
  for (const seg of path) {
    if (Array.isArray(cur)) {
      if (!/^-?\d+$/.test(seg)) return undefined;
      const i = Number(seg);
      cur = cur[i < 0 ? cur.length + i : i];
    } else if (isObj(cur)) {
      cur = Object.prototype.hasOwnProperty.call(cur, seg) ? cur[seg] : undefined;
    } else return undefined;
  }
  return cur;
}

/**
 * Event#set (org.logstash.Accessors#set): missing parents become hashes; a parent that is a scalar
 * makes Logstash throw (a ClassCastException that stops the pipeline worker), modelled as a throw.
 */
export function setField(e: LsEvent, path: readonly string[], value: unknown): void {
  let cur: Obj = e.data;
  for (const seg of path.slice(0, -1)) {
    const next = Object.hasOwn(cur, seg) ? cur[seg] : undefined;
    if (next === undefined || next === null) put(cur, seg, {});
    else if (!isObj(next)) throw new Error(`Event#set ${path.join('.')}: ${seg} is not a hash (ClassCastException)`);
    cur = cur[seg] as Obj;
  }
  put(cur, path[path.length - 1] as string, value);
}

/** A Ruby Hash key is data: `__proto__` too is an own key (never JavaScript's prototype setter). */
function put(o: Obj, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

export function removeField(e: LsEvent, path: readonly string[]): void {
  const parent = getField(e, path.slice(0, -1));
  if (isObj(parent)) delete parent[path[path.length - 1] as string];
}

/** Event#include? (org.logstash.Accessors#includes): a hash key present (even with a null value), or a list index holding a non-null value. */
const includes = (e: LsEvent, path: readonly string[]): boolean => {
  const parent = path.length === 1 ? e.data : getField(e, path.slice(0, -1));
  const key = path[path.length - 1] as string;
  if (Array.isArray(parent)) return /^-?\d+$/.test(key) && getField(e, path) != null;
  return isObj(parent) && Object.prototype.hasOwnProperty.call(parent, key);
};

const clone = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(clone);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
};

/**
 * Ruby's `Float#to_s` (event floats are RubyFloat, whose `toString()` conditionals and sprintf use):
 * shortest round-trip digits, plain with at least one fraction digit when the decimal exponent is
 * within [-4, 16), else `d.ddde+NN` (https://ruby-doc.org/core/Float.html#method-i-to_s).
 */
export function rubyFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exp = '0'] = x.toExponential().split('e');
  const e = Number(exp);
  if (e >= -4 && e < 16) {
    const digits = mantissa.replace('-', '').replace('.', '');
    const sign = x < 0 ? '-' : '';
    if (e >= 0) {
      const int = digits.slice(0, e + 1).padEnd(e + 1, '0');
      const frac = digits.slice(e + 1);
      return `${sign}${int}.${frac === '' ? '0' : frac}`;
    }
    return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  }
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Java/Ruby `toString` of a value, as conditionals and sprintf see it. */
export function toS(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof RFloat) return rubyFloat(v.value);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Timestamp) return v.toString();
  if (v === null || v === undefined) return '';
  return JSON.stringify(toJson(v));
}

/**
 * sprintf (org.logstash.StringInterpolation#evaluate, modelled scan for scan in ./interpolation.ts):
 * `%{[field]}` becomes the field's text; a missing or null field leaves `%{[field]}` as written; a
 * list is joined with ","; a map is JSON
 * (https://www.elastic.co/guide/en/logstash/8.17/event-dependent-configuration.html#sprintf).
 */
export function sprintf(e: LsEvent, template: string): string {
  return interpolate(
    template,
    (path) => getField(e, path),
    // StringInterpolation: a list is joined with ",", a map written as JSON, anything else toString.
    (v) => (Array.isArray(v) ? v.map(toS).join(',') : toS(v)),
  );
}

/** `${VAR}` / `${VAR:default}` substitution of a plugin option at config load (./interpolation.ts). */
export function substituteEnv(text: string, env: Readonly<Record<string, string>>): string {
  return substituteOption(text, { env });
}

// ---------------------------------------------------------------------------------------------
// JSON (logstash-filter-json: parses `source`, stores the object at `target`; numbers with a
// fraction or exponent become Floats, integers Integers, as JrJackson does)
// ---------------------------------------------------------------------------------------------

export function parseJsonRuby(text: string): unknown {
  let i = 0;
  const ws = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const o: Obj = {};
      ws();
      if (text[i] === '}') {
        i++;
        return o;
      }
      for (;;) {
        ws();
        const k = value() as string;
        ws();
        if (text[i++] !== ':') throw new Error('bad JSON');
        put(o, k, value());
        ws();
        const d = text[i++];
        if (d === '}') return o;
        if (d !== ',') throw new Error('bad JSON');
      }
    }
    if (c === '[') {
      i++;
      const a: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value());
        ws();
        const d = text[i++];
        if (d === ']') return a;
        if (d !== ',') throw new Error('bad JSON');
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (!m) throw new Error('bad JSON string');
      i += m[0].length;
      return JSON.parse(m[0]);
    }
    const m = /^(-?\d+)(\.\d+)?([eE][-+]?\d+)?|^true|^false|^null/.exec(text.slice(i));
    if (!m) throw new Error(`bad JSON at ${i}`);
    i += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    if (m[2] || m[3]) return new RFloat(Number(m[0]));
    const n = Number(m[0]);
    return Number.isSafeInteger(n) ? n : BigInt(m[0]);
  };
  const v = value();
  ws();
  if (i !== text.length) throw new Error('trailing JSON');
  return v;
}

/** The JSON form an output writes: Floats as numbers, Timestamps as their string. */
export function toJson(v: unknown): unknown {
  if (v instanceof RFloat) return v.value;
  if (v instanceof Timestamp) return v.toString();
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}

// ---------------------------------------------------------------------------------------------
// Conditionals (org.logstash.config.ir.compiler.EventCondition)
// ---------------------------------------------------------------------------------------------

function operand(e: LsEvent, r: Rvalue): unknown {
  return r.kind === 'field'
    ? getField(e, parseRef(r.ref))
    : r.kind === 'string'
      ? r.text
      : r.kind === 'number'
        ? r.value
        : r.source;
}

/**
 * A condition regex in JS. mapc anchors with `\A`/`\z` (start/end of input in Java and Ruby
 * regexes alike); bare `^`/`$` are refused because the engines disagree on them (line anchors in
 * Ruby, `$` before a final newline in Java).
 */
function conditionRegex(source: string): RegExp {
  if (/(^|[^\\])[$^]/.test(source.replace(/\[[^\]]*\]/g, '')))
    throw new Error(`regex /${source}/: ^ or $ outside a class not modelled`);
  return new RegExp(source.replace(/\\A/g, '^').replace(/\\z/g, '$'), 'u');
}

/** FieldTruthy: non-null, `toString()` non-empty and not `"false"`. */
const truthy = (v: unknown): boolean => v !== undefined && v !== null && toS(v) !== '' && toS(v) !== 'false';

export function evalCondition(e: LsEvent, c: Condition): boolean {
  switch (c.kind) {
    case 'truthy':
      return truthy(getField(e, parseRef(c.field.ref)));
    case 'not':
      return !evalCondition(e, c.condition);
    case 'and':
      return c.conditions.every((x) => evalCondition(e, x));
    case 'or':
      return c.conditions.some((x) => evalCondition(e, x));
    case 'compare': {
      const l = operand(e, c.left);
      const r = operand(e, c.right);
      // FieldEquals: a string literal equals only a string field with the same text; numbers compare as numbers.
      let same: boolean;
      if (typeof r === 'string') same = typeof l === 'string' && l === r;
      else if (typeof r === 'number')
        same = (typeof l === 'number' || l instanceof RFloat) && Number(l instanceof RFloat ? l.value : l) === r;
      else same = toS(l) === toS(r) && l !== undefined;
      return c.op === '==' ? same : !same;
    }
    case 'match': {
      const l = operand(e, c.left);
      // FieldMatches: Pattern.find on the value's string form; a missing field never matches.
      const found = l !== undefined && l !== null && conditionRegex(c.right.source).test(toS(l));
      return c.op === '=~' ? found : !found;
    }
    case 'in': {
      const value = operand(e, c.left);
      const container = operand(e, c.right);
      // FieldArrayContainsFieldValue: list membership by string form; string in string is a substring test.
      let found: boolean;
      if (Array.isArray(container) && typeof value === 'string') found = container.some((x) => toS(x) === value);
      else if (typeof container === 'string' && typeof value === 'string') found = container.includes(value);
      else if (typeof container === 'string' && Array.isArray(value)) found = value.some((x) => toS(x) === container);
      else
        found =
          container !== undefined &&
          container !== null &&
          value !== undefined &&
          JSON.stringify(toJson(container)) === JSON.stringify(toJson(value));
      return c.op === 'in' ? found : !found;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Plugins
// ---------------------------------------------------------------------------------------------

type Attrs = Map<string, Value>;
const sOf = (v: Value | undefined): string | undefined =>
  v?.kind === 'string' ? v.text : v?.kind === 'bareword' ? v.word : v?.kind === 'number' ? String(v.value) : undefined;
const listOf = (v: Value | undefined): string[] =>
  v?.kind === 'array' ? v.items.map((x) => sOf(x) ?? '') : v ? [sOf(v) ?? ''] : [];
const pairsOf = (v: Value | undefined): [string, string][] =>
  v?.kind === 'hash' ? v.entries.map((x) => [x.key, sOf(x.value) ?? '']) : [];

/** Common filter options applied when a filter succeeds (LogStash::Filters::Base#filter_matched). */
function filterMatched(e: LsEvent, a: Attrs): void {
  const added = a.get('add_field');
  // A value may be an array: each element is added in order (base.rb `Array(value).each`).
  const entries = added?.kind === 'hash' ? added.entries.flatMap((x) => listOf(x.value).map((v) => [x.key, v])) : [];
  for (const [k, v] of entries as [string, string][]) {
    const path = parseRef(sprintf(e, k));
    const value = sprintf(e, v);
    const existing = getField(e, path);
    // add_field on an existing field appends, making an array.
    if (existing === undefined) setField(e, path, value);
    else setField(e, path, [...(Array.isArray(existing) ? existing : [existing]), value]);
  }
  for (const k of listOf(a.get('remove_field'))) removeField(e, parseRef(sprintf(e, k)));
}

/** mutate's `convert` (logstash-filter-mutate: integer, float, string, boolean; arrays element-wise; nil untouched). */
function convertValue(v: unknown, type: string): unknown {
  if (Array.isArray(v)) return v.map((x) => convertValue(x, type));
  if (v === null || v === undefined) return v;
  switch (type) {
    case 'string':
      return toS(v);
    case 'integer': {
      if (typeof v === 'string') {
        const m = /^\s*-?\d+/.exec(v.replace(/,/g, ''));
        return m ? Number(m[0]) : 0;
      }
      if (v instanceof RFloat) return Math.trunc(v.value);
      if (typeof v === 'boolean') return v ? 1 : 0;
      return v;
    }
    case 'float': {
      if (typeof v === 'string') return new RFloat(Number.parseFloat(v.replace(/,/g, '')) || 0);
      if (typeof v === 'number' || typeof v === 'bigint') return new RFloat(Number(v));
      if (typeof v === 'boolean') return new RFloat(v ? 1 : 0);
      return v;
    }
    case 'boolean': {
      // TRUE_REGEX /^(true|t|yes|y|1|1.0)$/i, FALSE_REGEX /^(false|f|no|n|0|0.0)$/i; anything else unchanged.
      const s = toS(v);
      if (/^(true|t|yes|y|1|1\.0)$/i.test(s)) return true;
      if (/^(false|f|no|n|0|0\.0)$/i.test(s)) return false;
      return v;
    }
    default:
      throw new Error(`mutate convert ${type} not modelled`);
  }
}

/**
 * Ruby regexp → JS, for the constructs mapc's gsub uses: `\A`, `\z`, `(?m:.)` (dot matching
 * newlines); `u` makes `.` one code point, as Ruby's on a UTF-8 string.
 */
function rubyRegex(source: string): RegExp {
  const js = source
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\(\?m:\.\)/g, '[\\s\\S]');
  return new RegExp(js, 'gu');
}

/**
 * A Ruby `gsub` replacement string: `\1`..`\9` and `\0`/`\&` refer to the match, `\\` is a
 * backslash; everything else (`$` included) is literal, unlike a JS replacement pattern.
 */
function rubyReplacement(text: string): (match: string, ...args: unknown[]) => string {
  return (match, ...args) => {
    // The replacer's arguments: the captures, then the offset (a number) and the input.
    const captures = args.slice(
      0,
      args.findIndex((x) => typeof x === 'number'),
    );
    return text.replace(/\\([0-9&\\])/g, (_w, c: string) =>
      c === '\\' ? '\\' : c === '&' || c === '0' ? match : String(captures[Number(c) - 1] ?? ''),
    );
  };
}

/** mutate (https://www.elastic.co/guide/en/logstash/8.17/plugins-filters-mutate.html), in its documented order. */
function mutate(e: LsEvent, a: Attrs): void {
  // rename: both names sprintf'd, `next unless event.include?(src)`, then set the removed value (mutate.rb #rename).
  for (const [src, dest] of pairsOf(a.get('rename'))) {
    const path = parseRef(sprintf(e, src));
    const to = parseRef(sprintf(e, dest));
    if (!includes(e, path)) continue;
    const value = getField(e, path);
    removeField(e, path);
    setField(e, to, value);
  }
  for (const [k, v] of pairsOf(a.get('replace'))) setField(e, parseRef(k), sprintf(e, v));
  for (const [k, type] of pairsOf(a.get('convert'))) {
    const path = parseRef(k);
    const original = getField(e, path);
    // convert: Hash skipped, nil ignored, arrays element-wise (mutate.rb #convert).
    if (includes(e, path) && !isObj(original) && original !== null) setField(e, path, convertValue(original, type));
  }
  // gsub (mutate.rb #gsub_dynamic_fields): the replacement is sprintf'd, and so is a needle holding `%{`.
  const gsub = listOf(a.get('gsub'));
  for (let i = 0; i + 2 < gsub.length; i += 3) {
    const path = parseRef(gsub[i] as string);
    const v = getField(e, path);
    const needle = gsub[i + 1] as string;
    const pattern = rubyRegex(needle.includes('%{') ? sprintf(e, needle) : needle);
    const replacement = rubyReplacement(sprintf(e, gsub[i + 2] as string));
    // gsub applies to strings (and arrays of strings) only.
    if (typeof v === 'string') setField(e, path, v.replace(pattern, replacement));
  }
  for (const op of ['uppercase', 'lowercase'] as const) {
    for (const k of listOf(a.get(op))) {
      const path = parseRef(k);
      const v = getField(e, path);
      // Ruby String#upcase/#downcase: full Unicode mapping (ß → SS) without context rules (no final sigma).
      if (typeof v === 'string')
        setField(e, path, Array.from(v, (ch) => (op === 'uppercase' ? ch.toUpperCase() : ch.toLowerCase())).join(''));
    }
  }
  // split (mutate.rb #split): Ruby `String#split(separator)` on a String, else nothing: literal
  // text, trailing empty pieces dropped, `""` gives `[]`; a single space splits awk-style (runs
  // of whitespace, leading whitespace ignored).
  for (const [k, separator] of pairsOf(a.get('split'))) {
    const path = parseRef(k);
    const v = getField(e, path);
    if (typeof v !== 'string') continue;
    const pieces = separator === ' ' ? v.replace(/^[ \t\n\v\f\r]+/, '').split(/[ \t\n\v\f\r]+/) : v.split(separator);
    while (pieces.length > 0 && pieces[pieces.length - 1] === '') pieces.pop();
    setField(e, path, pieces);
  }
  for (const [dest, added] of pairsOf(a.get('merge'))) {
    const dv = getField(e, parseRef(dest));
    const av = getField(e, parseRef(added));
    if (isObj(dv) !== isObj(av)) continue; // "Not possible to merge an array and a hash"
    const arr = (x: unknown) => (x === undefined || x === null ? [] : Array.isArray(x) ? x : [x]);
    setField(e, parseRef(dest), [...arr(dv), ...arr(clone(av))]);
  }
  // copy: `next if original.nil?` (mutate.rb), so a null or missing source copies nothing.
  for (const [src, dest] of pairsOf(a.get('copy'))) {
    const original = getField(e, parseRef(src));
    if (original !== undefined && original !== null) setField(e, parseRef(dest), clone(original));
  }
  filterMatched(e, a);
}

/**
 * date (https://www.elastic.co/guide/en/logstash/8.17/plugins-filters-date.html): formats tried
 * in order; ISO8601, UNIX, UNIX_MS or a Joda pattern; millisecond precision (extra digits
 * truncated); success writes a Timestamp to `target`, failure adds `tag_on_failure` tags.
 */
function date(e: LsEvent, a: Attrs): void {
  const [src, ...formats] = listOf(a.get('match'));
  const v = getField(e, parseRef(src as string));
  if (v === undefined || v === null) return;
  for (const f of formats) {
    const ms = parseDateFormat(v, f);
    if (ms !== undefined) {
      setField(e, parseRef(sOf(a.get('target')) ?? '@timestamp'), new Timestamp(ms));
      filterMatched(e, a);
      return;
    }
  }
  const tags = a.has('tag_on_failure') ? listOf(a.get('tag_on_failure')) : ['_dateparsefailure'];
  if (tags.length > 0) setField(e, ['tags'], [...((getField(e, ['tags']) as unknown[]) ?? []), ...tags]);
}

function parseDateFormat(v: unknown, f: string): number | undefined {
  const text = typeof v === 'string' ? v : undefined;
  if (f === 'UNIX' || f === 'UNIX_MS') {
    const s = v instanceof RFloat ? String(v.value) : typeof v === 'number' ? String(v) : text;
    if (s === undefined || !/^-?\d+(\.\d+)?$/.test(s)) return undefined;
    return f === 'UNIX' ? Math.floor(Number(s) * 1000) : Math.trunc(Number(s));
  }
  if (text === undefined) return undefined;
  if (f === 'ISO8601') {
    // Joda ISODateTimeFormat.dateTimeParser: date, optional time, optional fraction, optional offset (UTC if none).
    const m =
      /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(
        text,
      );
    if (!m) return undefined;
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', off] = m;
    const base = utc(
      +(y as string),
      +(mo as string),
      +(d as string),
      +h,
      +mi,
      +s,
      Number(frac.slice(0, 3).padEnd(3, '0')),
    );
    if (base === undefined) return undefined;
    if (!off || off === 'Z') return base;
    const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(off);
    const minutes = Number(om?.[2]) * 60 + Number(om?.[3] ?? 0);
    return om?.[1] === '+' ? base - minutes * 60000 : base + minutes * 60000;
  }
  // Joda pattern: yyyy (4 digits), MM dd HH mm ss (1-2 digits), SSS (3), other characters literal.
  const fields: string[] = [];
  let re = '^';
  for (const run of f.match(/([A-Za-z])\1*|[^A-Za-z]/g) ?? []) {
    if (/^[A-Za-z]/.test(run)) {
      fields.push(run);
      re += run === 'yyyy' ? '(\\d{4})' : run === 'SSS' ? '(\\d{3})' : '(\\d{1,2})';
    } else re += run.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  const m = new RegExp(`${re}$`).exec(text);
  if (!m) return undefined;
  const get = (k: string, dflt: number) => (fields.includes(k) ? Number(m[fields.indexOf(k) + 1]) : dflt);
  return utc(get('yyyy', 1970), get('MM', 1), get('dd', 1), get('HH', 0), get('mm', 0), get('ss', 0), get('SSS', 0));
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | undefined {
  // setUTCFullYear, unlike Date.UTC, keeps years 0-99 as written (Joda reads 0050 as the year 50).
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  const t = date.getTime();
  const back = new Date(t);
  // Joda rejects out-of-range fields (month 13, Feb 30) instead of rolling them over.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return t;
}

/** translate (https://www.elastic.co/guide/en/logstash/8.17/plugins-filters-translate.html): exact string lookup, `fallback`, `override` false. */
function translate(e: LsEvent, a: Attrs): void {
  const src = getField(e, parseRef(sOf(a.get('source')) as string));
  const target = parseRef(sOf(a.get('target')) as string);
  if (src === undefined || src === null || includes(e, target)) return;
  // SingleValueUpdate#update: the first element of an array, else `to_s`; a hit is set as is, the fallback sprintf'd.
  const dict = new Map(pairsOf(a.get('dictionary')));
  const hit = dict.get(Array.isArray(src) ? toS(src[0]) : toS(src));
  const fallback = sOf(a.get('fallback'));
  if (hit !== undefined) setField(e, target, hit);
  else if (fallback !== undefined) setField(e, target, sprintf(e, fallback));
  else return;
  filterMatched(e, a);
}

/** fingerprint (plugin source, fingerprint.rb): without `key`, `hexdigest(value.to_s)`; arrays element-wise. */
function fingerprint(e: LsEvent, a: Attrs): void {
  if (sOf(a.get('method')) !== 'SHA256' || a.has('key') || a.has('concatenate_sources'))
    throw new Error('fingerprint form not modelled');
  const target = parseRef(sOf(a.get('target')) as string);
  for (const s of listOf(a.get('source'))) {
    const path = parseRef(s);
    if (!includes(e, path)) continue;
    const v = getField(e, path);
    const h = (x: unknown) => createHash('sha256').update(toS(x), 'utf8').digest('hex');
    setField(e, target, Array.isArray(v) ? v.map(h) : h(v));
  }
  filterMatched(e, a);
}

/** json (https://www.elastic.co/guide/en/logstash/8.17/plugins-filters-json.html). */
function json(e: LsEvent, a: Attrs): void {
  const src = getField(e, parseRef(sOf(a.get('source')) as string));
  if (typeof src !== 'string') return;
  let parsed: unknown;
  try {
    parsed = parseJsonRuby(src);
  } catch {
    // `tag_on_failure` (default `_jsonparsefailure`); `skip_on_invalid_json` only quiets the log.
    const tags = a.has('tag_on_failure') ? listOf(a.get('tag_on_failure')) : ['_jsonparsefailure'];
    if (tags.length > 0) setField(e, ['tags'], [...((getField(e, ['tags']) as unknown[]) ?? []), ...tags]);
    return;
  }
  setField(e, parseRef(sOf(a.get('target')) as string), parsed);
  filterMatched(e, a);
}

/**
 * kv (logstash-filter-kv 4.7 `lib/logstash/filters/kv.rb`, `register` and `parse`), in the form
 * mapc writes: `field_split_pattern` and `value_split_pattern` (Ruby regexes of one-character
 * classes: the same text in JavaScript), `whitespace => "strict"`, `include_brackets => false`.
 * The scan regex is `key VS value? (FS|$)` with key `((?:\\.|(?!VS|FS).)+)` and value the
 * union of a double-quoted, a single-quoted and an unquoted capture `((?:\\.|(?!FS).)+)`; Ruby's
 * `.` is any character but `\n`, `$` the end of a line. `String#scan` skips text no match starts
 * at. A match whose value is nil or empty is dropped; a repeated key becomes the Array of its
 * values (`allow_duplicate_values` true keeps equal ones). Nothing parsed: no target is set (and
 * no tag); else the Hash is set at `target`. A source that is not a String (or an Array of them)
 * is left alone.
 */
function kv(e: LsEvent, a: Attrs): void {
  const known = new Set([
    'source',
    'target',
    'field_split_pattern',
    'value_split_pattern',
    'whitespace',
    'include_brackets',
  ]);
  for (const k of a.keys()) if (!known.has(k)) throw new Error(`kv option ${k} not modelled`);
  if (sOf(a.get('whitespace')) !== 'strict' || sOf(a.get('include_brackets')) !== 'false')
    throw new Error('kv: only whitespace => strict and include_brackets => false are modelled');
  const fs = sOf(a.get('field_split_pattern'));
  const vs = sOf(a.get('value_split_pattern'));
  if (fs === undefined || vs === undefined || fs === '' || vs === '')
    throw new Error('kv: both split patterns are modelled');
  if (
    /[\\^$.*+?()[\]{}|]/.test(fs.replace(/\[[^\]]\]/g, '')) ||
    /[\\^$.*+?()[\]{}|]/.test(vs.replace(/\[[^\]]\]/g, ''))
  )
    throw new Error(
      `kv: split patterns other than literal text and one-character classes are not modelled (${fs}, ${vs})`,
    );
  const src = getField(e, parseRef(sOf(a.get('source')) as string));
  const texts = typeof src === 'string' ? [src] : Array.isArray(src) ? src.filter((x) => typeof x === 'string') : [];
  const any = '[^\\n]';
  const key = `((?:\\\\${any}|(?!${vs}|${fs})${any})+)`;
  const quoted = (q: string): string => `${q}((?:\\\\${any}|[^${q}])+)?${q}`;
  const value = `(?:${quoted('"')}|${quoted("'")}|((?:\\\\${any}|(?!${fs})${any})+))`;
  const scan = new RegExp(`${key}(?:${vs})${value}?(?:${fs}|$)`, 'gmu');
  const pairs = new Map<string, unknown>();
  for (const text of texts) {
    if (!new RegExp(vs, 'u').test(text)) continue;
    for (const m of text.matchAll(scan)) {
      const found = [m[2], m[3], m[4]].find((x) => x !== undefined);
      if (found === undefined || found === '') continue;
      const k = m[1]!;
      const before = pairs.get(k);
      pairs.set(k, before === undefined ? found : Array.isArray(before) ? [...before, found] : [before, found]);
    }
  }
  if (pairs.size === 0) return;
  const hash: Record<string, unknown> = {};
  for (const [k, v] of pairs)
    Object.defineProperty(hash, k, { value: v, enumerable: true, writable: true, configurable: true });
  setField(e, parseRef(sOf(a.get('target')) as string), hash);
  filterMatched(e, a);
}

/**
 * The Ruby this evaluator models, stated here on its own (not imported from the target it checks,
 * issue 11): a `ruby` filter whose `init` and `code` are not exactly these is refused, so a change
 * of the generated Ruby fails the tests until the model is changed with it. Semantics of the
 * ruby filter (logstash-filter-ruby v3.1.8, lib/logstash/filters/ruby.rb): `init` runs once,
 * `code` per event with `event` bound; Event#get/#set as {@link getField}/{@link setField}.
 *
 * The type classifier: Ruby's `case` on nil, true, false, String, Integer, Numeric (Float), Hash,
 * Array (`empty?` telling `[]` apart).
 */
const RUBY_TYPE_INIT =
  "@mapc_type = lambda { |v| case v when nil then 'null' when true then 'true' when false then 'false' " +
  "when String then 'string' when Integer then 'integer' when Numeric then 'float' when Hash then 'object' " +
  "when Array then (v.empty? ? 'empty' : 'array') else 'other' end }";

/** JSON equality over Event#get values: Numeric by value, Hash by key set, Array by element, else class and `==`. */
const RUBY_SAME_INIT =
  '@mapc_same = lambda { |a, b| if a.is_a?(Numeric) && b.is_a?(Numeric) then a == b ' +
  'elsif a.is_a?(Hash) && b.is_a?(Hash) then a.size == b.size && a.all? { |k, x| b.key?(k) && @mapc_same.call(x, b[k]) } ' +
  'elsif a.is_a?(Array) && b.is_a?(Array) then a.size == b.size && a.each_index.all? { |i| @mapc_same.call(a[i], b[i]) } ' +
  'else a.class == b.class && a == b end }';

/** The `+=` code for destination field `t` and value field `v` (single-quoted Ruby strings of field references). */
const rubyAppendCode = (t: string, v: string): string =>
  `list = event.get('${t}'); list = list.nil? ? [] : (list.is_a?(Array) ? list : [list]); ` +
  `value = event.get('${v}'); (value.is_a?(Array) ? value : [value]).each { |x| list << x unless list.any? { |y| @mapc_same.call(y, x) } }; ` +
  `event.set('${t}', list)`;

/**
 * ruby: mapc's type probe. Its `init` must be exactly {@link RUBY_TYPE_INIT} and its `code` a
 * `; `-list of `event.set('<ref>', @mapc_type.call((event.get('<ref>') rescue nil)))`; the
 * classifier follows Ruby's `case` on nil, true, false, String, Integer, Numeric, Hash, Array
 * (`empty?` telling `[]` apart). After the tokens, the tier-2 reports: `mapc_e = []`, then
 * `mapc_e.push('<text>', ...) unless ['<token>', ...].include?(event.get('<ref>'))` (Array#include?
 * by `==`: a String equal to one of the literals), then `event.set('<ref>', mapc_e) unless
 * mapc_e.empty?` (a copy of the list; nothing when it is empty).
 */
function ruby(e: LsEvent, a: Attrs): void {
  const extractInit = /^@mapc_re = Regexp\.new\(\[([0-9]+(?:, [0-9]+)*)\]\.pack\('U\*'\)\)$/.exec(
    sOf(a.get('init')) ?? '',
  );
  if (extractInit) return rubyExtract(e, extractInit[1] as string, sOf(a.get('code')) ?? '');
  if (sOf(a.get('init')) === RUBY_SAME_INIT) return rubyAppend(e, sOf(a.get('code')) ?? '');
  if (sOf(a.get('init')) === RUBY_PICK_INIT) {
    const code = sOf(a.get('code')) ?? '';
    return code.includes('); if mapc_a.is_a?(Array) then ') ? rubyElements(e, code) : rubySelect(e, code);
  }
  if (a.get('init') === undefined) {
    const code = sOf(a.get('code')) ?? '';
    return code.startsWith('mapc_e = lambda') ? rubyDropEmpty(e, code) : rubyRawId(e, code);
  }
  const init = sOf(a.get('init'));
  if (init !== RUBY_TYPE_INIT && init !== `${RUBY_TYPE_INIT}; ${RUBY_NOW_INIT}`)
    throw new Error('ruby init not modelled');
  const withNow = init !== RUBY_TYPE_INIT;
  const code = sOf(a.get('code')) ?? '';
  const value = /^event\.set\('([^']+)', @mapc_type\.call\(\(event\.get\('([^']+)'\) rescue nil\)\)\)$/;
  const slot =
    /^event\.set\('([^']+)', event\.include\?\('([^']+)'\) \? @mapc_type\.call\(event\.get\('([^']+)'\)\) : 'missing'\)$/;
  // A numeric test: `'true'` when the value is a Ruby Numeric whose `to_f` satisfies the comparison.
  const numeric =
    /^event\.set\('([^']+)', \(\(mapc_n = \(event\.get\('([^']+)'\) rescue nil\)\)\.is_a\?\(Numeric\) && mapc_n\.to_f (<|<=|>|>=) (-?[0-9]+\.[0-9]+(?:e-?[0-9]+)?)\) \? 'true' : 'false'\)$/;
  // A `now` test (targets/logstash/probe.ts NOW_INIT): `'true'` when `@mapc_at` holds.
  const nowCall =
    /^event\.set\('([^']+)', @mapc_at\.call\(\(event\.get\('([^']+)'\) rescue nil\), \[((?:\[Regexp\.new\('[^']*'\), '[^']*'\](?:, )?)+)\], '(lt|le|gt|ge)', (-?[0-9]+)\) \? 'true' : 'false'\)$/;
  // Tier-2 reports after the tokens (targets/logstash/report.ts): a local list of texts per block.
  const push =
    /^mapc_e\.push\(((?:'[^'\\]*'(?:, )?)+)\) unless \[((?:'[^'\\]*'(?:, )?)+)\]\.include\?\(event\.get\('([^']+)'\)\)$/;
  const store = /^event\.set\('([^']+)', mapc_e\) unless mapc_e\.empty\?$/;
  const words = (list: string): string[] => [...list.matchAll(/'([^']*)'/g)].map((m) => m[1] as string);
  let texts: string[] | undefined;
  for (const stmt of splitRuby(code)) {
    if (stmt === 'mapc_e = []') {
      texts = [];
      continue;
    }
    const p = texts && push.exec(stmt);
    if (texts && p) {
      // Ruby's `include?` compares with `==`: a String token against String literals.
      const token = getField(e, parseRef(p[3] as string));
      if (!(typeof token === 'string' && words(p[2] as string).includes(token))) texts.push(...words(p[1] as string));
      continue;
    }
    const w = texts && store.exec(stmt);
    if (texts && w) {
      if (texts.length > 0) setField(e, parseRef(w[1] as string), [...texts]);
      continue;
    }
    const at = withNow ? nowCall.exec(stmt) : null;
    if (at) {
      const formats = [...(at[3] as string).matchAll(/\[Regexp\.new\('([^']*)'\), '([^']*)'\]/g)].map((f) => ({
        regex: f[1] as string,
        fields: f[2] as string,
      }));
      const v = getField(e, parseRef(at[2] as string));
      setField(e, parseRef(at[1] as string), rubyAt(v, formats, at[4] as string, Number(at[5])) ? 'true' : 'false');
      continue;
    }
    const n = numeric.exec(stmt);
    if (n) {
      const v = getField(e, parseRef(n[2] as string));
      const x =
        typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v instanceof RFloat ? v.value : undefined;
      const limit = Number(n[4]);
      const op = n[3];
      const holds =
        x !== undefined && (op === '<' ? x < limit : op === '<=' ? x <= limit : op === '>' ? x > limit : x >= limit);
      setField(e, parseRef(n[1] as string), holds ? 'true' : 'false');
      continue;
    }
    const m = value.exec(stmt) ?? slot.exec(stmt);
    if (!m || (m[3] !== undefined && m[3] !== m[2])) throw new Error(`ruby code not modelled: ${stmt}`);
    if (m[3] !== undefined && !includes(e, parseRef(m[2] as string))) {
      setField(e, parseRef(m[1] as string), 'missing');
      continue;
    }
    const v = getField(e, parseRef(m[2] as string));
    const type =
      v === undefined || v === null
        ? 'null'
        : v === true
          ? 'true'
          : v === false
            ? 'false'
            : typeof v === 'string'
              ? 'string'
              : typeof v === 'number' || typeof v === 'bigint'
                ? 'integer'
                : v instanceof RFloat
                  ? 'float'
                  : Array.isArray(v)
                    ? v.length === 0
                      ? 'empty'
                      : 'array'
                    : isObj(v)
                      ? 'object'
                      : 'other';
    setField(e, parseRef(m[1] as string), type);
  }
}

/**
 * The `now` test's lambda (targets/logstash/probe.ts `NOW_INIT`, reviewed), after the type
 * probe's in the `init` of a probe that holds a `now` test; its calls run {@link rubyAt}.
 */
const RUBY_NOW_INIT =
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
 * {@link RUBY_NOW_INIT}'s lambda, statement by statement: `Regexp#match` finds the leftmost match
 * (JavaScript's `exec` without flags, for these digit-and-separator regexes), which must cover the
 * whole text; `Time.utc` rolls over a day past the month's end (and 24:00:00, 60 seconds) and
 * raises for a month over 12, a day over 31, an hour over 24, a minute over 59 (rescued): the
 * instant must give its own fields back.
 */
function rubyAt(v: unknown, formats: readonly { regex: string; fields: string }[], op: string, off: number): boolean {
  if (typeof v !== 'string') return false;
  let ms: number | undefined;
  for (const f of formats) {
    const m = new RegExp(f.regex, 'u').exec(v);
    if (!m || m.index !== 0 || m[0].length !== v.length) continue;
    const t = [1970, 1, 1, 0, 0, 0, 0];
    let z = 0;
    let bad = false;
    for (let i = 0; i < f.fields.length; i++) {
      const g = m[i + 1];
      const c = f.fields[i]!;
      if (g === undefined) continue;
      if (c === 'S') t[6] = Number.parseInt(`${g}00`.slice(0, 3), 10);
      else if (c === 'o') {
        if (g !== 'Z') {
          const oh = Number.parseInt(g.slice(1, 3), 10);
          const om = Number.parseInt(g.slice(4, 6), 10);
          if (oh > 23 || om > 59) bad = true;
          z = (oh * 60 + om) * 60000;
          if (g.startsWith('+')) z = -z;
        }
      } else t['yMdHms'.indexOf(c)] = Number.parseInt(g, 10);
    }
    if (bad) continue;
    const [y, mo, d, h, mi, sec] = t as [number, number, number, number, number, number];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 60) continue;
    const date = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));
    date.setUTCFullYear(y, mo - 1, d);
    date.setUTCHours(h, mi, sec, 0);
    const back = [
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
    ];
    if (back.some((x, i) => x !== t[i])) continue;
    const r = date.getTime() + t[6]! + z;
    if (r >= -62167219200000 && r <= 253402300799999) {
      ms = r;
      break;
    }
  }
  if (ms === undefined) return false;
  const n = Date.now() + off;
  return op === 'lt' ? ms < n : op === 'le' ? ms <= n : op === 'gt' ? ms > n : ms >= n;
}

/**
 * Ruby statements split at `; ` outside single-quoted strings (the generated code quotes every
 * field name and text in single quotes, none holding a quote or backslash).
 */
function splitRuby(code: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < code.length; i++) {
    if (code[i] === "'") quoted = !quoted;
    else if (!quoted && code[i] === ';' && code[i + 1] === ' ') {
      out.push(code.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  out.push(code.slice(start));
  return out;
}

/** `@mapc_pick`: the value at a list of Hash keys (`reduce`: nil through anything but a Hash). */
const RUBY_PICK_INIT = '@mapc_pick = lambda { |o, path| path.reduce(o) { |x, k| x.is_a?(Hash) ? x[k] : nil } }';

/** Reads the text of the code from `at`: a single-quoted Ruby string (`\\` and `\'` its only escapes). */
function rubyQuoted(code: string, at: number): [string, number] {
  if (code[at] !== "'") throw new Error(`ruby code not modelled: no string at ${at}: ${code}`);
  let out = '';
  let i = at + 1;
  for (; i < code.length && code[i] !== "'"; i++) {
    if (code[i] === '\\' && (code[i + 1] === '\\' || code[i + 1] === "'")) i++;
    out += code[i];
  }
  return [out, i + 1];
}

/** `[s, ...]` of single-quoted strings from `at`. */
function rubyStringList(code: string, at: number): [string[], number] {
  if (code[at] !== '[') throw new Error(`ruby code not modelled: no list at ${at}: ${code}`);
  const out: string[] = [];
  let i = at + 1;
  while (code[i] !== ']') {
    const [s, next] = rubyQuoted(code, i);
    out.push(s);
    i = code.startsWith(', ', next) ? next + 2 : next;
  }
  return [out, i + 1];
}

/**
 * ruby: mapc's selection (`targets/logstash/select.ts` generates it; modelled here on its own):
 * `mapc_a = (event.get('<array>') rescue nil); mapc_e = mapc_a.is_a?(Array) ? mapc_a.find { |x|
 * x.is_a?(Hash) && (mapc_k = @mapc_pick.call(x, [<key>]); <test>) } : nil; mapc_v = mapc_e.nil? ?
 * nil : @mapc_pick.call(mapc_e, [<rest>]); event.set('<into>', mapc_v) unless mapc_v.nil?`, where
 * the test is `mapc_k.is_a?(String) && mapc_k == '<text>'`, `mapc_k.is_a?(Numeric) && mapc_k.to_f
 * == <float>` or `mapc_k == true|false`. `Array#find`: the first element the block is true for.
 */
function rubySelect(e: LsEvent, code: string): void {
  const expect = (text: string, at: number): number => {
    if (!code.startsWith(text, at)) throw new Error(`ruby code not modelled at ${at}: ${code}`);
    return at + text.length;
  };
  let i = expect('mapc_a = (event.get(', 0);
  const [array, a1] = rubyQuoted(code, i);
  i = expect(
    ') rescue nil); mapc_e = mapc_a.is_a?(Array) ? mapc_a.find { |x| x.is_a?(Hash) && (mapc_k = @mapc_pick.call(x, ',
    a1,
  );
  const [key, k1] = rubyStringList(code, i);
  i = expect('); ', k1);
  let test: (k: unknown) => boolean;
  const numeric = (k: unknown): number | undefined =>
    typeof k === 'number' ? k : typeof k === 'bigint' ? Number(k) : k instanceof RFloat ? k.value : undefined;
  if (code.startsWith('mapc_k.is_a?(String) && mapc_k == ', i)) {
    const [text, t1] = rubyQuoted(code, i + 'mapc_k.is_a?(String) && mapc_k == '.length);
    test = (k) => typeof k === 'string' && k === text;
    i = t1;
  } else if (code.startsWith('mapc_k.is_a?(Numeric) && mapc_k.to_f == ', i)) {
    const from = i + 'mapc_k.is_a?(Numeric) && mapc_k.to_f == '.length;
    const m = /^-?[0-9]+\.[0-9]+(e[-+]?[0-9]+)?/.exec(code.slice(from));
    if (!m) throw new Error(`ruby code not modelled: ${code}`);
    const x = Number(m[0]);
    test = (k) => numeric(k) === x;
    i = from + m[0].length;
  } else {
    const m = /^mapc_k == (true|false)/.exec(code.slice(i));
    if (!m) throw new Error(`ruby code not modelled: ${code}`);
    const b = m[1] === 'true';
    test = (k) => k === b;
    i += m[0].length;
  }
  i = expect(') } : nil; mapc_v = mapc_e.nil? ? nil : @mapc_pick.call(mapc_e, ', i);
  const [rest, r1] = rubyStringList(code, i);
  i = expect('); event.set(', r1);
  const [into, n1] = rubyQuoted(code, i);
  expect(', mapc_v) unless mapc_v.nil?', n1);
  if (!code.endsWith(', mapc_v) unless mapc_v.nil?')) throw new Error(`ruby code not modelled: ${code}`);
  const pick = (o: unknown, path: readonly string[]): unknown =>
    path.reduce<unknown>((x, k) => (isObj(x) ? (Object.hasOwn(x, k) ? x[k] : null) : null), o);
  const value = getField(e, parseRef(array));
  if (!Array.isArray(value)) return;
  const found = value.find((x) => isObj(x) && test(pick(x, key)));
  const picked = found === undefined ? null : pick(found, rest);
  if (picked !== null && picked !== undefined) setField(e, parseRef(into), clone(picked));
}

/**
 * ruby: mapc's element fields (`targets/logstash/select.ts`; modelled here on its own):
 * `mapc_a = (event.get('<array>') rescue nil); if mapc_a.is_a?(Array) then event.set('<into>',
 * mapc_a.select { |x| x.is_a?(Hash) }.map { |x| mapc_o = {}; [['<name>', ['<seg>', ...]], ...].each
 * { |n, p| mapc_f = @mapc_pick.call(x, p); mapc_o[n] = mapc_f unless mapc_f.nil? }; mapc_o }) end`.
 * A Ruby Hash keeps insertion order; `[]=` of a name given twice keeps its first place.
 */
function rubyElements(e: LsEvent, code: string): void {
  const expect = (text: string, at: number): number => {
    if (!code.startsWith(text, at)) throw new Error(`ruby code not modelled at ${at}: ${code}`);
    return at + text.length;
  };
  let i = expect('mapc_a = (event.get(', 0);
  const [array, a1] = rubyQuoted(code, i);
  i = expect(') rescue nil); if mapc_a.is_a?(Array) then event.set(', a1);
  const [into, n1] = rubyQuoted(code, i);
  i = expect(', mapc_a.select { |x| x.is_a?(Hash) }.map { |x| mapc_o = {}; [', n1);
  const fields: [string, string[]][] = [];
  while (code[i] === '[') {
    const [name, q1] = rubyQuoted(code, i + 1);
    const [path, p1] = rubyStringList(code, expect(', ', q1));
    fields.push([name, path]);
    i = expect(']', p1);
    if (code.startsWith(', ', i)) i += 2;
  }
  expect('].each { |n, p| mapc_f = @mapc_pick.call(x, p); mapc_o[n] = mapc_f unless mapc_f.nil? }; mapc_o }) end', i);
  if (!code.endsWith('mapc_o }) end')) throw new Error(`ruby code not modelled: ${code}`);
  const pick = (o: unknown, path: readonly string[]): unknown =>
    path.reduce<unknown>((x, k) => (isObj(x) ? (Object.hasOwn(x, k) ? x[k] : null) : null), o);
  const value = getField(e, parseRef(array));
  if (!Array.isArray(value)) return;
  const out = value.filter(isObj).map((x) => {
    const o: Obj = {};
    for (const [name, path] of fields) {
      const f = pick(x, path);
      if (f !== null && f !== undefined) o[name] = clone(f);
    }
    return o;
  });
  setField(e, parseRef(into), out);
}

/** The `extract` code for the value field `v` and its type token `t`. */
const rubyExtractCode = (v: string, t: string): string =>
  `m = @mapc_re.match(event.get('${v}')); c = m && m[1]; ` +
  `if c.nil? || c.empty? then event.set('${t}', 'fail') else event.set('${v}', c) end`;

/** The named-group form: the Hash of the groups that captured text; the type token `object`. */
const rubyExtractNamedCode = (v: string, t: string): string =>
  `m = @mapc_re.match(event.get('${v}')); c = m && m.named_captures.reject { |k, x| x.nil? || x.empty? }; ` +
  `if c.nil? || c.empty? then event.set('${t}', 'fail') else event.set('${v}', c); event.set('${t}', 'object') end`;

/**
 * ruby: mapc's `extract`. `init` compiles `Regexp.new` of the code points (`Array#pack('U*')`: a
 * UTF-8 String of them); JRuby's Regexp is Joni in Ruby syntax, modelled for mapc's forms by
 * `../shared/onig.ts`. `Regexp#match` finds the leftmost match (nil for none; a non-String
 * argument raises, which mapc never passes); `m[1]` is the first group's text, nil when it took no
 * part in the match.
 */
function rubyExtract(e: LsEvent, codePoints: string, code: string): void {
  const m = /^m = @mapc_re\.match\(event\.get\('([^']+)'\)\); .* event\.set\('([^']+)', 'fail'\) else/.exec(code);
  const v = m?.[1] as string;
  const t = m?.[2] as string;
  const named = !!m && code === rubyExtractNamedCode(v, t);
  if (!m || (!named && code !== rubyExtractCode(v, t))) throw new Error(`ruby code not modelled: ${code}`);
  const source = String.fromCodePoint(...codePoints.split(', ').map(Number));
  const { source: js, names } = onigToJs(source, true);
  const value = getField(e, parseRef(v));
  if (typeof value !== 'string')
    throw new Error('emulated ruby: Regexp#match of a non-String (TypeError) is not modelled');
  const found = new RegExp(js, 'u').exec(value);
  if (named) {
    // `named_captures`: name => text, nil for a group that took no part; then the reject.
    const hash = Object.fromEntries(
      names.flatMap((name, k) => {
        const text = found?.[k + 1];
        return text === undefined || text === '' ? [] : [[name, text]];
      }),
    );
    if (!found || Object.keys(hash).length === 0) setField(e, parseRef(t), 'fail');
    else {
      setField(e, parseRef(v), hash);
      setField(e, parseRef(t), 'object');
    }
    return;
  }
  const captured = found?.[1];
  if (captured === undefined || captured === '') setField(e, parseRef(t), 'fail');
  else setField(e, parseRef(v), captured);
}

/**
 * ruby without `init`: mapc's `id raw` (no other ruby filter has none). A String of 1 to 512
 * bytes (`bytesize`, UTF-8) as is; a Numeric (Integer, or a finite Float) equal to its `floor`
 * with `abs` at most 2^53 − 1 as `to_i.to_s`; else nothing is set.
 */
const rubyRawIdCode = (v: string, t: string): string =>
  `mapc_v = (event.get('${v}') rescue nil); ` +
  `mapc_id = if mapc_v.is_a?(String) then ((1..512).cover?(mapc_v.bytesize) ? mapc_v : nil) ` +
  `elsif mapc_v.is_a?(Numeric) && (mapc_v.is_a?(Integer) || mapc_v.to_f.finite?) && mapc_v == mapc_v.floor && mapc_v.abs <= 9007199254740991 then mapc_v.to_i.to_s ` +
  'else nil end; ' +
  `event.set('${t}', mapc_id) unless mapc_id.nil?`;

function rubyRawId(e: LsEvent, code: string): void {
  const m =
    /^mapc_v = \(event\.get\('([^']+)'\) rescue nil\); .* event\.set\('([^']+)', mapc_id\) unless mapc_id\.nil\?$/.exec(
      code,
    );
  if (!m || code !== rubyRawIdCode(m[1] as string, m[2] as string)) throw new Error(`ruby code not modelled: ${code}`);
  const v = getField(e, parseRef(m[1] as string));
  let id: string | undefined;
  if (typeof v === 'string') {
    const bytes = Buffer.byteLength(v, 'utf8');
    if (bytes >= 1 && bytes <= 512) id = v;
  } else {
    const x = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v instanceof RFloat ? v.value : undefined;
    if (x !== undefined && Number.isFinite(x) && Number.isInteger(x) && Math.abs(x) <= 9007199254740991)
      id = String(x === 0 ? 0 : x);
  }
  if (id !== undefined) setField(e, parseRef(m[2] as string), id);
}

/**
 * ruby without `init` starting `mapc_e = lambda`: mapc's `drop empty` over the refs of the
 * namespace and its parents (outermost first). `mapc_e` is true for nil and `''`, and for a Hash or
 * Array after `reject!` of the members/elements it is true for, when it is left `empty?`. The
 * namespace's copy (`event.get`) is written back pruned, or removed when emptied, then each parent
 * whose value `== {}` (an empty Hash) is removed, innermost first.
 */
const rubyDropEmptyCode = (refs: readonly string[]): string => {
  const parents = (depth: number): string =>
    depth === 0
      ? ''
      : ` if event.get('${refs[depth - 1]}') == {} then event.remove('${refs[depth - 1]}');${parents(depth - 1)} end;`;
  const full = refs.at(-1)!;
  return (
    "mapc_e = lambda { |v| if v.nil? || v == '' then true elsif v.is_a?(Hash) then v.reject! { |_, x| mapc_e.call(x) }; v.empty? elsif v.is_a?(Array) then v.reject! { |x| mapc_e.call(x) }; v.empty? else false end }; " +
    `mapc_v = (event.get('${full}') rescue nil); if mapc_v.is_a?(Hash) || mapc_v.is_a?(Array) then ` +
    `if mapc_e.call(mapc_v) then event.remove('${full}');${parents(refs.length - 1)} else event.set('${full}', mapc_v) end end`
  );
};

function rubyDropEmpty(e: LsEvent, code: string): void {
  const m = /mapc_v = \(event\.get\('([^']+)'\) rescue nil\)/.exec(code);
  if (!m) throw new Error(`ruby code not modelled: ${code}`);
  const path = parseRef(m[1] as string);
  const refs = path.map((_, i) =>
    path
      .slice(0, i + 1)
      .map((k) => `[${k}]`)
      .join(''),
  );
  if (code !== rubyDropEmptyCode(refs)) throw new Error(`ruby code not modelled: ${code}`);
  const empty = (v: unknown): boolean => {
    if (v === null || v === undefined || v === '') return true;
    if (Array.isArray(v)) {
      const kept = v.filter((x) => !empty(x));
      v.splice(0, v.length, ...kept);
      return v.length === 0;
    }
    if (isObj(v)) {
      for (const k of Object.keys(v)) if (empty(v[k])) delete v[k];
      return Object.keys(v).length === 0;
    }
    return false;
  };
  // Event#get's Ruby copy: Hashes and Arrays copied, scalars (RFloat, Timestamp) shared.
  const rubyCopy = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rubyCopy);
    if (!isObj(v)) return v;
    const o: Obj = {};
    for (const [k, x] of Object.entries(v)) put(o, k, rubyCopy(x));
    return o;
  };
  const copy = rubyCopy(getField(e, path));
  if (!Array.isArray(copy) && !isObj(copy)) return;
  if (!empty(copy)) {
    setField(e, path, copy);
    return;
  }
  removeField(e, path);
  for (let depth = path.length - 1; depth >= 1; depth--) {
    const parent = getField(e, path.slice(0, depth));
    if (!isObj(parent) || Object.keys(parent).length > 0) return;
    removeField(e, path.slice(0, depth));
  }
}

/**
 * ruby: mapc's `+=` write; its `init` must be exactly {@link RUBY_SAME_INIT} and its `code` {@link rubyAppendCode}'s
 * for the referenced fields. Event#get gives Ruby copies; `@mapc_same` is modelled by {@link rubySame}.
 */
function rubyAppend(e: LsEvent, code: string): void {
  const m = /^list = event\.get\('([^']+)'\); .* value = event\.get\('([^']+)'\); /.exec(code);
  if (!m || code !== rubyAppendCode(m[1] as string, m[2] as string)) throw new Error(`ruby code not modelled: ${code}`);
  const target = parseRef(m[1] as string);
  const current = getField(e, target);
  const list: unknown[] =
    current === undefined || current === null
      ? []
      : Array.isArray(current)
        ? (clone(current) as unknown[])
        : [clone(current)];
  const value = clone(getField(e, parseRef(m[2] as string)));
  for (const x of Array.isArray(value) ? value : [value]) if (!list.some((y) => rubySame(y, x))) list.push(x);
  setField(e, target, list);
}

/**
 * `@mapc_same` ({@link RUBY_SAME_INIT}): Numeric `==` across Integer and Float, Hash by key set, Array by
 * element, otherwise same class and `==` (a String never equals a number, nil only nil).
 */
export function rubySame(a: unknown, b: unknown): boolean {
  const num = (x: unknown): number | bigint | undefined =>
    x instanceof RFloat ? x.value : typeof x === 'number' || typeof x === 'bigint' ? x : undefined;
  const na = num(a);
  const nb = num(b);
  // eslint-disable-next-line eqeqeq -- Ruby's Integer == Float compares values, as JS == does across number and bigint
  if (na !== undefined && nb !== undefined) return na == nb;
  if (isObj(a) && isObj(b))
    return (
      Object.keys(a).length === Object.keys(b).length &&
      Object.keys(a).every((k) => Object.hasOwn(b, k) && rubySame(a[k], b[k]))
    );
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => rubySame(x, b[i]));
  if (a instanceof Timestamp && b instanceof Timestamp) return a.ms === b.ms;
  return (
    (a === null || a === undefined ? null : a) === (b === null || b === undefined ? null : b) && typeof a === typeof b
  );
}

/**
 * split (logstash-filter-split, split.rb): an array field yields one clone per element with the
 * field set to it, skipping elements whose `empty?` is true ("" , {}, []), then cancels the
 * original; `empty?` on a number raises (modelled as a throw); a string is split on the terminator
 * (not modelled: mapc only splits arrays).
 */
function split(e: LsEvent, a: Attrs): LsEvent[] {
  const path = parseRef(sOf(a.get('field')) ?? 'message');
  const v = getField(e, path);
  if (!Array.isArray(v)) throw new Error('split of a non-array not modelled');
  const out: LsEvent[] = [];
  for (const item of v) {
    if (typeof item !== 'string' && !Array.isArray(item) && !isObj(item))
      throw new Error(`split: undefined method empty? for ${toS(item)}`);
    if (typeof item === 'string' || Array.isArray(item) ? item.length === 0 : Object.keys(item as Obj).length === 0)
      continue;
    const clone: LsEvent = { data: cloneData(e.data), initialTimestamp: e.initialTimestamp };
    setField(clone, path, cloneValue(item));
    filterMatched(clone, a);
    out.push(clone);
  }
  return out;
}

function cloneData(data: Obj): Obj {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, cloneValue(v)]));
}
const cloneValue = (v: unknown): unknown => (Array.isArray(v) ? v.map(cloneValue) : isObj(v) ? cloneData(v) : v);

/**
 * The databases the `geoip` filter reads, by kind: Logstash's managed City and ASN databases.
 * Until a test installs its own, empty ones (test/support/geoip.ts): MaxMind's hold none of the
 * documentation addresses the fixtures use.
 */
let geoipDatabases: { City?: Reader<Response>; ASN?: Reader<Response> } = {};

/** Installs the `geoip` filter's City and ASN databases (the tests' stand-in for Logstash's managed ones). */
export function useGeoipDatabases(files: { readonly City: string; readonly ASN: string }): void {
  geoipDatabases = { City: new Reader(readFileSync(files.City)), ASN: new Reader(readFileSync(files.ASN)) };
}

/**
 * geoip (logstash-filter-geoip, logstash-plugins/logstash-filter-geoip `GeoIPFilter.java`
 * `handleEvent`/`applyGeoData`/`retrieveCityGeoData`/`retrieveAsnGeoData`, `Field.java` for the
 * ECS names; https://www.elastic.co/guide/en/logstash/current/plugins-filters-geoip.html), the
 * form mapc emits: `ecs_compatibility => "v8"`, explicit `fields`, `default_database_type`
 * `City` (default) or `ASN`, `tag_on_failure`. A missing or empty source does nothing; an
 * address that is not found (or not an address) adds the `tag_on_failure` tags; a City record
 * with neither latitude nor longitude gives nothing ("no point populating geo data"); otherwise
 * each found field is set under `[target]` at its ECS name, after an absent target is made `{}`.
 */
function geoip(e: LsEvent, a: Attrs): void {
  const known = ['source', 'target', 'ecs_compatibility', 'default_database_type', 'fields', 'tag_on_failure'];
  for (const k of a.keys()) if (!known.includes(k)) throw new Error(`geoip option ${k} not modelled`);
  if (sOf(a.get('ecs_compatibility')) !== 'v8') throw new Error('geoip: only ecs_compatibility v8 is modelled');
  const kind = sOf(a.get('default_database_type')) ?? 'City';
  if (kind !== 'City' && kind !== 'ASN') throw new Error(`geoip: database type ${kind} not modelled`);
  if (!geoipDatabases.City) {
    const { emptyCity, emptyAsn } = testGeoDatabases();
    useGeoipDatabases({ City: emptyCity, ASN: emptyAsn });
  }
  const reader = geoipDatabases[kind];
  if (!reader) throw new Error(`geoip: no ${kind} database installed (useGeoipDatabases)`);
  const target = sOf(a.get('target'));
  if (target === undefined || target.includes('[')) throw new Error('geoip: target must be one field name');
  const input = getField(e, parseRef(sOf(a.get('source')) as string));
  if (input === undefined || input === null) return;
  if (typeof input !== 'string') throw new Error('geoip: only a string source is modelled');
  if (input.trim() === '') return;
  const failed = (): void => {
    const tags = a.has('tag_on_failure') ? listOf(a.get('tag_on_failure')) : ['_geoip_lookup_failure'];
    if (tags.length > 0) setField(e, ['tags'], [...((getField(e, ['tags']) as unknown[]) ?? []), ...tags]);
  };
  let found: Record<string, unknown> | null;
  try {
    found = reader.get(input) as Record<string, unknown> | null;
  } catch {
    found = null; // UnknownHostException: not an address
  }
  const data = new Map<string, unknown>();
  if (found) {
    const en = (part: unknown): unknown => (part as { names?: { en?: unknown } } | undefined)?.names?.en;
    for (const f of listOf(a.get('fields'))) {
      const put = (name: string, value: unknown): void => {
        if (value !== undefined && value !== null) data.set(name, value);
      };
      if (kind === 'City') {
        const location = found['location'] as { latitude?: number; longitude?: number } | undefined;
        if (location?.latitude === undefined && location?.longitude === undefined) break;
        const country = found['country'] as { iso_code?: string } | undefined;
        const subdivisions = found['subdivisions'] as Record<string, unknown>[] | undefined;
        const region = subdivisions?.[subdivisions.length - 1];
        if (f === 'CITY_NAME') put('geo.city_name', en(found['city']));
        else if (f === 'CONTINENT_NAME') put('geo.continent_name', en(found['continent']));
        else if (f === 'COUNTRY_NAME') put('geo.country_name', en(country));
        else if (f === 'COUNTRY_CODE2') put('geo.country_iso_code', country?.iso_code);
        else if (f === 'REGION_NAME') put('geo.region_name', en(region));
        else if (f === 'REGION_ISO_CODE')
          put(
            'geo.region_iso_code',
            country?.iso_code !== undefined && typeof region?.['iso_code'] === 'string'
              ? `${country.iso_code}-${region['iso_code']}`
              : undefined,
          );
        else if (f === 'LOCATION')
          put(
            'geo.location',
            location?.latitude !== undefined && location.longitude !== undefined
              ? { lat: new RFloat(location.latitude), lon: new RFloat(location.longitude) }
              : undefined,
          );
        else throw new Error(`geoip: City field ${f} not modelled`);
      } else if (f === 'AUTONOMOUS_SYSTEM_NUMBER') put('as.number', found['autonomous_system_number']);
      else if (f === 'AUTONOMOUS_SYSTEM_ORGANIZATION')
        put('as.organization.name', found['autonomous_system_organization']);
      else throw new Error(`geoip: ASN field ${f} not modelled`);
    }
  }
  // applyGeoData: an absent target becomes {} whatever the lookup found (a not-found address
  // leaves an empty map, as does a City record without coordinates).
  if (getField(e, [target]) === undefined || getField(e, [target]) === null) setField(e, [target], {});
  if (data.size === 0) {
    failed();
    return;
  }
  for (const [name, value] of data) setField(e, [target, ...name.split('.')], value);
  filterMatched(e, a);
}

/**
 * useragent (logstash-filter-useragent, ./useragent.ts), the form mapc emits: `source`, `target`,
 * `ecs_compatibility => "v8"`. The `[@metadata]` parts are set at their absolute paths.
 */
function useragent(e: LsEvent, a: Attrs): void {
  const known = ['source', 'target', 'ecs_compatibility'];
  for (const k of a.keys()) if (!known.includes(k)) throw new Error(`useragent option ${k} not modelled`);
  if (sOf(a.get('ecs_compatibility')) !== 'v8') throw new Error('useragent: only ecs_compatibility v8 is modelled');
  let input = getField(e, parseRef(sOf(a.get('source')) as string));
  if (Array.isArray(input)) input = input[0];
  if (input === undefined || input === null || input === '') return;
  if (typeof input !== 'string') throw new Error('useragent: only a string source is modelled');
  const target = parseRef(sOf(a.get('target')) ?? '[user_agent]');
  for (const [path, value] of useragentFields(input)) {
    setField(e, path[0] === '@metadata' ? path : [...target, ...path], value);
  }
  filterMatched(e, a);
}

const PLUGINS: Record<string, (e: LsEvent, a: Attrs) => void> = {
  mutate,
  date,
  translate,
  fingerprint,
  json,
  kv,
  ruby,
  geoip,
  useragent,
};

/** Runs statements over one event; returns the events that leave (none after drop, several after split). */
export function runStatements(e: LsEvent, body: readonly Statement[]): LsEvent[] {
  let current = [e];
  for (const s of body) current = current.flatMap((event) => runOne(event, s));
  return current;
}

function runOne(e: LsEvent, s: Statement): LsEvent[] {
  if (s.kind === 'if') {
    const branch = s.branches.find((b) => evalCondition(e, b.condition));
    const body = branch ? branch.body : s.otherwise;
    return body ? runStatements(e, body) : [e];
  }
  const attrs = new Map(s.attributes.map((a) => [a.name, a.value]));
  if (s.name === 'drop') return [];
  if (s.name === 'split') return split(e, attrs);
  const run = PLUGINS[s.name];
  if (!run) throw new Error(`filter ${s.name} not modelled`);
  run(e, attrs);
  return [e];
}

/**
 * Load-time substitution (./interpolation.ts): every attribute string, array element and hash value
 * anywhere in the text (hash keys are not substituted); a conditional's string operand only when it
 * is one whole placeholder (ExpressionSubstitution, regex literals excluded).
 */
export function substituteStatements(body: readonly Statement[], env: Readonly<Record<string, string>>): Statement[] {
  const vars: Variables = { env };
  const value = (v: Value): Value => {
    switch (v.kind) {
      case 'string':
        return { kind: 'string', text: substituteOption(v.text, vars) };
      case 'array':
        return { kind: 'array', items: v.items.map(value) };
      case 'hash':
        return { kind: 'hash', entries: v.entries.map((x) => ({ key: x.key, value: value(x.value) })) };
      default:
        return v;
    }
  };
  const rv = (r: Rvalue): Rvalue => (r.kind === 'string' ? { kind: 'string', text: expandWhole(r.text, vars) } : r);
  const condition = (c: Condition): Condition => {
    switch (c.kind) {
      case 'truthy':
        return c;
      case 'compare':
      case 'in':
        return { ...c, left: rv(c.left), right: rv(c.right) };
      case 'match':
        return { ...c, left: rv(c.left) };
      case 'not':
        return { kind: 'not', condition: condition(c.condition) };
      case 'and':
      case 'or':
        return { kind: c.kind, conditions: c.conditions.map(condition) };
    }
  };
  return body.map((s): Statement =>
    s.kind === 'plugin'
      ? { ...s, attributes: s.attributes.map((a) => ({ name: a.name, value: value(a.value) })) }
      : {
          ...s,
          branches: s.branches.map((b) => ({
            condition: condition(b.condition),
            body: substituteStatements(b.body, env),
          })),
          ...(s.otherwise ? { otherwise: substituteStatements(s.otherwise, env) } : {}),
        },
  );
}

/** What the elasticsearch output sends: the body without @metadata (and without an untouched @timestamp), and the id. */
export function outputDocument(e: LsEvent): { _id?: string; doc: Record<string, unknown> } {
  const { '@metadata': meta, ...rest } = e.data;
  if (rest['@timestamp'] === e.initialTimestamp) delete rest['@timestamp'];
  const id = isObj(meta) && typeof meta['_id'] === 'string' ? meta['_id'] : undefined;
  const doc = toJson(rest) as Record<string, unknown>;
  return id === undefined ? { doc } : { _id: id, doc };
}
