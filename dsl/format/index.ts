/**
 * `mapc fmt`'s formatter: the one canonical layout of a `.map` file.
 *
 * ```ts
 * const result = formatMap(text, 'maps/entro.map');
 * if (result.ok && result.text !== text) write(result.text);
 * ```
 *
 * The layout is specified in `docs/language.md` ("Canonical layout"): two-space indentation, one
 * item per line, aligned columns, one blank line between declarations, canonical string
 * spellings, every comment kept where it was. Formatting is idempotent and never changes what a
 * map means: the formatter re-lexes its own output and refuses (throws) unless the output has the
 * same tokens (strings compared by their decoded value and template parts) and the same comments,
 * in the same order, as the input.
 *
 * @module
 */
import type { IToken } from 'chevrotain';
import type { FileCstNode } from '../cst.d.ts';
import { hasErrors, type Diagnostic } from '../diagnostics.ts';
import { parseMap } from '../index.ts';
import { mapParser } from '../parser.ts';
import { decodeString, parseTemplate } from '../strings.ts';
import { mapLexer, StringLiteral } from '../tokens.ts';
import { scanComments, type MapComment } from './comments.ts';
import { renderLines } from './layout.ts';
import { Printer } from './printer.ts';

export { canonicalString } from './strings.ts';
export { scanComments, type MapComment } from './comments.ts';

export type FormatResult =
  /** The formatted text (equal to the input when it was already canonical). */
  | { readonly ok: true; readonly text: string }
  /** The map has syntax errors: it is not formatted. `diagnostics` are the parser's. */
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Formats the text of one map. `file` names the file in diagnostics. A map with a syntax error
 * is not formatted (`ok: false` with every syntax diagnostic); other problems (unknown ECS
 * fields, unused settings, ...) do not stop formatting.
 * @throws Error when the formatted text would not mean the same as the input (a formatter bug;
 *   nothing should be written then)
 */
export function formatMap(source: string, file: string): FormatResult {
  const parsed = parseMap(source, file);
  if (hasErrors(parsed.diagnostics)) return { ok: false, diagnostics: parsed.diagnostics };
  const { tokens, comments, cst } = read(source);
  const printer = new Printer(source, comments);
  printer.file(cst);
  const text = renderLines(printer.lines);
  verify(tokens, comments, text);
  return { ok: true, text };
}

function read(source: string): { tokens: IToken[]; comments: MapComment[]; cst: FileCstNode } {
  const lexed = mapLexer.tokenize(source);
  mapParser.input = lexed.tokens;
  const cst = mapParser.file() as FileCstNode;
  if (lexed.errors.length > 0 || mapParser.errors.length > 0) {
    throw new Error('the map parsed without error once but not twice');
  }
  return { tokens: lexed.tokens, comments: scanComments(source, lexed.tokens), cst };
}

/** What a token means, for comparing input and output: strings by value and template parts. */
function meaning(t: IToken): string {
  if (t.tokenType !== StringLiteral) return `${t.tokenType.name} ${t.image}`;
  const parts = parseTemplate(t.image).parts.map((p) => (p.kind === 'text' ? ['t', p.text] : ['p', p.name]));
  return `${t.tokenType.name} ${JSON.stringify([decodeString(t.image).value, parts])}`;
}

/**
 * The output must lex without error into tokens of the same meaning, with the same comments: then
 * the parser reads it exactly as it read the input (same tokens, same tree, same diagnostics).
 */
function verify(tokens: readonly IToken[], comments: readonly MapComment[], text: string): void {
  const lexed = mapLexer.tokenize(text);
  if (lexed.errors.length > 0) throw new Error(`the formatted map does not lex: ${lexed.errors[0]?.message ?? ''}`);
  const before = tokens.map(meaning);
  const after = lexed.tokens.map(meaning);
  const at = before.findIndex((m, i) => m !== after[i]);
  if (at >= 0 || before.length !== after.length) {
    const i = at >= 0 ? at : Math.min(before.length, after.length);
    throw new Error(`formatting changed token ${i + 1}: ${before[i] ?? 'end'} became ${after[i] ?? 'end'}`);
  }
  const c1 = comments.map((c) => c.text).join('\n');
  const c2 = scanComments(text, lexed.tokens)
    .map((c) => c.text)
    .join('\n');
  if (c1 !== c2) throw new Error('formatting changed the comments');
}
