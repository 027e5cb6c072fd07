/**
 * Error recovery on the token stream, so that one mistake yields one diagnostic.
 *
 * Two repairs, both used only on files that already have an error (a valid map's tokens are
 * never changed, so its AST is the same with or without this module):
 * - {@link closeUnclosedBraces}: when a file has more `{` than `}`, finds which `{` were left open
 *   from the layout (a `}` that starts a line closes the block whose opening line has the same
 *   indentation; a block whose content is dedented past its opening line was not closed) and
 *   inserts the missing `}` where the block's content ends;
 * - {@link brokenItem}: the tokens of the item (a statement: one line of a block, with any
 *   block it opens) that holds a syntax error, so the parser can run again without it and
 *   report the next genuine error instead of echoes of the first.
 *
 * Statement boundaries are the language's layout: every bundled map and `mapc fmt` put one item
 * per line (`docs/language.md`, "Canonical layout").
 *
 * @module
 */
import type { IToken } from 'chevrotain';
import { LBrace, LBracket, LParen, RBrace, RBracket, RParen } from './tokens.ts';

/** A `{` that is never closed, and the index (in the repaired tokens) of the `}` inserted for it. */
export interface UnclosedBrace {
  /** The `{` token. */
  readonly opener: IToken;
  /** The construct it opens, as written on its line up to the brace: `stream audit {`, `body {`. */
  readonly construct: string;
  /** The first token after the block's content (where a `}` was expected); `undefined` at end of file. */
  readonly expectedBefore: IToken | undefined;
}

/** Line of a token (1-based); `0` when chevrotain has no position (inserted tokens). */
function lineOf(t: IToken): number {
  return t.startLine ?? 0;
}

/** True when `tokens[i]` is the first token on its line. */
export function startsLine(tokens: readonly IToken[], i: number): boolean {
  const t = tokens[i];
  const before = tokens[i - 1];
  return t !== undefined && (before === undefined || (before.endLine ?? lineOf(before)) < lineOf(t));
}

/** Column of the first token on the line of `tokens[i]` (the line's indentation, 1-based). */
function indentOf(tokens: readonly IToken[], i: number): number {
  let j = i;
  while (j > 0 && !startsLine(tokens, j)) j--;
  return tokens[j]?.startColumn ?? 1;
}

/** `stream audit {`: the tokens from the start of the opener's line (or the last `{` before it on that line) to it. */
function constructOf(tokens: readonly IToken[], openerIndex: number): string {
  let j = openerIndex;
  while (j > 0 && !startsLine(tokens, j) && tokens[j - 1]?.tokenType !== LBrace) j--;
  const words = tokens
    .slice(j, openerIndex + 1)
    .map((t) => (t.image.length > 30 ? `${t.image.slice(0, 27)}..."` : t.image));
  return words.join(' ').replace(/ :/g, ':');
}

/** The `}` tokens inserted by {@link closeUnclosedBraces} (not in the source: a span on one has length 0). */
const inserted = new WeakSet<IToken>();

/** True for a `}` that {@link closeUnclosedBraces} inserted. */
export function isInserted(token: IToken): boolean {
  return inserted.has(token);
}

function synthetic(at: IToken | undefined, last: IToken | undefined): IToken {
  const offset = at?.startOffset ?? (last === undefined ? 0 : last.startOffset + last.image.length);
  const line = at?.startLine ?? last?.endLine ?? 1;
  const column = at?.startColumn ?? (last === undefined ? 1 : (last.endColumn ?? 0) + 1);
  const token: IToken = {
    image: '}',
    tokenType: RBrace,
    tokenTypeIdx: RBrace.tokenTypeIdx ?? 0,
    startOffset: offset,
    endOffset: offset,
    startLine: line,
    endLine: line,
    startColumn: column,
    endColumn: column,
  };
  inserted.add(token);
  return token;
}

/**
 * The `{` a file leaves open, and its tokens with a `}` inserted for each. Returns no repair
 * when the braces balance (or there are more `}` than `{`: the parser reports the stray one).
 *
 * Which brace is blamed: scanning with a stack, a `}` that starts a line at a column left of the
 * indentation of the innermost open block's opening line closes an outer block, so the inner one
 * is blamed (its content ends at the first later line indented no deeper than its opening line).
 * Blocks still open at the end of the file are blamed innermost first. At most as many braces are
 * blamed as are missing.
 */
