/**
 * Helpers of the per-rule check tests: run one rule's code over a map and find expected
 * positions from the map text itself (no hard-coded line numbers).
 */
import { expect } from 'vitest';
import type { Diagnostic } from '../../../dsl/diagnostics.ts';
import { check } from '../helpers.ts';

/** 1-based line and column of the `occurrence`-th (0-based) `needle` in `source`. */
export function at(source: string, needle: string, occurrence = 0): string {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = source.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${JSON.stringify(needle)} occurs fewer than ${occurrence + 1} times`);
  }
  const before = source.slice(0, offset).split('\n');
  return `${before.length}:${(before[before.length - 1] ?? '').length + 1}`;
}

/** The diagnostics of `code` for `source` (the map must parse cleanly). */
export function withCode(source: string, code: string): Diagnostic[] {
  return check(source).filter((d) => d.code === code);
}

/** The one diagnostic of `code`; fails listing every diagnostic otherwise. */
export function one(source: string, code: string): Diagnostic {
  const all = check(source);
  const found = all.filter((d) => d.code === code);
  expect(
    found,
    all.map((d) => `${d.code} ${d.primary.span.line}:${d.primary.span.column} ${d.message}`).join('\n'),
  ).toHaveLength(1);
  return found[0]!;
}

/** `line:column` of a diagnostic's primary span. */
export function pos(d: Diagnostic): string {
  return `${d.primary.span.line}:${d.primary.span.column}`;
}

/** `line:column` of the character right after the `occurrence`-th `prefix` (which must not span lines). */
export function atEnd(source: string, prefix: string, occurrence = 0): string {
  const [line, column] = at(source, prefix, occurrence).split(':').map(Number);
  return `${line}:${column! + prefix.length}`;
}

/** `{ line, column }` of the `occurrence`-th `needle`, for `toMatchObject` on spans. */
export function where(source: string, needle: string, occurrence = 0): { line: number; column: number } {
  const [line, column] = at(source, needle, occurrence).split(':').map(Number);
  return { line: line!, column: column! };
}

/** The line (1-based) of the `occurrence`-th `needle` in `source`. */
export function lineOf(source: string, needle: string, occurrence = 0): number {
  return Number(at(source, needle, occurrence).split(':')[0]);
}

/** `line:column` of a span (a secondary label's, say). */
export function spanPos(span: { readonly line: number; readonly column: number }): string {
  return `${span.line}:${span.column}`;
}

/** `{ pos, length }` of a diagnostic's primary span, to compare with {@link mark}. */
export function span(d: Diagnostic): { pos: string; length: number } {
  return { pos: pos(d), length: d.primary.span.length };
}

/** `{ pos, length }` of the `occurrence`-th `needle` in `source` (length: the needle's, unless given). */
export function mark(
  source: string,
  needle: string,
  options: { occurrence?: number; length?: number } = {},
): { pos: string; length: number } {
  return { pos: at(source, needle, options.occurrence ?? 0), length: options.length ?? needle.length };
}

/** `source` with the exact text `from` replaced by `to`; fails when `from` is absent (so a test cannot pass on a stale edit). */
export function edit(source: string, from: string, to: string): string {
  if (!source.includes(from)) throw new Error(`${JSON.stringify(from)} is not in the map`);
  return source.replace(from, to);
}

/** The diagnostics as `CODE line:col message`, for readable assertions. */
export { brief, check } from '../helpers.ts';
