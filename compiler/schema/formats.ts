/**
 * The custom JSON Schema formats of mapc record schemas, validated by the reference
 * interpreter's own parsers so that a record ajv accepts is one the mapping reads without a
 * tier-2 failure, and the reverse (module doc of `compiler/ir.ts`, "Record schemas"):
 *
 * | format | strings it accepts | interpreter code |
 * |---|---|---|
 * | `mapc-iso8601` | RFC 3339 date-times | `parseDate` with `iso8601` |
 * | `mapc-unix` | epoch seconds as decimal text | `parseDate` with `unix` |
 * | `mapc-unix-ms` | epoch milliseconds as decimal text | `parseDate` with `unix_ms` |
 * | `mapc-pattern` | text matching the date pattern in the sibling keyword `mapcDatePattern` | `parseDate` with the pattern |
 * | `mapc-ip` | IPv4 dotted quads and IPv6 addresses | `isValidIp` (`convert ip`) |
 *
 * JSON Schema formats apply to strings only (ajv 8: a format has one type); epoch *numbers* are
 * bounded with `minimum`/`exclusiveMaximum` instead ({@link epochRange}), the exact range the
 * date transform accepts (years 0000-9999, fractions truncated toward the past).
 *
 * @module
 */
import { datePatternFormat, type DateFormat, type FieldFormat } from '../ir.ts';
import { parseDate } from '../interpret/date.ts';
import { isValidIp } from '../interpret/ip.ts';

/** The format name of each field format kind. */
export const FORMAT_NAMES: Readonly<Record<FieldFormat['kind'], string>> = {
  iso8601: 'mapc-iso8601',
  unix: 'mapc-unix',
  unix_ms: 'mapc-unix-ms',
  pattern: 'mapc-pattern',
  ip: 'mapc-ip',
};

/** The keyword carrying a `mapc-pattern` field's date pattern (a format cannot take a parameter). */
export const DATE_PATTERN_KEYWORD = 'mapcDatePattern';

function parses(format: DateFormat): (text: string) => boolean {
  return (text) => parseDate(text, [format]).kind === 'value';
}

/** Validators of the parameterless formats, by name (strings only). */
export const FORMAT_VALIDATORS: Readonly<Record<string, (text: string) => boolean>> = {
  'mapc-iso8601': parses({ kind: 'iso8601' }),
  'mapc-unix': parses({ kind: 'unix' }),
  'mapc-unix-ms': parses({ kind: 'unix_ms' }),
  'mapc-ip': isValidIp,
};

const patternFormats = new Map<string, DateFormat>();

/**
 * Whether `text` matches the date `pattern` (the `mapcDatePattern` keyword, whose JSON Schema
 * value is the pattern's text, so it is tokenized here by the front end's parser).
 */
export function matchesDatePattern(pattern: string, text: string): boolean {
  let format = patternFormats.get(pattern);
  if (!format) patternFormats.set(pattern, (format = datePatternFormat(pattern)));
  return parseDate(text, [format]).kind === 'value';
}

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z in epoch milliseconds (as `compiler/interpret/date.ts`). */
const MIN_MS = -62_167_219_200_000;
const MAX_MS = 253_402_300_799_999;

/**
 * The numbers the `date` transform reads as `unix` (seconds) or `unix_ms`: it truncates to
 * milliseconds toward the past, so `x` is accepted when `MIN_MS <= floor(x * scale) <= MAX_MS`,
 * i.e. `MIN_MS / scale <= x < (MAX_MS + 1) / scale`.
 */
export function epochRange(kind: 'unix' | 'unix_ms'): { readonly minimum: number; readonly exclusiveMaximum: number } {
  const scale = kind === 'unix' ? 1000 : 1;
  return { minimum: MIN_MS / scale, exclusiveMaximum: (MAX_MS + 1) / scale };
}
