/**
 * The `.map` front end: source text in, AST and syntax diagnostics out.
 *
 * ```ts
 * const { ast, diagnostics } = parseMap(text, 'maps/entro.map');
 * ```
 *
 * Stages: lexing (`dsl/tokens.ts`), string checks, parsing with error recovery
 * (`dsl/parser.ts`; unclosed braces and broken items are handled by `dsl/recovery.ts`, so one
 * mistake gives one diagnostic), CST → AST (`dsl/visitor.ts`). Never throws on any input.
 *
 * @module
 */
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { MapFile, Declaration } from './ast.ts';
import type { FileCstNode } from './cst.d.ts';
import { diagnostic, type Diagnostic, type Span } from './diagnostics.ts';
import { unpackMessage } from './parse-errors.ts';
import { FIELD_TYPES_PHRASE, mapParser } from './parser.ts';
import { brokenItem, closeUnclosedBraces, isInserted, type UnclosedBrace } from './recovery.ts';
import { MAX_NESTING } from './limits.ts';
import { FIELD_TYPE_NAMES } from './field-types.ts';
import { closest, didYouMean } from './suggest.ts';
import { decodeString } from './strings.ts';
import {
  Identifier,
  KEYWORD_WORDS,
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
 * Lexer and parser errors are all reported (after each parser error the broken item is dropped
 * and the file parsed again, see `dsl/recovery.ts`), each with a code
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
  // Lines already reported by the lexer: a parser error there is its echo.
  const brokenLines = new Set<number>();
  for (const e of lexed.errors) {
    brokenLines.add(e.line ?? 0);
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
      brokenLines.add(t.startLine ?? 0);
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
  const tokens = lexed.tokens;
  const lastToken = tokens[tokens.length - 1];
  const endSpan =
    lastToken === undefined ? spanAt(source.length, 0) : spanAt(lastToken.startOffset + lastToken.image.length, 0);

  // Braces left open are found from the layout and closed before parsing (dsl/recovery.ts).
  const braces = closeUnclosedBraces(tokens);
  for (const u of braces.unclosed) {
    // A string left open on the block's lines swallowed its "}": that is already reported.
    const last = u.expectedBefore?.startLine ?? Number.POSITIVE_INFINITY;
    if ([...brokenLines].some((line) => line >= (u.opener.startLine ?? 0) && line < last)) continue;
    diagnostics.push(unclosedDiagnostic(u, spanAt, endSpan));
  }

  // Each round parses the whole file and reports its first error; the item holding it is then
  // dropped and the file parsed again, so the next report is a genuine error, not an echo.
  let work = braces.tokens;
  let cst: FileCstNode;
  for (let round = 0; ; round++) {
    mapParser.input = work;
    cst = mapParser.file() as FileCstNode;
    const e = firstError(mapParser.errors);
    if (e === undefined || round >= MAX_REPAIRS) break;
    const at = work.indexOf(e.token);
    const before = at < 0 ? work[work.length - 1] : work[at - 1];
    const continued = at < 0 ? undefined : continuedFrom(e, work, at);
    if (!brokenLines.has(e.token.startLine ?? -1)) {
      const d = toDiagnostic(e, spanAt, endSpan, before);
      const open = at < 0 ? undefined : openCondition(work, at);
      diagnostics.push(
        open === undefined
          ? d
          : {
              ...d,
              notes: [
                ...d.notes,
                `note: the condition ending with "${open.image}" on line ${open.startLine} goes on here`,
              ],
            },
      );
    }
    if (at < 0) break;
    const [from, to] = brokenItem(work, at, continued);
    work = [...work.slice(0, from), ...work.slice(to)];
  }
  const declarations = builder.visit(cst) as Declaration[];
  diagnostics.push(...builder.diagnostics);

  const sorted = dedupe(diagnostics).sort(
    (a, b) => a.primary.span.offset - b.primary.span.offset || a.code.localeCompare(b.code),
  );
  const failed = sorted.some((d) => d.severity === 'error');
  return { ast: failed ? undefined : builder.mapFile(declarations), diagnostics: sorted };
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

/** Upper bound on parse-and-drop rounds (each reports one error); a file past it reports the rest no more. */
const MAX_REPAIRS = 100;

/** The error earliest in the source (chevrotain lists them in the order met; end of file last). */
function firstError(errors: readonly IRecognitionException[]): IRecognitionException | undefined {
  let best: IRecognitionException | undefined;
  const at = (e: IRecognitionException) =>
    e.token.tokenType === EOF || Number.isNaN(e.token.startOffset) ? Number.POSITIVE_INFINITY : e.token.startOffset;
  for (const e of errors) if (best === undefined || at(e) < at(best)) best = e;
  return best;
}

/** True for "expected an item of this block or `}`" and "expected a declaration": the error token starts an item. */
function atItemStart(e: IRecognitionException): boolean {
  const { message } = unpackMessage(e.message);
  return message.startsWith('expected a declaration') || / or "}", found /.test(message);
}

/**
 * The line the broken item started on, when it is an earlier line than the error's: the error
 * is inside an item (not at an item's start) and the token before it is on an earlier line.
 */
function continuedFrom(e: IRecognitionException, tokens: readonly IToken[], at: number): number | undefined {
  if (atItemStart(e)) return undefined;
  const before = tokens[at - 1];
  const line = e.token.startLine ?? 0;
  if (before?.startLine !== undefined && before.startLine < line && before.image !== '{') return before.startLine;
  // A condition left open at the end of a line (`when a == 1 and`) took the next line's rule as
  // its operand: the broken item is the line that ends with the operator.
  let first = at;
  while (first > 0 && tokens[first - 1]?.startLine === line) first--;
  const last = tokens[first - 1];
  return last?.startLine !== undefined && last.startLine < line && CONTINUING_WORDS.has(last.image)
    ? last.startLine
    : undefined;
}

/** The `and`/`or`/`not`/`when`/`(` ending the line before the error's line, if any. */
function openCondition(tokens: readonly IToken[], at: number): IToken | undefined {
  const line = tokens[at]?.startLine;
  let first = at;
  while (first > 0 && tokens[first - 1]?.startLine === line) first--;
  const last = tokens[first - 1];
  return last !== undefined && last.startLine !== line && CONTINUING_WORDS.has(last.image) ? last : undefined;
}

/** Words after which a condition must go on: at the end of a line, the next line is taken as its rest. */
const CONTINUING_WORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'when', '(']);

