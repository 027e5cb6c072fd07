/**
 * Shared by the formatter's tests: what a map means, with every source location taken out, so
 * that a map and its formatted form can be compared.
 */
import { expect } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import { parseMap } from '../../dsl/index.ts';
import { formatMap } from '../../dsl/format/index.ts';

function isSpan(x: unknown): boolean {
  return typeof x === 'object' && x !== null && 'file' in x && 'offset' in x && 'line' in x && 'column' in x;
}

/**
 * A deep copy of `value` with every span replaced by the string `"span"` (presence kept, place
 * dropped), and the map file's own source text left out (formatting changes it by design).
 */
export function withoutSpans(value: unknown): unknown {
  if (isSpan(value)) return 'span';
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (typeof value === 'object' && value !== null) {
    const mapFile = (value as { kind?: unknown }).kind === 'MapFile';
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !(mapFile && k === 'source'))
        .map(([k, v]) => [k, withoutSpans(v)]),
    );
  }
  return value;
}

/** The AST (spans taken out) of a map that must parse cleanly. */
export function astOf(text: string): unknown {
  const parsed = parseMap(text, 'f.map');
  expect(parsed.ast, parsed.diagnostics.map((d) => d.message).join('; ')).toBeDefined();
  return withoutSpans(parsed.ast);
}

/** The IR (spans taken out), or `undefined` when the map does not compile (checks fail). */
export function irOf(text: string): unknown {
  return withoutSpans(compileSource(text, 'f.map').ir);
}

/** Formats text that must be formattable. */
export function format(text: string): string {
  const result = formatMap(text, 'f.map');
  if (!result.ok) throw new Error(`not formatted: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return result.text;
}

/** The texts of the comments of a map, in order (`#` to the end of the line, trailing blanks dropped). */
export function commentTexts(text: string): string[] {
  const out: string[] = [];
  // Strings cannot span lines and `#` inside one is not a comment: skip string tokens on each line.
  for (const line of text.split(/\r\n|\r|\n/)) {
    const m = /^(?:[^"#]|"(?:[^"\\]|\\.)*")*(#.*)$/.exec(line);
    if (m?.[1] !== undefined) out.push(m[1].trimEnd());
  }
  return out;
}
