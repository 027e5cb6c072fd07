/**
 * The formatter's printer: walks the CST of a map that parsed without error and decides what goes
 * on which line (items, blocks, comments, blank lines, cells to align). Where on the line it goes
 * is `dsl/format/layout.ts`'s job; the rules themselves are in `docs/language.md`
 * ("Canonical layout").
 *
 * Every token is printed once, in source order, so comments (which the lexer skips) are put back
 * between the tokens they were found between: a comment on the line of the token before it stays
 * a trailing comment of that line, any other comment gets a line of its own. A comment in the
 * middle of an item (between two of its tokens) ends the line there; the item goes on, indented
 * {@link CONTINUATION} levels deeper.
 *
 * @module
 */
import { tokenMatcher, type CstElement, type CstNode, type IToken, type TokenType } from 'chevrotain';
import {
  Arrow,
  AtName,
  Colon,
  Comma,
  Dot,
  Duration,
  Equals,
  Keyword,
  LBrace,
  LBracket,
  LParen,
  Name,
  PlusEq,
  RBrace,
  RBracket,
  RParen,
  StringLiteral,
} from '../tokens.ts';
import type { MapComment } from './comments.ts';
import type { Line } from './layout.ts';
import { canonicalString } from './strings.ts';

/** Extra indentation levels of an item's lines after a comment broke it. */
export const CONTINUATION = 2;

/** A JSON object or array is written on one line when it has no comment and is at most this wide. */
export const JSON_INLINE_WIDTH = 80;

/** CST rules whose nodes are block items: each starts a line of its own. */
const ITEM_RULES: ReadonlySet<string> = new Set([
  'integrationItem',
  'infoItem',
  'tableEntry',
  'tableDefault',
  'streamItem',
  'basicItem',
  'tokenExchangeItem',
  'oauth2Item',
  'requestItem',
  'pageTokenItem',
  'cursorHasMoreItem',
  'pageNumberItem',
  'offsetItem',
  'timeWindowItem',
  'cursorItem',
  'rateLimitItem',
  'retryItem',
  'mapItem',
  'recordField',
]);

/** Top-level declarations that may follow one of their own kind without a blank line. */
const GROUPED_DECLARATIONS: ReadonlySet<string> = new Set(['setting', 'secret']);

const NO_SPACE_BEFORE: ReadonlySet<TokenType> = new Set([Dot, Comma, RParen, RBracket, Colon, LParen]);
const NO_SPACE_AFTER: ReadonlySet<TokenType> = new Set([Dot, LParen, LBracket]);

function isToken(e: CstElement): e is IToken {
  return 'tokenType' in e;
}

function startOf(e: CstElement): number {
  return isToken(e) ? e.startOffset : (e.location?.startOffset ?? Number.NaN);
}

/** A node's direct children (tokens and nodes) in source order. */
function ordered(node: CstNode): CstElement[] {
  return Object.values(node.children)
    .flat()
    .sort((a, b) => startOf(a) - startOf(b));
}

/** Every token of a node, in source order. */
function tokensOf(node: CstNode): IToken[] {
  return ordered(node).flatMap((e) => (isToken(e) ? [e] : tokensOf(e)));
}

/** The text of a token as the formatter writes it. */
function spelling(t: IToken): string {
  return t.tokenType === StringLiteral ? canonicalString(t.image) : t.image;
}

/** Words a condition's `(` follows with a space (`when (a or b)`, `not (x)`), unlike a transform's. */
const SPACE_BEFORE_GROUP: ReadonlySet<TokenType> = new Set([Keyword.when, Keyword.and, Keyword.or, Keyword.not]);

/**
 * A selection's `[` follows its array path with no space (`target[type == "User"]`): after a path
 * segment (a name, a quoted segment, an `@name`, a digit-led name), not after `in` or `default`.
 */
function selectionBracket(before: IToken, after: IToken): boolean {
  if (after.tokenType !== LBracket || before.image === 'in' || before.image === 'default') return false;
  return [Name, StringLiteral, AtName, Duration].some((t) => tokenMatcher(before, t));
}

function needsSpace(before: IToken, after: IToken): boolean {
  if (after.tokenType === LParen && SPACE_BEFORE_GROUP.has(before.tokenType)) return true;
  if (selectionBracket(before, after)) return false;
  if (NO_SPACE_BEFORE.has(after.tokenType) || NO_SPACE_AFTER.has(before.tokenType)) return false;
  return !(before.tokenType === LBrace && after.tokenType === RBrace);
}

