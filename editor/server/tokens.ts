/**
 * The language server's view of a document's text: its tokens (the compiler's own lexer, which
 * never fails: a file with syntax errors still has tokens) and what sits around an offset. Hover,
 * completion and go-to-definition work from tokens so that they keep working while the file does
 * not parse.
 *
 * @module
 */
import type { IToken, TokenType } from 'chevrotain';
import { DECLARATION_STARTS } from '../../dsl/parser.ts';
import { AtName, Dot, LBrace, mapLexer, Name, RBrace, StringLiteral } from '../../dsl/tokens.ts';

/** The tokens of a document, in order. */
export class DocumentTokens {
  readonly tokens: readonly IToken[];
  /** Brace depth before each token (a `{` counts after itself, a `}` before itself). */
  private readonly depths: readonly number[];

  constructor(readonly text: string) {
    this.tokens = mapLexer.tokenize(text).tokens;
    let depth = 0;
    this.depths = this.tokens.map((t) => {
      if (t.tokenType === RBrace) depth -= 1;
      const here = depth;
      if (t.tokenType === LBrace) depth += 1;
      return here;
    });
  }

  /** Index of the token containing `offset` (a position just after a token's last character counts too), or -1. */
  indexAt(offset: number): number {
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.startOffset > offset) return -1;
      if (offset <= end(t)) return i;
    }
    return -1;
  }

  /** Index of the last token that ends at or before `offset` (-1: none). */
  lastBefore(offset: number): number {
    let found = -1;
    for (let i = 0; i < this.tokens.length; i++) {
      if (end(this.tokens[i]!) <= offset) found = i;
      else break;
    }
    return found;
  }

  at(i: number): IToken | undefined {
    return this.tokens[i];
  }

  /** Whether token `i` is a top-level declaration keyword (`setting x`, not `setting.x` nor `a.setting`). */
  isDeclarationStart(i: number): boolean {
    const t = this.tokens[i];
    if (t === undefined || !DECLARATION_STARTS.includes(t.tokenType)) return false;
    if (this.tokens[i - 1]?.tokenType === Dot || this.tokens[i + 1]?.tokenType === Dot) return false;
    return this.depths[i] === 0;
  }

  /**
   * Index of the first token of the top-level declaration that token `i` belongs to (0 when none
   * is found: unbalanced braces before it).
   */
  declarationStart(i: number): number {
    for (let j = Math.min(i, this.tokens.length - 1); j >= 0; j--) if (this.isDeclarationStart(j)) return j;
    return 0;
  }

  /**
   * The field path around token `i` (a name, `@name` or quoted segment joined by dots): its
   * segment tokens and which of them is token `i`. `undefined` when token `i` is no segment.
   */
  pathAround(i: number): { readonly segments: readonly IToken[]; readonly index: number } | undefined {
    if (!isSegment(this.tokens[i])) return undefined;
    let first = i;
    while (this.tokens[first - 1]?.tokenType === Dot && isSegment(this.tokens[first - 2])) first -= 2;
    let last = i;
    while (this.tokens[last + 1]?.tokenType === Dot && isSegment(this.tokens[last + 2])) last += 2;
    const segments: IToken[] = [];
    for (let j = first; j <= last; j += 2) segments.push(this.tokens[j]!);
    return { segments, index: (i - first) / 2 };
  }
}

/** Offset just past a token. */
export function end(t: IToken): number {
  return t.startOffset + t.image.length;
}

export function isA(t: IToken | undefined, type: TokenType): boolean {
  return t !== undefined && (t.tokenType === type || (t.tokenType.CATEGORIES ?? []).includes(type));
}

/** A name (identifiers and keywords), `@name`, or a quoted string: what a path segment can be. */
function isSegment(t: IToken | undefined): boolean {
  return isA(t, Name) || isA(t, AtName) || isA(t, StringLiteral);
}
