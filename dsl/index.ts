/**
 * The `.map` front end: source text in, AST and syntax diagnostics out.
 *
 * ```ts
 * const { ast, diagnostics } = parseMap(text, 'maps/entro.map');
 * ```
 *
 * Stages: lexing (`dsl/tokens.ts`), string checks, parsing with error recovery
 * (`dsl/parser.ts`), CST → AST (`dsl/visitor.ts`). Never throws on any input.
 *
 * @module
 */
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { MapFile, Declaration } from './ast.ts';
import type { FileCstNode } from './cst.d.ts';
import { diagnostic, type Diagnostic, type Span } from './diagnostics.ts';
import { unpackMessage } from './parse-errors.ts';
import { DECLARATION_STARTS, FIELD_TYPES_PHRASE, mapParser } from './parser.ts';
import { MAX_NESTING } from './limits.ts';
import { FIELD_TYPE_NAMES } from './field-types.ts';
import { closest } from './suggest.ts';
import { decodeString } from './strings.ts';
import {
  Dot,
  LBrace,
  LBracket,
  LParen,
  mapLexer,
  RBrace,
  RBracket,
  RParen,
  StringLiteral,
  UnterminatedString,
} from './tokens.ts';
import { AstBuilder } from './visitor.ts';

export type * from './ast.ts';
export { renderDiagnostics, renderDiagnosticsJson } from './render.ts';

export interface ParseResult {
  /**
   * The AST, or `undefined` when any error was reported: the tree of a file with syntax errors
   * is never handed to later phases.
   */
  readonly ast: MapFile | undefined;
  /** Every syntax diagnostic, sorted by position (offset, then code). */
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses one `.map` file. `file` is the name used in every span (e.g. `maps/entro.map`).
 * Lexer and parser errors are all reported (the parser recovers and goes on), each with a code
 * `E0001`–`E0011`, a span and a plain-words message. Never throws: an internal failure is
 * reported as `E0012`.
 */
export function parseMap(source: string, file: string): ParseResult {
  try {
    return parseUnguarded(source, file);
  } catch (e) {
    // A bug here must not crash the compiler: it becomes a diagnostic naming the failure.
    const message = e instanceof Error ? e.message : String(e);
    const span: Span = { file, offset: 0, length: 0, line: 1, column: 1 };
    return {
      ast: undefined,
      diagnostics: [
        diagnostic(
          'E0012',
          'error',
          `internal error in the parser: ${message}`,
          { span, message: 'while parsing this file' },
          {
            notes: ['note: this is a mapc bug; please report it with the file'],
          },
        ),
      ],
    };
  }
}

function parseUnguarded(source: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lines = lineStarts(source);
  const spanAt = (offset: number, length: number): Span => {
    const { line, column } = position(lines, offset);
    return { file, offset, length, line, column };
  };

  const lexed = mapLexer.tokenize(source);
  const cascade = new CascadeGuard(lexed.tokens);
  for (const e of lexed.errors) {
    cascade.broken(e.line ?? 0);
    const ch = source.slice(e.offset, e.offset + e.length);
    const shown = ch.length > 20 ? `${ch.slice(0, 17)}...` : ch;
    diagnostics.push(
      diagnostic('E0001', 'error', `unexpected character${e.length > 1 ? 's' : ''} "${shown}"`, {
        span: spanAt(e.offset, e.length),
        message: 'not part of the language',
      }),
    );
  }
  for (const t of lexed.tokens) {
    if (t.tokenType !== StringLiteral && t.tokenType !== UnterminatedString) continue;
    const terminated = t.tokenType !== UnterminatedString;
    if (!terminated) {
      cascade.broken(t.startLine ?? 0);
      diagnostics.push(
        diagnostic(
          'E0002',
          'error',
          'unterminated string: no closing quote on this line',
          {
            span: spanAt(t.startOffset, t.image.length),
            message: 'this string is not closed',
          },
          { notes: ['help: strings end on the line they start; write \\n for a line break'] },
        ),
      );
    }
    for (const p of decodeString(t.image, terminated).problems) {
      diagnostics.push(
        diagnostic(
          p.code,
          'error',
          p.message,
          { span: spanAt(t.startOffset + p.offset, p.length), message: p.label },
          { notes: p.notes },
        ),
      );
    }
  }

  // The parser recurses once per bracket level: refuse a file nested deeper than the language allows.
  const tooDeep = firstTooDeep(lexed.tokens);
  if (tooDeep !== undefined) {
    diagnostics.push(
      diagnostic(
        'E0013',
        'error',
        `brackets nested more than ${MAX_NESTING} deep`,
        {
          span: spanAt(tooDeep.startOffset, tooDeep.image.length),
          message: `opens level ${MAX_NESTING + 1}`,
        },
        {
          notes: [`note: a map's blocks and its JSON body together nest at most ${MAX_NESTING} brackets ({, [ and ()`],
        },
      ),
    );
    return { ast: undefined, diagnostics: diagnostics.sort((a, b) => a.primary.span.offset - b.primary.span.offset) };
  }

  const builder = new AstBuilder(file, source);
  const declarations: Declaration[] = [];
  const tokens = lexed.tokens;
  const lastToken = tokens[tokens.length - 1];
  const endSpan =
    lastToken === undefined ? spanAt(source.length, 0) : spanAt(lastToken.startOffset + lastToken.image.length, 0);
  let start = 0;
  // Each pass parses declarations until the parser stops at something that cannot start one;
  // that is reported, and parsing resumes at the next declaration keyword.
  while (start < tokens.length || start === 0) {
    mapParser.input = tokens.slice(start);
    const cst = mapParser.file() as FileCstNode;
    let stoppedAt: IToken | undefined;
    for (const e of mapParser.errors) {
      if (e.name === 'NotAllInputParsedException') stoppedAt = e.token;
      if (cascade.follows(e)) continue;
      diagnostics.push(toDiagnostic(e, spanAt, endSpan, tokens[tokens.indexOf(e.token) - 1]));
    }
    declarations.push(...(builder.visit(cst) as Declaration[]));
    if (stoppedAt === undefined) break;
    const index = tokens.indexOf(stoppedAt, start);
    if (index < 0) break;
    start = nextDeclaration(tokens, index + 1);
  }
  diagnostics.push(...builder.diagnostics);

  const sorted = dedupe(diagnostics).sort(
    (a, b) => a.primary.span.offset - b.primary.span.offset || a.code.localeCompare(b.code),
  );
  const failed = sorted.some((d) => d.severity === 'error');
  return { ast: failed ? undefined : builder.mapFile(declarations), diagnostics: sorted };
}

/**
 * Drops parser errors that are echoes of an earlier one. After an error chevrotain
 * re-synchronises on the next token that can start an item, which is often the rest of the
 * broken line (`"event"` in `event.kind "event"` restarts as a rule and fails again at the
 * next line's `}`). An error is therefore dropped when it is on the line of an earlier error
 * (a lexer error or an unterminated string counts), or when the token before
 * it is on such a line (the parser made no progress past the broken line); also a stray
 * top-level `}` after an earlier error, which is recovery's leftover.
 * The cost: a genuine error on the line right after a broken one shows up only once the first
 * is fixed.
 */
class CascadeGuard {
  private readonly brokenLines = new Set<number>();
  private readonly index = new Map<IToken, number>();