/** Tokens joined on one line with the formatter's spacing. */
function oneLine(tokens: readonly IToken[]): string {
  let text = '';
  tokens.forEach((t, i) => {
    const before = tokens[i - 1];
    if (before !== undefined && needsSpace(before, t)) text += ' ';
    text += spelling(t);
  });
  return text;
}

/** The item being printed. */
interface ItemContext {
  /** Indentation of the item's first line. */
  readonly indent: number;
  /** Tokens that start a new cell (alignment column) on the item's first line. */
  readonly cellBreaks: ReadonlySet<IToken>;
  readonly align: string | undefined;
  readonly right: ReadonlySet<number>;
  /** The item's first line, once opened. */
  first: Line | undefined;
  /** The item spans several lines (a block, or a comment broke it): its first line is not aligned. */
  multi: boolean;
  /** A comment broke the item: its next token opens a continuation line. */
  broken: boolean;
}

/** Walks the CST of an error-free map and produces its {@link Line}s. */
export class Printer {
  readonly lines: Line[] = [];
  private cur: Line | undefined;
  private curLast: IToken | undefined;
  /** Offset just past the last token or comment printed. */
  private lastEnd = 0;
  private printedAny = false;
  private nextComment = 0;
  private depth = 0;
  private unit = -1;
  private readonly items: ItemContext[] = [];
  /** The next line gets a blank line before it whatever the source had (between declarations). */
  private forceBlank = false;
  /** The next line is the first of a block: never a blank line before it. */
  private blockStart = false;

  constructor(
    private readonly source: string,
    private readonly comments: readonly MapComment[],
  ) {}

  /** Prints a whole file (the `file` rule's node). */
  file(node: CstNode): void {
    let previous: string | undefined;
    for (const decl of ordered(node)) {
      if (isToken(decl)) continue;
      const grouped = previous === decl.name && GROUPED_DECLARATIONS.has(decl.name);
      this.forceBlank = previous !== undefined && !grouped;
      this.unit += 1;
      this.item(decl, undefined);
      previous = decl.name;
    }
    this.unit = -1;
    this.flushComments(Number.POSITIVE_INFINITY);
    this.endLine();
  }

  // ------------------------------------------------------------------ structure

  /** Prints one item: a top-level declaration (`align` undefined) or a block item. */
  private item(node: CstNode, align: string | undefined): void {
    this.endLine();
    const { cellBreaks, key, right } = align === undefined ? NOT_ALIGNED : cellsOf(node);
    this.items.push({
      indent: this.depth,
      cellBreaks,
      align: align === undefined ? undefined : key,
      right,
      first: undefined,
      multi: false,
      broken: false,
    });
    this.node(node);
    this.endLine();
    const ctx = this.items.pop();
    if (ctx?.multi && ctx.first) ctx.first.align = undefined;
  }

  private node(node: CstNode): void {
    if (node.name === 'jsonObject' || node.name === 'jsonArray') {
      this.json(node);
      return;
    }
    // A selection (`[type == "User"]`, `[] { id, name = x }`) stays on its rule's line, unless a
    // comment inside it breaks the line.
    const tokens = node.name === 'selection' ? tokensOf(node) : [];
    if (tokens.length > 0 && !this.commentsIn(tokens[0]!.startOffset, tokens[tokens.length - 1]!.startOffset)) {
      for (const t of tokens) this.token(t);
      return;
    }
    const children = ordered(node);
    children.forEach((child, i) => {
      if (!isToken(child)) {
        if (ITEM_RULES.has(child.name)) this.item(child, child.name);
        else this.node(child);
        return;
      }
      if (child.tokenType === LBrace) {
        const close = lastRBrace(children);
        const inside = children.slice(i + 1, close ? children.indexOf(close) : undefined);
        if (inside.length === 0 && !this.commentsIn(child.startOffset, close ? close.startOffset : child.startOffset)) {
          this.token(child);
        } else {
          this.openBlock(child);
        }
        return;
      }
      if (child.tokenType === RBrace && this.cur?.cells.length && this.curLast?.tokenType === LBrace) {
        this.token(child);
        return;
      }
      if (child.tokenType === RBrace) {
        this.closeBlock(child);
        return;
      }
      this.token(child);
    });
  }

