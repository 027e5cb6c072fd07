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
