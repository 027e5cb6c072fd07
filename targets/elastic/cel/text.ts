/**
 * CEL source text helpers: literals and safe field access on `dyn` maps.
 *
 * CEL string literals accept the escapes JSON produces (`\"`, `\\`, `\n`, `\uXXXX`), so a JSON
 * string is a valid CEL string literal (CEL language definition, "String and Bytes Literals":
 * https://github.com/google/cel-spec/blob/master/doc/langdef.md#string-and-bytes-literals).
 *
 * Field access always uses index syntax (`x["a"]`) so vendor names that are not CEL identifiers
 * (`"Date & Time"`, reserved words such as `in`) work; optional access (`x[?"a"]`) needs CEL
 * optional types, which both mito and the Elastic Agent CEL input enable
 * (`cel.OptionalTypes`, mito `lib.OptionalTypesVersion`).
 *
 * @module
 */
import type { FieldPath } from '../../../compiler/ir.ts';

/** A CEL double-quoted string literal for `text`. */
export function celString(text: string): string {
  return JSON.stringify(text);
}

/** `expr["a"]["b"]`: errors at run time when a segment is missing. */
export function celGet(expr: string, path: FieldPath): string {
  return expr + path.map((seg) => `[${celString(seg)}]`).join('');
}

/** `expr[?"a"][?"b"]`: an optional value, `optional.none()` when a segment is missing. */
export function celOpt(expr: string, path: FieldPath): string {
  return expr + path.map((seg) => `[?${celString(seg)}]`).join('');
}

/**
 * `expr` with the value at `path` replaced by `value` (parents created when missing), built from
 * mito's shallow `with` (mito `lib.Collections`, "With").
 */
export function celSet(expr: string, path: FieldPath, value: string): string {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const child = rest.length === 0 ? value : celSet(`${celOpt(expr, [head])}.orValue({})`, rest, value);
  return `${expr}.with({${celString(head)}: ${child}})`;
}

/** A CEL map literal from already rendered entries; `?` marks an optional entry (`{?"k": opt}`). */
export function celMap(
  entries: readonly { readonly key: string; readonly value: string; readonly optional?: boolean }[],
): string {
  if (entries.length === 0) return '{}';
  return `{${entries.map((e) => `${e.optional ? '?' : ''}${celString(e.key)}: ${e.value}`).join(', ')}}`;
}

/** Joins string-valued CEL expressions with `+`; the empty list is `""`. */
export function celConcat(parts: readonly string[]): string {
  return parts.length === 0 ? '""' : parts.join(' + ');
}

/** Indents every line of `text` by `n` spaces (blank lines stay empty). */
export function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}