  /** A JSON object or array: on one line when short and comment-free, else one entry per line. */
  private json(node: CstNode): void {
    const tokens = tokensOf(node);
    const open = tokens[0]!;
    const close = tokens[tokens.length - 1]!;
    const inline =
      !this.commentsIn(open.startOffset, close.startOffset) && [...oneLine(tokens)].length <= JSON_INLINE_WIDTH;
    if (inline) {
      for (const t of tokens) this.token(t);
      return;
    }
    this.openBlock(open);
    const children = ordered(node);
    children.forEach((child, i) => {
      if (isToken(child)) return;
      this.endLine();
      this.items.push({
        indent: this.depth,
        cellBreaks: new Set(),
        align: undefined,
        right: NONE,
        first: undefined,
        multi: false,
        broken: false,
      });
      this.node(child);
      const after = children[i + 1];
      if (after !== undefined && isToken(after) && after.tokenType === Comma) this.token(after);
      this.endLine();
      this.items.pop();
    });
    this.closeBlock(close);
  }

  /** `{` (or `[` of a JSON array) at the end of the current line; the block's lines follow, one level deeper. */
  private openBlock(open: IToken): void {
    this.token(open);
    this.endLine();
    const ctx = this.items[this.items.length - 1];
    if (ctx) {
      ctx.multi = true;
      ctx.broken = false;
    }
    this.depth += 1;
    this.blockStart = true;
  }

  /** The closing brace on a line of its own, at the depth of the item that opened the block; left open for a `,`. */
  private closeBlock(close: IToken): void {
    this.flushComments(close.startOffset);
    this.endLine();
    this.depth -= 1;
    this.blockStart = false;
    this.openLine(close, this.depth, false);
    this.append(close, false);
  }

  // ------------------------------------------------------------------ tokens and comments

  private token(t: IToken): void {
    this.flushComments(t.startOffset);
    const ctx = this.items[this.items.length - 1];
    if (this.cur === undefined) {
      const continuing = ctx !== undefined && ctx.broken;
      this.openLine(t, continuing ? ctx.indent + CONTINUATION : this.depth, !continuing);
    }
    const newCell = ctx !== undefined && ctx.first === this.cur && !ctx.broken && ctx.cellBreaks.has(t);
    this.append(t, newCell);
  }

  private append(t: IToken, newCell: boolean): void {
    const line = this.cur!;
    const text = spelling(t);
    if (newCell) {
      line.cells.push(text);
    } else {
      const last = line.cells.length - 1;
      const space = this.curLast !== undefined && needsSpace(this.curLast, t) ? ' ' : '';
      if (last < 0) line.cells.push(text);
      else line.cells[last] += space + text;
    }
    this.curLast = t;
    this.lastEnd = t.startOffset + t.image.length;
    this.printedAny = true;
  }

  /**
   * Opens a line for `first` (a token) at `indent`. An item's first line takes the item's
   * alignment; `blankable` lines keep a blank line the source had before them.
   */
  private openLine(first: IToken, indent: number, blankable: boolean): void {
    const ctx = this.items[this.items.length - 1];
    const isItemStart = ctx !== undefined && ctx.first === undefined && indent === ctx.indent;
    const line: Line = {
      indent,
      cells: [],
      right: isItemStart ? ctx.right : NONE,
      align: isItemStart ? ctx.align : undefined,
      comment: undefined,
      blank: blankable && this.blankBefore(first.startOffset),
      isComment: false,
      unit: this.unit,
    };
    if (isItemStart) ctx.first = line;
    else if (ctx !== undefined && ctx.first !== undefined) ctx.multi = true;
    this.push(line);
    this.cur = line;
    this.curLast = undefined;
  }

  private push(line: Line): void {
    this.lines.push(line);
    this.forceBlank = false;
    this.blockStart = false;
  }

  /** Whether the line starting at `offset` gets a blank line before it. */
  private blankBefore(offset: number): boolean {
    if (this.forceBlank) return true;
    if (this.blockStart || this.lines.length === 0) return false;
    const gap = this.source.slice(this.lastEnd, offset);
    return (gap.match(/\r\n|\r|\n/g)?.length ?? 0) >= 2;
  }

  /** Closes the current line, taking a comment that follows on the same source line as its trailing comment. */
  private endLine(): void {
    if (this.cur === undefined) return;
    const c = this.comments[this.nextComment];
    if (c !== undefined && c.offset >= this.lastEnd && this.sameLine(c.offset)) {
      this.cur.comment = c.text;
      this.nextComment += 1;
      this.lastEnd = c.end;
    }
    this.cur = undefined;
    this.curLast = undefined;
  }

