/**
 * Instants for the incremental cursor and time windows: parsing a record's cursor field in its
 * {@link DateFormat} at nanosecond precision (so `…45.123456Z` sorts after `…45.123455Z`), and
 * formatting an instant in a format (the initial cursor, the `{window.start}`/`{window.end}`
 * placeholders).
 *
 * Parsing delegates to the reference interpreter (`parseInstant` of `compiler/interpret/`) for every format
 * but `iso8601`, whose sub-millisecond digits that interpreter truncates.
 *
 * @module
 */
import { parseInstant as parseOne } from '../compiler/interpret/index.ts';
import type { DateFormat } from '../compiler/ir.ts';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/** Nanoseconds since the epoch, or undefined when `value` is not an instant in `format`. */
export function instantNanos(value: unknown, format: DateFormat): bigint | undefined {
  if (format.kind === 'iso8601') {
    if (typeof value !== 'string') return undefined;
    const m = RFC3339.exec(value);
    if (!m) return undefined;
    const ms = parseOne(value, format);
    if (ms === undefined) return undefined;
    // parseOne truncated the fraction to milliseconds; add back the digits below the millisecond.
    const sub = BigInt(((m[7] ?? '') + '000000000').slice(3, 9));
    return BigInt(ms) * 1_000_000n + sub;
  }
  const ms = parseOne(value, format);
  return ms === undefined ? undefined : BigInt(ms) * 1_000_000n;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * `ms` (epoch milliseconds, UTC) written in `format`: RFC 3339 with milliseconds for `iso8601`,
 * decimal epoch milliseconds or seconds (floored) for `unix_ms`/`unix`, and for `pattern` its
 * tokens (`DatePatternIR`): each field (`yyyy MM dd HH mm ss SSS`) in its width of digits, each
 * literal as written.
 */
export function formatInstant(ms: number, format: DateFormat): string {
  switch (format.kind) {
    case 'iso8601':
      return new Date(ms).toISOString();
    case 'unix_ms':
      return String(ms);
    case 'unix':
      return String(Math.floor(ms / 1000));
    case 'pattern': {
      const d = new Date(ms);
      const fields: Record<string, string> = {
        yyyy: pad(d.getUTCFullYear(), 4),
        MM: pad(d.getUTCMonth() + 1, 2),
        dd: pad(d.getUTCDate(), 2),
        HH: pad(d.getUTCHours(), 2),
        mm: pad(d.getUTCMinutes(), 2),
        ss: pad(d.getUTCSeconds(), 2),
        SSS: pad(d.getUTCMilliseconds(), 3),
      };
      return format.pattern.tokens
        .map((token) => {
          if (token.kind === 'literal') return token.text;
          const field = fields[token.letter.repeat(token.width)];
          if (field === undefined) throw new Error(`internal: date pattern field ${token.letter} outside the IR`);
          return field;
        })
        .join('');
    }
  }
}

/** RFC 3339 text → epoch milliseconds (the state file's window cursor and timestamp settings). */
export function parseRfc3339Ms(text: string): number | undefined {
  return parseOne(text, { kind: 'iso8601' });
}
