/**
 * What the text at an offset refers to: a setting, secret or table (by reference, by declaration
 * or as a `{placeholder}` in a string), a transform, or a field path. Hover and go-to-definition
 * both start here. Works from tokens only (see `./tokens.ts`).
 *
 * @module
 */
import type { IToken } from 'chevrotain';
import { parseTemplate } from '../../dsl/strings.ts';
import { transformSpec, type TransformSpec } from '../../dsl/transforms.ts';
import { Dot, Keyword, LParen, Pipe, StringLiteral, UnterminatedString } from '../../dsl/tokens.ts';
import { isA, type DocumentTokens } from './tokens.ts';

export type Reference =
  | { readonly kind: 'setting' | 'secret' | 'table'; readonly name: string; readonly range: Range }
  | { readonly kind: 'transform'; readonly spec: TransformSpec; readonly range: Range }
  | { readonly kind: 'path'; readonly segments: readonly string[]; readonly index: number; readonly range: Range };

/** A span of the document by 0-based offsets `[start, end)`. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

function rangeOf(t: IToken): Range {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}

/** `setting . NAME` / `secret . NAME` around token `i` (the keyword, the dot or the name). */
function valueRef(doc: DocumentTokens, i: number): Reference | undefined {
  for (const k of [i, i - 1, i - 2]) {
    const kw = doc.at(k);
    const name = doc.at(k + 2);
    if (kw === undefined || name === undefined || !isA(doc.at(k + 1), Dot)) continue;
    if (doc.at(k - 1)?.tokenType === Dot) continue;
    if (kw.tokenType === Keyword.setting) return { kind: 'setting', name: name.image, range: rangeOf(name) };
    if (kw.tokenType === Keyword.secret) return { kind: 'secret', name: name.image, range: rangeOf(name) };
  }
  return undefined;
}

/** A `{name}` placeholder of a string token under `offset`, as a setting reference. */
function placeholder(t: IToken, offset: number): Reference | undefined {
  const { parts } = parseTemplate(t.image, t.tokenType !== UnterminatedString);
  for (const p of parts) {
    if (p.kind !== 'placeholder') continue;
    const start = t.startOffset + p.start;
    const end = t.startOffset + p.end;
    if (offset >= start && offset <= end) return { kind: 'setting', name: p.name, range: { start, end } };
  }
  return undefined;
}

/** What the document refers to at `offset`, or `undefined`. */
export function referenceAt(doc: DocumentTokens, offset: number): Reference | undefined {
  const i = doc.indexAt(offset);
  const t = doc.at(i);
  if (t === undefined) return undefined;
  if (isA(t, StringLiteral)) {
    const p = placeholder(t, offset);
    if (p) return p;
  }
  const ref = valueRef(doc, i);
  if (ref) return ref;
  const before = doc.at(i - 1);
  // A declaration's own name: `setting NAME`, `secret NAME`, `table NAME`.
  if (before !== undefined && doc.isDeclarationStart(i - 1)) {
    if (before.tokenType === Keyword.setting) return { kind: 'setting', name: t.image, range: rangeOf(t) };
    if (before.tokenType === Keyword.secret) return { kind: 'secret', name: t.image, range: rangeOf(t) };
    if (before.tokenType === Keyword.table) return { kind: 'table', name: t.image, range: rangeOf(t) };
  }
  // `| lookup ( NAME )`
  if (isA(before, LParen) && doc.at(i - 2)?.image === 'lookup' && isA(doc.at(i - 3), Pipe)) {
    return { kind: 'table', name: t.image, range: rangeOf(t) };
  }
  if (isA(before, Pipe)) {
    const spec = transformSpec(t.image);
    if (spec) return { kind: 'transform', spec, range: rangeOf(t) };
  }
  const path = doc.pathAround(i);
  if (path && !isA(t, StringLiteral)) {
    return { kind: 'path', segments: path.segments.map((s) => s.image), index: path.index, range: rangeOf(t) };
  }
  return undefined;
}
