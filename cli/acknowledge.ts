/**
 * Acknowledged warnings: a map says, in a comment, that it knows of a warning and accepts it, so
 * that a correct map builds quietly.
 *
 * ```
 * stream audit {
 *   # mapc: allow W0501, W0601        acknowledges these warnings anywhere in this stream
 *   request GET "{base_url}/v1/audit" { ... }   # mapc: allow W0420   (only on this line)
 * }
 * ```
 *
 * - `# mapc: allow <code>[, <code>...]` names one or more warning codes (`Wnnnn`), separated by
 *   commas or spaces.
 * - After code on the same line, it acknowledges those warnings whose primary span starts on that
 *   line; on a line of its own inside a `stream { }` block, those located anywhere in that block;
 *   on a line of its own outside every stream, those anywhere in the map.
 * - Only warnings can be acknowledged. A comment naming an error or an unknown code is error
 *   E0703, so a typo cannot silently acknowledge nothing.
 * - An acknowledged warning is not printed (`check` counts it in its summary); what it warns about
 *   is still generated, and still described in the generated READMEs (a stream collected through
 *   `mapc collect` says so there whether or not W0501 is acknowledged).
 *
 * @module
 */
import type { IToken } from 'chevrotain';
import { CODES } from '../dsl/codes.ts';
import { diagnostic, type Diagnostic } from '../dsl/diagnostics.ts';
import { scanComments } from '../dsl/format/comments.ts';
import { Keyword, LBrace, mapLexer, RBrace } from '../dsl/tokens.ts';

/** Where an acknowledgement applies: offsets `[from, to)` of its file, or one line. */
type Scope =
  | { readonly kind: 'line'; readonly line: number }
  | { readonly kind: 'range'; readonly from: number; readonly to: number };

interface Allow {
  readonly codes: ReadonlySet<string>;
  readonly scope: Scope;
}

export interface FileAcknowledgements {
  readonly allows: readonly Allow[];
  /** E0703 for each code a comment cannot acknowledge. */
  readonly problems: readonly Diagnostic[];
}

const ALLOW = /^#\s*mapc:\s*allow\b(.*)$/;

/** Offsets `[from, to)` of every top-level `stream ... { ... }` block, from its keyword to its closing brace. */
function streamBlocks(tokens: readonly IToken[]): { from: number; to: number }[] {
  const blocks: { from: number; to: number }[] = [];
  let depth = 0;
  let open: { from: number; depth: number } | undefined;
  let pending: number | undefined;
  for (const t of tokens) {
    if (t.tokenType === Keyword.stream && depth === 0 && !open) pending = t.startOffset;
    else if (t.tokenType === LBrace) {
      if (pending !== undefined && depth === 0) open = { from: pending, depth: 1 };
      pending = undefined;
      depth++;
    } else if (t.tokenType === RBrace) {
      depth = Math.max(0, depth - 1);
      if (open && depth === 0) {
        blocks.push({ from: open.from, to: t.startOffset + 1 });
        open = undefined;
      }
    }
  }
  if (open) blocks.push({ from: open.from, to: Number.MAX_SAFE_INTEGER });
  return blocks;
}

/** The acknowledgements written in `source` (the text of `file`). */
export function readAcknowledgements(file: string, source: string): FileAcknowledgements {
  // Most maps have none: no lexing then.
  if (!source.includes('mapc:')) return { allows: [], problems: [] };
  const { tokens } = mapLexer.tokenize(source);
  const blocks = streamBlocks(tokens);
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const allows: Allow[] = [];
  const problems: Diagnostic[] = [];
  for (const comment of scanComments(source, tokens)) {
    const m = ALLOW.exec(comment.text);
    if (!m) continue;
    const line = lineOf(comment.offset);
    const codes = new Set<string>();
    const words = m[1]!.split(/[\s,]+/).filter((w) => w !== '');
    const span = {
      file,
      offset: comment.offset,
      length: comment.end - comment.offset,
      line,
      column: comment.offset - lineStarts[line - 1]! + 1,
    };
    if (words.length === 0) {
      problems.push(
        diagnostic('E0703', 'error', '`# mapc: allow` names no warning code', {
          span,
          message: 'expected warning codes, e.g. # mapc: allow W0501',
        }),
      );
      continue;
    }
    for (const word of words) {
      const known = Object.hasOwn(CODES, word);
      if (known && word.startsWith('W')) {
        codes.add(word);
        continue;
      }
      problems.push(
        diagnostic(
          'E0703',
          'error',
          known ? `${word} is an error, which cannot be acknowledged` : `${word} is not a mapc warning code`,
          { span, message: 'in this acknowledgement' },
          { notes: ['help: `# mapc: allow` takes warning codes (Wnnnn) as mapc prints them'] },
        ),
      );
    }
    if (codes.size === 0) continue;
    const trailing = tokens.some((t) => t.startOffset < comment.offset && lineOf(t.startOffset) === line);
    const block = blocks.find((b) => b.from <= comment.offset && comment.offset < b.to);
    const scope: Scope = trailing
      ? { kind: 'line', line }
      : block
        ? { kind: 'range', from: block.from, to: block.to }
        : { kind: 'range', from: 0, to: Number.MAX_SAFE_INTEGER };
    allows.push({ codes, scope });
  }
  return { allows, problems };
}

/** Whether `d` (a warning) is acknowledged by `acks` of its file. */
export function isAcknowledged(d: Diagnostic, acks: FileAcknowledgements): boolean {
  if (d.severity !== 'warning') return false;
  const { line, offset } = d.primary.span;
  return acks.allows.some(
    (a) =>
      a.codes.has(d.code) &&
      (a.scope.kind === 'line' ? a.scope.line === line : a.scope.from <= offset && offset < a.scope.to),
  );
}
