/**
 * CEL source text helpers: safe field access on `dyn` maps, map literals, concatenation. Every
 * string literal (keys, path segments, text) comes from {@link celString} in `../quote.ts`, the
 * Elastic target's quoting table.
 *
 * Field access always uses index syntax (`x["a"]`) so vendor names that are not CEL identifiers
 * (`"Date & Time"`, reserved words such as `in`) work; optional access (`x[?"a"]`) needs CEL
 * optional types, which both mito and the Elastic Agent CEL input enable
 * (`cel.OptionalTypes`, mito `lib.OptionalTypesVersion`).
 *
 * @module
 */
import type { FieldPath } from '../../../compiler/ir.ts';
import { celString } from '../quote.ts';

export { celString };

/** `expr[?"a"][?"b"]`: an optional value, `optional.none()` when a segment is missing. */
export function celOpt(expr: string, path: FieldPath): string {
  return expr + path.map((seg) => `[?${celString(seg)}]`).join('');
}

/**
 * `expr` with the value at `path` replaced by `value` (parents created when missing), built from
 * mito's shallow `with` (mito `lib.Collections`, "With"). Each parent is bound once with `.as`
 * (`_mapc_p1`, `_mapc_p2`, ...), so the text grows linearly with the path's length:
 * `r[?"a"].orValue({}).as(_mapc_p1, r.with({"a": _mapc_p1.with({"b": e})}))`.
 */
export function celSet(expr: string, path: FieldPath, value: string): string {
  if (path.length === 0) return value;
  const parents = path.length - 1;
  const name = (i: number): string => (i === 0 ? expr : `_mapc_p${i}`);
  let inner = value;
  for (let i = parents; i >= 0; i--) inner = `${name(i)}.with({${celString(path[i]!)}: ${inner}})`;
  let out = inner;
  for (let i = parents; i >= 1; i--)
    out = `${name(i - 1)}[?${celString(path[i - 1]!)}].orValue({}).as(${name(i)}, ${out})`;
  return out;
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
