/**
 * The comments of a `.map` file. The lexer skips them (`Comment` is in `Lexer.SKIPPED`), so they
 * are found in the gaps between tokens: a gap holds only whitespace and comments when the file
 * lexed without error, and a `#` inside a string is part of the string token, never of a gap.
 *
 * @module
 */
import type { IToken } from 'chevrotain';

/** One `# ...` comment: its 0-based offset, its text up to the end of the line (trailing blanks removed). */
export interface MapComment {
  readonly offset: number;
  /** Offset just past the comment's last character as written (before the line break). */
  readonly end: number;
  readonly text: string;
}

/** Every comment of `source`, in order, given its tokens in order. */
export function scanComments(source: string, tokens: readonly IToken[]): MapComment[] {
  const comments: MapComment[] = [];
  let from = 0;
  const scanGap = (start: number, end: number): void => {
    const gap = source.slice(start, end);
    for (const m of gap.matchAll(/#[^\r\n]*/g)) {
      const offset = start + (m.index ?? 0);
      comments.push({ offset, end: offset + m[0].length, text: m[0].trimEnd() });
    }
  };
  for (const t of tokens) {
    scanGap(from, t.startOffset);
    from = t.startOffset + t.image.length;
  }
  scanGap(from, source.length);
  return comments;
}