  constructor(private readonly tokens: readonly IToken[]) {
    tokens.forEach((t, i) => this.index.set(t, i));
  }

  /** Marks a line as broken by an error found outside the parser (lexer, unterminated string). */
  broken(line: number): void {
    this.brokenLines.add(line);
  }

  /** True when the error should be dropped; records its line otherwise. */
  follows(e: IRecognitionException): boolean {
    const token = e.token;
    const atEnd = token.tokenType === EOF || Number.isNaN(token.startOffset);
    const line = atEnd ? Number.POSITIVE_INFINITY : (token.startLine ?? 0);
    const at = atEnd ? this.tokens.length : (this.index.get(token) ?? 0);
    const before = this.tokens[at - 1]?.startLine;
    if (this.brokenLines.size > 0) {
      if (this.brokenLines.has(line) || (before !== undefined && this.brokenLines.has(before))) return true;
      if (!atEnd && token.image === '}' && unpackMessage(e.message).message.startsWith('expected a declaration'))
        return true;
    }
    this.brokenLines.add(line);
    return false;
  }
}

/** The first opening bracket that is more than {@link MAX_NESTING} deep, if any (one pass, no recursion). */
function firstTooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const t of tokens) {
    if (t.tokenType === LBrace || t.tokenType === LBracket || t.tokenType === LParen) {
      depth++;
      if (depth > MAX_NESTING) return t;
    } else if (t.tokenType === RBrace || t.tokenType === RBracket || t.tokenType === RParen) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** Index of the first token at or after `from` that starts a declaration (`setting x`, not `setting.x`). */
function nextDeclaration(tokens: readonly IToken[], from: number): number {
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (t !== undefined && DECLARATION_STARTS.includes(t.tokenType) && tokens[i + 1]?.tokenType !== Dot) return i;
  }
  return tokens.length;
}

/**
 * Help for the mistakes the grammar invites. `before` is the token preceding the error's token
 * in the source (chevrotain's own "previous token" is where recovery resumed, not this).
 */
function hints(e: IRecognitionException, before: IToken | undefined): string[] {
  if (e.token.image === '=' && before?.image === 'required') {
    return ['help: a setting\'s default comes before "required": setting NAME: TYPE = VALUE required'];
  }
  if (unpackMessage(e.message).message.startsWith(`expected ${FIELD_TYPES_PHRASE}`)) {
    // A record field without a type, or a misspelt type.
    if (before !== undefined && e.token.startLine !== undefined && (before.startLine ?? 0) < e.token.startLine) {
      return ['help: the field on the line before has no type: write one after its path, e.g. `string`'];
    }
    const [guess] = closest(e.token.image.toLowerCase(), FIELD_TYPE_NAMES);
    return guess === undefined ? [] : [`help: did you mean "${guess}"?`];
  }
  return [];
}

function toDiagnostic(
  e: IRecognitionException,
  spanAt: (o: number, l: number) => Span,
  endSpan: Span,
  before: IToken | undefined,
): Diagnostic {
  const { message, label } = unpackMessage(e.message);
  const atEnd = e.token.tokenType === EOF || Number.isNaN(e.token.startOffset);
  const span = atEnd ? endSpan : spanAt(e.token.startOffset, e.token.image.length);
  return diagnostic(atEnd ? 'E0005' : 'E0004', 'error', message, { span, message: label }, { notes: hints(e, before) });
}

/** Chevrotain may report the same position twice while recovering: keep the first. */
function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}:${d.primary.span.offset}:${d.primary.span.length}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && source.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line and column of a 0-based offset. */
function position(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
}
