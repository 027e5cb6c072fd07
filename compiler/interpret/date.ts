/**
 * The `date` transform: parse with the first matching {@link DateFormat}, write a UTC string
 * `yyyy-MM-ddTHH:mm:ss.SSSZ` (milliseconds, extra fraction digits truncated, never rounded), the
 * Elasticsearch `date` processor's default output
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/date-processor.html).
 *
 * Instants outside years 0000-9999 (after applying the offset) fail: the output format has four
 * year digits.
 *
 * @module
 */
import type { DateFormat, DatePatternIR } from '../ir.ts';
import { InterpretError } from './errors.ts';
import { FAIL, ok, type TransformOutcome } from './outcome.ts';

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z in epoch milliseconds. */
export const MIN_DATE_MS = -62_167_219_200_000;
export const MAX_DATE_MS = 253_402_300_799_999;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Tries each format in order; the first that parses wins. */
export function parseDate(value: unknown, formats: readonly DateFormat[]): TransformOutcome {
  for (const format of formats) {
    const ms = parseOne(value, format);
    if (ms !== undefined && ms >= MIN_DATE_MS && ms <= MAX_DATE_MS) return ok(formatUtc(ms));
  }
  return FAIL;
}

/** `yyyy-MM-ddTHH:mm:ss.SSSZ` for an instant within years 0000-9999. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** Epoch milliseconds, or undefined when `value` does not match `format`. */
export function parseOne(value: unknown, format: DateFormat): number | undefined {
  switch (format.kind) {
    case 'iso8601':
      return typeof value === 'string' ? parseRfc3339(value) : undefined;
    case 'unix_ms':
      return parseEpoch(value, 0);
    case 'unix':
      return parseEpoch(value, 3);
    case 'pattern':
      return typeof value === 'string' ? parsePattern(value, format.pattern) : undefined;
  }
}

/**
 * RFC 3339 §5.6 `date-time`: `T` separator, optional fraction of any length, `Z` or `±hh:mm`.
 * Only upper-case `T` and `Z` are accepted (the narrowest form every target's parser reads);
 * leap seconds (`:60`) are rejected.
 */
function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, oh, om] = m;
  const local = utcMs(num(y), num(mo), num(d), num(h), num(mi), num(s), millisOf(fraction));
  if (local === undefined) return undefined;
  if (zulu) return local;
  const offsetHours = num(oh);
  const offsetMinutes = num(om);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
  return sign === '+' ? local - offset : local + offset;
}

/**
 * Epoch seconds (`shift` 3) or milliseconds (`shift` 0) as a JSON number or a decimal string.
 * Sub-millisecond fractions are truncated toward the past (floor), so the written instant is the
 * input's own instant cut to milliseconds, as for ISO 8601 input.
 */
function parseEpoch(value: unknown, shift: 0 | 3): number | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
    // Numbers JavaScript prints in exponent form (1e-7, 1e21) are out of the text path's reach.
    if (!DECIMAL.test(text)) return Math.floor(value * 10 ** shift);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return undefined;
  }
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const [, minus, whole, fraction = ''] = m;
  // Exact decimal arithmetic on the digits: 1700000000.123 s must be ...123 ms, not ...122.
  const digits = (whole ?? '') + fraction.padEnd(shift, '0').slice(0, shift);
  const dropped = fraction.slice(shift);
  let ms = BigInt(digits);
  if (minus) ms = -ms - (/[1-9]/.test(dropped) ? 1n : 0n);
  if (ms < BigInt(MIN_DATE_MS) || ms > BigInt(MAX_DATE_MS)) return undefined;
  return Number(ms);
}

/** The fields the IR allows (`DatePatternIR` in compiler/ir.ts), each read as exactly its width in digits. */
const PATTERN_FIELDS = new Set(['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss', 'SSS']);

interface CompiledPattern {
  readonly regex: RegExp;
  readonly fields: readonly string[];
}

const compiled = new WeakMap<DatePatternIR, CompiledPattern>();

/**
 * A date pattern read in UTC from its tokens: each field exactly its width in ASCII digits,
 * each literal as itself. Absent fields default to 1970-01-01T00:00:00.000.
 */
function parsePattern(text: string, pattern: DatePatternIR): number | undefined {
  const { regex, fields } = compilePattern(pattern);
  const m = regex.exec(text);
  if (!m) return undefined;
  const part = (name: string, fallback: number): number => {
    const i = fields.indexOf(name);
    return i < 0 ? fallback : num(m[i + 1]);
  };
  return utcMs(
    part('yyyy', 1970),
    part('MM', 1),
    part('dd', 1),
    part('HH', 0),
    part('mm', 0),
    part('ss', 0),
    part('SSS', 0),
  );
}

/**
 * The regex of a pattern's tokens (cached per pattern); throws for a field the IR does not allow
 * or a repeated one (the checks reject both, E0111).
 */
function compilePattern(pattern: DatePatternIR): CompiledPattern {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  let source = '^';
  const fields: string[] = [];
  for (const token of pattern.tokens) {
    if (token.kind === 'field') {
      const name = token.letter.repeat(token.width);
      if (!PATTERN_FIELDS.has(name) || fields.includes(name)) {
        throw new InterpretError(
          'E0300',
          `date pattern ${JSON.stringify(pattern.text)}: unsupported or repeated field ${name}`,
        );
      }
      fields.push(name);
      source += `(\\d{${token.width}})`;
    } else {
      source += token.text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  const result = { regex: new RegExp(`${source}$`), fields };
  compiled.set(pattern, result);
  return result;
}

/** Epoch ms of a calendar date-time, or undefined if any field is out of range (Feb 30, 24:00). */
function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The first three fraction digits as milliseconds (`.5` → 500, `.123456` → 123). */
function millisOf(fraction: string | undefined): number {
  return fraction === undefined ? 0 : num(fraction.slice(0, 3).padEnd(3, '0'));
}

function num(digits: string | undefined): number {
  return Number(digits ?? '0');
}
