/**
 * Completion. What may come next is asked of the grammar itself: chevrotain's
 * `computeContentAssist` on the tokens of the current top-level declaration before the cursor
 * (https://chevrotain.io/docs/guide/syntactic_content_assist.html, chevrotain 11.2) gives the
 * possible next token types and the rule stack that expects each. Keywords are offered as they
 * are; where a name is expected the rule stack says which names: ECS fields (the next segments
 * after a dotted prefix) for a rule's destination, the document's settings after `setting.`, secrets
 * after `secret.`, tables inside `lookup(`, the registry's transforms after `|`. Inside a string
 * after `{`, the settings (placeholders). Only the declaration around the cursor has to parse,
 * so an error elsewhere in the file does not stop completion.
 *
 * @module
 */
import type { IToken, TokenType } from 'chevrotain';
import { mapParser } from '../../dsl/parser.ts';
import { TRANSFORMS } from '../../dsl/transforms.ts';
import { AtName, Dot, LParen, mapLexer, Name, StringLiteral, UnterminatedString } from '../../dsl/tokens.ts';
import { ecsSchemaOrDefault } from '../../compiler/ecs/index.ts';
import { ecsNextSegments } from './ecs.ts';
import type { Range } from './reference.ts';
import { declaredSymbols } from './symbols.ts';
import { end, isA, type DocumentTokens } from './tokens.ts';

export type CompletionKind = 'keyword' | 'field' | 'fieldSet' | 'setting' | 'secret' | 'table' | 'transform';

export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
}

export interface Completions {
  readonly items: readonly Completion[];
  /** The text the chosen item replaces (the partly typed word), by offsets. */
  readonly range: Range;
}

const NONE = (offset: number): Completions => ({ items: [], range: { start: offset, end: offset } });

/** The spelling of a keyword token type (`Kw_paginate` → `paginate`), else undefined. */
function keywordOf(type: TokenType): string | undefined {
  return type.name.startsWith('Kw_') ? type.name.slice(3) : undefined;
}

function assist(tokens: IToken[]): ReturnType<typeof mapParser.computeContentAssist> {
  try {
    return mapParser.computeContentAssist('file', tokens);
  } catch {
    return [];
  }
}

let dateFormats: readonly string[] | undefined;

/** The date-format keywords, as the grammar's `dateFormat` rule has them (asked once of the parser). */
function dateFormatKeywords(): readonly string[] {
  dateFormats ??= assist(mapLexer.tokenize('stream s { cursor { max a format').tokens)
    .map((p) => keywordOf(p.nextTokenType))
    .filter((k): k is string => k !== undefined);
  return dateFormats;
}

/** The dotted path typed so far before a segment: `source.geo.` → `source.geo`; none → `''`. */
function pathPrefix(tokens: readonly IToken[]): string {
  const segments: string[] = [];
  let i = tokens.length - 1;
  while (isA(tokens[i], Dot) && (isA(tokens[i - 1], Name) || isA(tokens[i - 1], AtName))) {
    segments.unshift(tokens[i - 1]!.image);
    i -= 2;
  }
  return segments.join('.');
}

/** Placeholder completion inside a string token: the settings, after an unclosed `{`. */
function inString(doc: DocumentTokens, t: IToken, offset: number): Completions {
  const before = t.image.slice(0, offset - t.startOffset);
  const m = /(?:^|[^{])\{([A-Za-z0-9_.]*)$/.exec(before);
  if (!m) return NONE(offset);
  const typed = m[1] ?? '';
  const items = declaredSymbols(doc).settings.map((s): Completion => ({
    label: s.name,
    kind: 'setting',
    detail: `setting: ${s.type}`,
    ...doc1(s),
  }));
  return { items, range: { start: offset - typed.length, end: offset } };
}

function doc1(d: { title?: string; description?: string }): { documentation?: string } {
  const text = [d.title, d.description].filter((x) => x !== undefined).join(' — ');
  return text ? { documentation: text } : {};
}

/** Completion items for `offset` in the document. */
export function completionsAt(doc: DocumentTokens, offset: number): Completions {
  const containing = doc.at(doc.indexAt(offset));
  if (containing && isA(containing, StringLiteral) && offset > containing.startOffset) {
    const closed = containing.tokenType !== UnterminatedString;
    if (!closed || offset < end(containing)) return inString(doc, containing, offset);
  }
  let last = doc.lastBefore(offset);
  const gapStart = last >= 0 ? end(doc.at(last)!) : 0;
  if (doc.text.slice(gapStart, offset).includes('#')) return NONE(offset);
  // A name being typed is replaced by the chosen item and is not part of what came before.
  let range: Range = { start: offset, end: offset };
  const typing = doc.at(last);
  if (typing && end(typing) === offset && (isA(typing, Name) || isA(typing, AtName))) {
    range = { start: typing.startOffset, end: offset };
    last -= 1;
  }
  const start = last >= 0 ? doc.declarationStart(last) : 0;
  const preceding = doc.tokens.slice(start, last + 1);
  const symbols = declaredSymbols(doc);
  const items = new Map<string, Completion>();
  const add = (c: Completion): void => {
    if (!items.has(c.label)) items.set(c.label, c);
  };
  for (const path of assist([...preceding])) {
    const keyword = keywordOf(path.nextTokenType);
    if (keyword !== undefined) {
      add({ label: keyword, kind: 'keyword' });
      continue;
    }
    if (path.nextTokenType !== Name) continue;
    const stack = path.ruleStack;
    const rule = stack[stack.length - 1];
    const parent = stack[stack.length - 2];
    if (rule === 'segment' && parent === 'path' && stack[stack.length - 3] === 'rule') {
      for (const s of ecsNextSegments(ecsSchemaOrDefault(symbols.ecsVersion), pathPrefix(preceding))) {
        add({
          label: s.segment,
          kind: s.field ? 'field' : 'fieldSet',
          detail: s.field ? `ECS ${s.field.type}${s.field.array ? ' (array)' : ''}` : 'ECS field set',
          ...(s.field?.short ? { documentation: s.field.short } : {}),
        });
      }
    } else if (rule === 'settingRef') {
      for (const s of symbols.settings)
        add({ label: s.name, kind: 'setting', detail: `setting: ${s.type}`, ...doc1(s) });
    } else if (rule === 'secretRef') {
      for (const s of symbols.secrets) add({ label: s.name, kind: 'secret', detail: 'secret', ...doc1(s) });
    } else if (rule === 'transform') {
      for (const t of TRANSFORMS)
        add({ label: t.identifier, kind: 'transform', detail: t.signature, documentation: t.doc });
    } else if (rule === 'transformArg') {
      const open = preceding.map((t) => isA(t, LParen)).lastIndexOf(true);
      const transform = preceding[open - 1]?.image;
      if (transform === 'lookup') {
        for (const t of symbols.tables)
          add({ label: t.name, kind: 'table', detail: `table: ${t.entries.length} entries` });
      } else if (transform === 'date') {
        for (const f of dateFormatKeywords()) add({ label: f, kind: 'keyword', detail: 'date format' });
      }
    }
  }
  return { items: [...items.values()], range };
}
