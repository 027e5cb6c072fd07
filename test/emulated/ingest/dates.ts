/**
 * The `date` processor's parsing and output, for the formats mapc emits
 * (https://www.elastic.co/guide/en/elasticsearch/reference/8.17/date-processor.html):
 * - `ISO8601`: ISO 8601 date with optional time, fraction (up to nanoseconds) and offset; no
 *   offset means the processor's `timezone` (default UTC);
 * - `UNIX`: seconds since the epoch, a decimal number (`Double.parseDouble`, fraction kept to the ms);
 * - `UNIX_MS`: milliseconds since the epoch (`Long.parseLong`);
 * - a Java time pattern (https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/time/format/DateTimeFormatter.html)
 *   of `yyyy MM dd HH mm ss SSS` and punctuation: fixed-width digit fields, strict calendar
 *   validation, missing time fields = start of day, timezone UTC; `'...'` quotes literal text
 *   (`''` is one quote, inside or outside quotes).
 * The value is read with `toString()`, so numbers work with every format.
 * Output: the default `output_format` `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` in UTC (`Z`), i.e.
 * millisecond precision with extra fraction digits truncated.
 *
 * @module
 */

/** Epoch milliseconds, or `undefined` when `text` does not parse with `format`. */
export function parseDate(text: string, format: string): number | undefined {
  switch (format) {
    case 'ISO8601':
      return parseIso(text);
    case 'UNIX': {
      if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) return undefined;
      return Math.trunc(Number(text) * 1000);
    }
    case 'UNIX_MS':
      return /^[+-]?[0-9]+$/.test(text) ? Number(text) : undefined;
    default:
      return parsePattern(text, format);
  }
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, keeps years 0-99 as written (java.time reads 0050 as the year 50).
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  const t = date.getTime();
  const back = new Date(t);
  // Strict resolution: 31/02 does not roll over into March.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t;
}

function parseIso(text: string): number | undefined {
  const m =
    /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2})(?::([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?)?)?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?$/.exec(
      text,
    );
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const t = utc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), ms);
  if (t === undefined) return undefined;
  if (!zone || zone === 'Z') return t;
  const z = /^([+-])([0-9]{2}):?([0-9]{2})?$/.exec(zone)!;
  const offset = (Number(z[2]) * 60 + Number(z[3] ?? '0')) * 60_000;
  return z[1] === '+' ? t - offset : t + offset;
}

function parsePattern(text: string, pattern: string): number | undefined {
  let re = '^';
  const fields: string[] = [];
  const literal = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
  for (const token of pattern.match(/'(?:[^']|'')*'|''|yyyy|MM|dd|HH|mm|ss|SSS|./gs) ?? []) {
    if (token.startsWith("'")) {
      // `''` alone is a quote; `'x''y'` is the text x'y (DateTimeFormatterBuilder.appendPattern).
      const text = token === "''" ? "'" : token.slice(1, -1).replace(/''/g, "'");
      if (text === '' || token.length < 2 || !token.endsWith("'")) throw new Error(`unterminated quote in ${pattern}`);
      re += literal(text);
    } else if (['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss', 'SSS'].includes(token)) {
      re += `([0-9]{${token.length}})`;
      fields.push(token);
    } else if (/[A-Za-z]/.test(token)) {
      throw new Error(`pattern letter ${token} is outside the evaluator's subset`);
    } else if ("[]{}#'".includes(token)) {
      throw new Error(`pattern character ${token} must be quoted`);
    } else re += literal(token);
  }
  const m = new RegExp(`${re}$`).exec(text);
  if (!m) return undefined;
  const v: Record<string, number> = { yyyy: 1970, MM: 1, dd: 1, HH: 0, mm: 0, ss: 0, SSS: 0 };
  fields.forEach((f, i) => (v[f] = Number(m[i + 1])));
  return utc(v['yyyy']!, v['MM']!, v['dd']!, v['HH']!, v['mm']!, v['ss']!, v['SSS']!);
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` in UTC. */
export function formatDate(epochMs: number): string {
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime())) throw new Error('date out of range');
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) throw new Error('year outside 0000-9999 is outside the evaluator');
  return d.toISOString();
}
