/**
 * VRL lexical helpers: literals, paths and regexes, written the way VRL 0.25 parses them.
 *
 * Facts checked on the VRL runtime (`@bpinternal/verel` 0.2.0, which embeds the `vrl` crate 0.25.0):
 * - string literals know `\\ \" \n \r \t \0` but not `\u{...}`, so other characters are written
 *   as themselves (the config is UTF-8); `{{ name }}` inside a string literal is a template and
 *   fails to compile when `name` is not a variable, so `{` is written `\{`;
 * - float literals have no exponent (`1e5` does not parse);
 * - `1 == 1.0` is true but `{"a": 1} == {"a": 1.0}` is false (see the unit-test assertions).
 *
 * @module
 */
import type { FieldPath } from '../../../compiler/ir.ts';

/** A JSON-like value a VRL literal can express (objects keep their keys' order). */
export type VrlLiteralValue =
  string | number | boolean | null | readonly VrlLiteralValue[] | { readonly [key: string]: VrlLiteralValue };

/** A VRL string literal: `"a\"b"`. */
export function vrlString(text: string): string {
  let out = '"';
  for (const ch of text) {
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\0':
        out += '\\0';
        break;
      case '{':
        out += '\\{';
        break;
      default:
        out += ch;
    }
  }
  return `${out}"`;
}

/** A VRL raw regex literal `r'...'`; the pattern must not contain `'`. */
export function vrlRegex(pattern: string): string {
  if (pattern.includes("'")) throw new Error(`regex ${pattern} contains a quote`);
  return `r'${pattern}'`;
}

/** Escapes text for a literal match inside a Rust `regex` pattern. */
export function regexEscape(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$#&\-~]/g, (c) => `\\${c}`);
}

/**
 * A VRL number literal. Integers stay integers unless `asFloat`; floats are written in plain
 * decimal notation because VRL float literals have no exponent.
 */
export function vrlNumber(value: number, asFloat = false): string {
  if (!Number.isFinite(value)) throw new Error(`VRL has no literal for ${value}`);
  if (Number.isInteger(value)) {
    const digits = BigInt(value).toString();
    return asFloat ? `${digits}.0` : digits;
  }
  let text = String(value);
  if (/e/i.test(text)) text = plainDecimal(value);
  return text;
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
 * A VRL literal for a JSON value. With `numbersAsFloats`, every number is a float literal (the
 * unit-test assertions compare after turning all integers into floats).
 */
export function vrlLiteral(value: unknown, numbersAsFloats = false): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return vrlString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return vrlNumber(value, numbersAsFloats);
  if (Array.isArray(value)) return `[${value.map((v) => vrlLiteral(v, numbersAsFloats)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${vrlString(k)}: ${vrlLiteral(v, numbersAsFloats)}`).join(', ')}}`;
  }
  throw new Error(`no VRL literal for ${typeof value}`);
}

const PLAIN_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One path segment: `event`, or quoted `"@timestamp"`, `"Date & Time"`. */
export function vrlSegment(segment: string): string {
  return PLAIN_SEGMENT.test(segment) ? segment : vrlString(segment);
}

/** An event path: `.event.kind`, `."@timestamp"`; `[]` is `.`. */
export function eventPath(path: FieldPath): string {
  return path.length === 0 ? '.' : path.map((s) => `.${vrlSegment(s)}`).join('');
}

/** A path array for `get`/`set`: `["event", "kind"]`. */
export function pathArray(path: FieldPath): string {
  return `[${path.map(vrlString).join(', ')}]`;
}
