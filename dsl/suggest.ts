/**
 * "Did you mean" candidates by Levenshtein edit distance (insert, delete, substitute; cost 1 each).
 *
 * @module
 */

/** Edit distance between `a` and `b`, giving up (returning `limit + 1`) once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidates closest to `word`, best first (ties by name), at most `max` of them.
 * A candidate qualifies when its distance is at most a third of `word`'s length (at least 1,
 * at most 3): close enough to be a typo rather than a different name.
 */
export function closest(word: string, candidates: Iterable<string>, max = 1): readonly string[] {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  const scored: { name: string; distance: number }[] = [];
  for (const name of candidates) {
    if (name === word) continue;
    const distance = editDistance(word, name, limit);
    if (distance <= limit) scored.push({ name, distance });
  }
  scored.sort((x, y) => x.distance - y.distance || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return scored.slice(0, max).map((s) => s.name);
}

/**
 * The "did you mean" note for `word` among `candidates` (`help: did you mean "paginate"?`), or
 * no note when none is close ({@link closest}). The one place the front end words a suggestion.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string[] {
  const [guess] = closest(word, candidates);
  return guess === undefined ? [] : [`help: did you mean "${guess}"?`];
}
