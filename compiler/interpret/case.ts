/**
 * `lowercase` and `uppercase` with Unicode *simple* case mapping, as the IR specifies: one code
 * point always maps to one code point, and no mapping depends on context or locale.
 *
 * JavaScript's `toLowerCase`/`toUpperCase` apply the *full* mapping (SpecialCasing.txt), which
 * differs in two ways: some code points map to several (`ß` → `SS`, `İ` → `i̇`), and Greek capital
 * sigma becomes final sigma `ς` at the end of a word. Mapping each code point on its own removes
 * the context rule; the tables below restore the simple mapping for the multi-code-point cases.
 * Source: UnicodeData.txt fields 12-13 (Unicode 15.1, https://www.unicode.org/Public/15.1.0/ucd/).
 *
 * @module
 */
import { FAIL, ok, type TransformOutcome } from './outcome.ts';

/** The only code point whose full lowercase has several code points: U+0130 → U+0069. */
const SIMPLE_LOWER: ReadonlyMap<number, number> = new Map([[0x130, 0x69]]);

/**
 * Code points whose full uppercase has several code points but whose simple uppercase is one:
 * Greek small letters with ypogegrammeni map to the titlecase letters with prosgegrammeni.
 * Every other code point with a multi-code-point full uppercase (ß, ŉ, ǰ, ΐ, ﬀ, ...) has no
 * simple uppercase and stays unchanged.
 */
const SIMPLE_UPPER: ReadonlyMap<number, number> = new Map<number, number>([
  ...range(0x1f80, 0x1f87, 8),
  ...range(0x1f90, 0x1f97, 8),
  ...range(0x1fa0, 0x1fa7, 8),
  [0x1fb3, 0x1fbc],
  [0x1fc3, 0x1fcc],
  [0x1ff3, 0x1ffc],
]);

function range(first: number, last: number, delta: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let cp = first; cp <= last; cp++) pairs.push([cp, cp + delta]);
  return pairs;
}

export function lowercase(value: unknown): TransformOutcome {
  return typeof value === 'string' ? ok(mapSimple(value, 'lower')) : FAIL;
}

export function uppercase(value: unknown): TransformOutcome {
  return typeof value === 'string' ? ok(mapSimple(value, 'upper')) : FAIL;
}

function mapSimple(text: string, direction: 'lower' | 'upper'): string {
  const exceptions = direction === 'lower' ? SIMPLE_LOWER : SIMPLE_UPPER;
  let out = '';
  for (const ch of text) {
    const full = direction === 'lower' ? ch.toLowerCase() : ch.toUpperCase();
    const cp = ch.codePointAt(0) ?? 0;
    if ([...full].length === 1) out += full;
    else out += String.fromCodePoint(exceptions.get(cp) ?? cp);
  }
  return out;
}
