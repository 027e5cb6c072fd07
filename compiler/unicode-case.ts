/**
 * The Unicode facts behind the IR's `lowercase`/`uppercase` (simple case mapping), shared by the
 * reference interpreter and every backend that has to correct its engine's *full* case mapping
 * (SpecialCasing.txt: `ß` → `SS`, `İ` → `i̇`).
 *
 * Source: UnicodeData.txt fields 12-13 and SpecialCasing.txt, Unicode 15.1
 * (https://www.unicode.org/Public/15.1.0/ucd/).
 *
 * @module
 */

/** The only code point whose full lowercase has several code points: U+0130 `İ` → U+0069 `i`. */
export const SIMPLE_LOWER_EXCEPTIONS: ReadonlyMap<number, number> = new Map([[0x130, 0x69]]);

/**
 * What an engine whose lowercase is the full mapping without context (Ruby's `downcase`) needs
 * replaced first to give the IR's simple lowercase: {@link SIMPLE_LOWER_EXCEPTIONS} as
 * `[from, to]` characters (`İ` → `i`).
 */
export const LOWER_FIRST: readonly (readonly [string, string])[] = [...SIMPLE_LOWER_EXCEPTIONS].map(
  ([from, to]) => [String.fromCodePoint(from), String.fromCodePoint(to)] as const,
);

/**
 * What an engine whose lowercase also applies the context-dependent final sigma (Java's
 * `String.toLowerCase(Locale.ROOT)`, Rust's `to_lowercase`) needs replaced first: {@link
 * LOWER_FIRST}, then U+03A3 `Σ` → U+03C3 `σ` (SpecialCasing.txt `Final_Sigma`). After these
 * replacements the engine's full lowercase changes nothing the simple mapping would not.
 */
export const LOWER_FIRST_WITH_SIGMA: readonly (readonly [string, string])[] = [...LOWER_FIRST, ['\u03A3', '\u03C3']];

/**
 * Code points whose full uppercase has several code points but whose simple uppercase is one:
 * the Greek small letters with ypogegrammeni map to the letters with prosgegrammeni. Every other
 * code point with a multi-code-point full uppercase (ß, ŉ, ǰ, ΐ, ﬀ, ...) has no simple uppercase
 * and stays unchanged.
 */
export const SIMPLE_UPPER_EXCEPTIONS: ReadonlyMap<number, number> = new Map<number, number>([
  [0x1fb3, 0x1fbc],
  [0x1fc3, 0x1fcc],
  [0x1ff3, 0x1ffc],
  ...[0x1f80, 0x1f90, 0x1fa0].flatMap((base) =>
    Array.from({ length: 8 }, (_, i): [number, number] => [base + i, base + i + 8]),
  ),
]);

let upperCache: { multi: string[]; simple: Map<string, string> } | undefined;

/**
 * `multi`: every character whose full uppercase (JavaScript's `toUpperCase`, Ruby's `upcase`,
 * Rust's `to_uppercase`) has several code points, in code point order; `simple`: those among
 * them with a one-character simple uppercase, as characters. Computed once (a scan of all code
 * points, ~50 ms).
 */
export function upperExceptions(): { readonly multi: readonly string[]; readonly simple: ReadonlyMap<string, string> } {
  if (upperCache) return upperCache;
  const multi: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    if ([...ch.toUpperCase()].length > 1) multi.push(ch);
  }
  const simple = new Map(
    [...SIMPLE_UPPER_EXCEPTIONS].map(([from, to]) => [String.fromCodePoint(from), String.fromCodePoint(to)] as const),
  );
  upperCache = { multi, simple };
  return upperCache;
}
