/**
 * {@link DateFormat}s as CEL: parsing a record's text into a CEL `timestamp` and formatting a
 * `timestamp` back, with mito's time library (`<string>.parse_time(layout)`,
 * `<timestamp>.format(layout)`, the `time_layout` global; mito `lib/time.go`, v1.24.1) and CEL's
 * standard conversions (`timestamp(string)` parses RFC 3339; `int(timestamp)` and
 * `timestamp(int)` convert epoch seconds: https://github.com/google/cel-spec/blob/cab4548c3d3601db084a24d994d5205062343a23/doc/langdef.md#list-of-standard-definitions).
 *
 * Patterns (`dd/MM/yyyy`) become Go reference layouts (`02/01/2006`,
 * https://pkg.go.dev/time#pkg-constants). Formatting converts to UTC first (the IR interprets
 * patterns in UTC) through epoch seconds, which drops the fraction: patterns carry at most
 * milliseconds (`SSS`), kept by adding the millisecond remainder back.
 *
 * @module
 */
import type { DateFormat, DatePatternIR } from '../../../compiler/ir.ts';
import { celString } from './text.ts';

/** The IR's pattern fields with their Go layout equivalents. */
const GO_FIELDS: Readonly<Record<string, string>> = {
  yyyy: '2006',
  SSS: '000',
  MM: '01',
  dd: '02',
  HH: '15',
  mm: '04',
  ss: '05',
};

/**
 * The Go layout for a pattern's tokens, or an explanation of why there is none. A field outside
 * the IR's, or a literal holding a letter or digit, is refused (Go would read them as layout
 * elements); `SSS` must follow `.` or `,` (Go only recognises fractions there).
 */
export function goLayout(pattern: DatePatternIR): { layout: string } | { error: string } {
  let out = '';
  for (const token of pattern.tokens) {
    const written = token.kind === 'field' ? token.letter.repeat(token.width) : token.text;
    if (token.kind === 'literal') {
      const at = token.text.search(/[A-Za-z0-9]/);
      if (at >= 0) return { error: `"${token.text[at]}" in "${written}" is neither a supported field nor punctuation` };
      out += token.text;
      continue;
    }
    const layout = GO_FIELDS[written];
    if (layout === undefined) return { error: `"${written}" is not a supported field` };
    if (written === 'SSS' && !(out.endsWith('.') || out.endsWith(',')))
      return { error: 'SSS must follow "." or "," to be a Go fraction' };
    out += layout;
  }
  return { layout: out };
}

/** CEL expression: `ts` (a timestamp expression) in UTC, to millisecond precision. */
function utc(ts: string): string {
  return `${ts}.as(t, timestamp(int(t)) + duration(string((t - timestamp(int(t))).getMilliseconds()) + "ms"))`;
}

/**
 * CEL expression turning `text` (a string or, for epoch formats, a number) into a timestamp.
 * A value the format cannot parse makes the expression an error; callers test with `is_error`.
 */
export function parseInstant(text: string, format: DateFormat, layout?: string): string {
  switch (format.kind) {
    case 'iso8601':
      return `timestamp(string(${text}))`;
    case 'unix_ms':
      return `int(${text}).as(ms, timestamp(ms / 1000) + duration(string(ms % 1000) + "ms"))`;
    case 'unix':
      return `timestamp(int(${text}))`;
    case 'pattern':
      return `string(${text}).parse_time(${celString(layout ?? '')})`;
  }
}

/** CEL string expression formatting the timestamp expression `ts` in `format`. */
export function formatInstant(ts: string, format: DateFormat, layout?: string): string {
  switch (format.kind) {
    case 'iso8601':
      return `${utc(ts)}.format(time_layout.RFC3339Nano)`;
    case 'unix_ms':
      return `${ts}.as(t, string(int(t) * 1000 + (t - timestamp(int(t))).getMilliseconds()))`;
    case 'unix':
      return `string(int(${ts}))`;
    case 'pattern':
      return `${utc(ts)}.format(${celString(layout ?? '')})`;
  }
}