export function closeUnclosedBraces(tokens: readonly IToken[]): {
  tokens: IToken[];
  unclosed: UnclosedBrace[];
} {
  let balance = 0;
  for (const t of tokens) {
    if (t.tokenType === LBrace) balance++;
    else if (t.tokenType === RBrace) balance--;
  }
  if (balance <= 0) return { tokens: [...tokens], unclosed: [] };

  const blamed: number[] = [];
  const stack: number[] = [];
  for (let i = 0; i < tokens.length && blamed.length < balance; i++) {
    const t = tokens[i]!;
    if (t.tokenType === LBrace) stack.push(i);
    else if (t.tokenType === RBrace) {
      if (startsLine(tokens, i)) {
        while (stack.length > 1 && blamed.length < balance) {
          const top = stack[stack.length - 1]!;
          if (lineOf(tokens[top]!) >= lineOf(t) || indentOf(tokens, top) <= (t.startColumn ?? 0)) break;
          blamed.push(top);
          stack.pop();
        }
      }
      stack.pop();
    }
  }
  while (blamed.length < balance && stack.length > 0) blamed.push(stack.pop()!);

  // Where each blamed block's content ends: the first later line indented no deeper than its opening line.
  const inserts = blamed.map((open) => {
    const indent = indentOf(tokens, open);
    let k = open + 1;
    let depth = 0;
    for (; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (depth === 0 && startsLine(tokens, k) && (t.startColumn ?? 0) <= indent && lineOf(t) > lineOf(tokens[open]!))
        break;
      if (t.tokenType === LBrace) depth++;
      else if (t.tokenType === RBrace) depth = Math.max(0, depth - 1);
    }
    return { open, at: k };
  });

  const unclosed: UnclosedBrace[] = inserts
    .map(({ open, at }) => ({
      opener: tokens[open]!,
      construct: constructOf(tokens, open),
      expectedBefore: tokens[at],
    }))
    .sort((a, b) => a.opener.startOffset - b.opener.startOffset);

  const repaired: IToken[] = [];
  const byPosition = [...inserts].sort((a, b) => a.at - b.at || b.open - a.open);
  let next = 0;
  for (let i = 0; i <= tokens.length; i++) {
    while (next < byPosition.length && byPosition[next]!.at === i) {
      repaired.push(synthetic(tokens[i], tokens[i - 1]));
      next++;
    }
    if (i < tokens.length) repaired.push(tokens[i]!);
  }
  return { tokens: repaired, unclosed };
}

const OPENERS = new Set([LBrace, LBracket, LParen]);
const CLOSERS = new Set([RBrace, RBracket, RParen]);

/**
 * The half-open index range `[start, end)` of the item holding the error at `tokens[at]`.
 *
 * The item starts at the first token of the error's line (after an opening bracket still open
 * at the error, for items written inline like `retry { attempts 3 backof 1s }`), or, when
 * `startLine` is given, at the first token of that earlier line (a statement the parser was
 * still in when the next line began). It ends before the first later token that starts a line
 * outside any bracket the item opened, or before the `}` that closes the enclosing block.
 */
export function brokenItem(tokens: readonly IToken[], at: number, fromLine?: number): [number, number] {
  let start = at;
  let depth = 0;
  const firstLine = fromLine ?? lineOf(tokens[at]!);
  while (start > 0) {
    const before = tokens[start - 1]!;
    if (lineOf(before) < firstLine && depth === 0) break;
    if (CLOSERS.has(before.tokenType)) depth++;
    else if (OPENERS.has(before.tokenType)) {
      // No item starts inside parentheses (a transform's arguments, a condition's group): an
      // unclosed `(` belongs to the broken item, which goes back to its line.
      if (depth === 0 && before.tokenType !== LParen) break;
      if (depth > 0) depth--;
    }
    start--;
  }
  let end = at;
  depth = 0;
  for (; end < tokens.length; end++) {
    const t = tokens[end]!;
    if (end > at && depth === 0 && startsLine(tokens, end)) break;
    if (OPENERS.has(t.tokenType)) depth++;
    else if (CLOSERS.has(t.tokenType)) {
      if (depth === 0) break;
      depth--;
    }
  }
  // Keep a closing bracket the error stopped at (it closes the enclosing block) unless nothing else can go.
  if (end === at && start === at) end = at + 1;
  return [start, end];
}