const KEYWORDS: ReadonlySet<string> = new Set(KEYWORD_WORDS);

/**
 * The keywords an "expected ..., found ..." message names as choices: `expected a pagination kind
 * (page_token, cursor_has_more, ...)` gives `page_token`, `cursor_has_more`, .... Nouns after an
 * article (`a string`, `a setting type`) and what follows "after" are descriptions, not choices.
 */
function expectedKeywords(message: string): string[] {
  const found = message.lastIndexOf(', found ');
  let phrase = message.slice('expected '.length, found < 0 ? undefined : found);
  const after = phrase.indexOf(' after ');
  if (after >= 0) phrase = phrase.slice(0, after);
  const words = phrase.replace(/\ban? [A-Za-z_]+/g, ' ').match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  return [...new Set(words.filter((w) => KEYWORDS.has(w)))];
}

/** True when `token` is the first on its line (`before` is the token preceding it). */
function firstOnLine(token: IToken, before: IToken | undefined): boolean {
  return before === undefined || (before.endLine ?? 0) < (token.startLine ?? 0);
}

/**
 * Help for the mistakes the grammar invites. `before` is the token preceding the error's token
 * in the source (chevrotain's own "previous token" is where recovery resumed, not this).
 */
function hints(e: IRecognitionException, before: IToken | undefined): string[] {
  if (e.token.image === '=' && before?.image === 'required') {
    return ['help: a setting\'s default comes before "required": setting NAME: TYPE = VALUE required'];
  }
  const { message } = unpackMessage(e.message);
  if (before?.image === 'in' && e.token.image === '(') {
    return ['help: the values of `in` are a list in brackets: `action in ["login", "logout"]`'];
  }
  if ((e.token.image === '&' || e.token.image === '|') && before !== undefined) {
    return ['help: conditions combine with the words `and`, `or` and `not`'];
  }
  if (message.startsWith(`expected ${FIELD_TYPES_PHRASE}`)) {
    // A record field without a type, or a misspelt type.
    if (before !== undefined && e.token.startLine !== undefined && (before.startLine ?? 0) < e.token.startLine) {
      return ['help: the field on the line before has no type: write one after its path, e.g. `string`'];
    }
    const [guess] = closest(e.token.image.toLowerCase(), FIELD_TYPE_NAMES);
    return guess === undefined ? [] : [`help: did you mean "${guess}"?`];
  }
  if (e.token.tokenType === Identifier) {
    // A misspelt keyword: among the keywords the parser wanted here, or any where an item starts.
    const wanted = expectedKeywords(message);
    const candidates = wanted.length > 0 || !(atItemStart(e) || firstOnLine(e.token, before)) ? wanted : KEYWORD_WORDS;
    const note = didYouMean(e.token.image, candidates);
    if (note.length > 0) return note;
  }
  if (e.token.image === ':' && before !== undefined && before.startLine === e.token.startLine) {
    // YAML habits: `records: $`, `title: "Audit logs"`.
    return [`help: items are written without a colon: \`${before.image} ...\`, not \`${before.image}: ...\``];
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
  const span = atEnd ? endSpan : spanAt(e.token.startOffset, isInserted(e.token) ? 0 : e.token.image.length);
  return diagnostic(atEnd ? 'E0005' : 'E0004', 'error', message, { span, message: label }, { notes: hints(e, before) });
}

/** "the `stream audit {` opened at 12:3 is not closed", at the brace, with where a `}` was expected. */
function unclosedDiagnostic(u: UnclosedBrace, spanAt: (o: number, l: number) => Span, endSpan: Span): Diagnostic {
  const open = spanAt(u.opener.startOffset, 1);
  const where =
    u.expectedBefore === undefined ? endSpan : spanAt(u.expectedBefore.startOffset, u.expectedBefore.image.length);
  return diagnostic(
    'E0005',
    'error',
    `the \`${u.construct}\` opened at ${open.line}:${open.column} is not closed`,
    { span: open, message: 'this "{" has no matching "}"' },
    {
      secondary: [
        {
          span: where,
          message: u.expectedBefore === undefined ? 'expected "}" before the end of file' : 'expected "}" before this',
        },
      ],
      notes: ['help: add "}" where the block ends'],
    },
  );
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