  /** Whether a comment at `offset` follows the last printed token on its line, with only blanks between. */
  private sameLine(offset: number): boolean {
    return this.printedAny && /^[ \t\f\v]*$/.test(this.source.slice(this.lastEnd, offset));
  }

  private commentsIn(from: number, to: number): boolean {
    return this.comments.some((c) => c.offset > from && c.offset < to);
  }

  /** Prints every comment before `offset` that is not printed yet. */
  private flushComments(offset: number): void {
    for (let c = this.comments[this.nextComment]; c !== undefined && c.offset < offset;) {
      const ctx = this.items[this.items.length - 1];
      if (this.cur !== undefined) {
        // A comment inside an item: the item goes on on a continuation line.
        if (ctx) {
          ctx.broken = true;
          ctx.multi = true;
        }
        if (this.sameLine(c.offset)) {
          this.endLine();
          c = this.comments[this.nextComment];
          continue;
        }
        this.endLine();
      }
      const continuing = ctx !== undefined && ctx.broken && ctx.first !== undefined;
      const indent = continuing ? ctx.indent + CONTINUATION : this.depth;
      this.push({
        indent,
        cells: [c.text],
        right: NONE,
        align: undefined,
        comment: undefined,
        blank: !continuing && this.blankBefore(c.offset),
        isComment: true,
        unit: this.unit,
      });
      this.lastEnd = c.end;
      this.printedAny = true;
      this.nextComment += 1;
      c = this.comments[this.nextComment];
    }
  }
}

function lastRBrace(children: readonly CstElement[]): IToken | undefined {
  for (let i = children.length - 1; i >= 0; i--) {
    const c = children[i]!;
    if (isToken(c) && c.tokenType === RBrace) return c;
  }
  return undefined;
}

const NONE: ReadonlySet<number> = new Set();
const OPERATOR_COLUMN: ReadonlySet<number> = new Set([1]);
const NOT_ALIGNED = { cellBreaks: new Set<IToken>(), key: undefined, right: NONE };

/**
 * Where an item's first line splits into alignment cells, and which items align together:
 * - rules (`destination = value`): before and after the operator, which is right-aligned (`+=` and ` =`);
 * - table entries: before `=>`;
 * - record fields: before the first type;
 * - `header`/`query` items of a request and the `header` of a token exchange: after the keyword and
 *   before `=`;
 * - every other item: after its first token (the keyword).
 * Items align with items of the same rule (map options and rules apart).
 */
function cellsOf(node: CstNode): { cellBreaks: Set<IToken>; key: string; right: ReadonlySet<number> } {
  const tokens = tokensOf(node);
  const breaks = new Set<IToken>();
  if (node.name === 'mapItem') {
    const rule = node.children['rule']?.[0];
    if (rule !== undefined && !isToken(rule)) {
      const op = ordered(rule).find(
        (e): e is IToken => isToken(e) && (e.tokenType === Equals || e.tokenType === PlusEq),
      );
      const value = op ? tokens[tokens.indexOf(op) + 1] : undefined;
      if (op) breaks.add(op);
      if (value) breaks.add(value);
      return { cellBreaks: breaks, key: 'mapItem.rule', right: OPERATOR_COLUMN };
    }
    if (tokens[1]) breaks.add(tokens[1]);
    return { cellBreaks: breaks, key: 'mapItem.option', right: NONE };
  }
  if (node.name === 'recordField') {
    // `path  type ...`: the types start one column, whatever the path's length.
    const type = node.children['fieldType']?.[0];
    const first = type !== undefined && !isToken(type) ? tokensOf(type)[0] : undefined;
    if (first) breaks.add(first);
    return { cellBreaks: breaks, key: node.name, right: NONE };
  }
  if (node.name === 'tableEntry') {
    const arrow = tokens.find((t) => t.tokenType === Arrow);
    if (arrow) breaks.add(arrow);
    return { cellBreaks: breaks, key: node.name, right: NONE };
  }
  if (tokens[1]) breaks.add(tokens[1]);
  const keyed = node.name === 'requestItem' || node.name === 'tokenExchangeItem';
  if (keyed && tokens[2]?.tokenType === Equals) breaks.add(tokens[2]);
  return { cellBreaks: breaks, key: node.name, right: NONE };
}
