/**
 * The settings, secrets and tables a document declares, read from its tokens (so a file with
 * syntax errors elsewhere still offers its names to completion, hover and go-to-definition).
 * Only well-formed declarations are read; a broken one is skipped.
 *
 * @module
 */
import type { IToken } from 'chevrotain';
import { decodeString } from '../../dsl/strings.ts';
import {
  Arrow,
  Colon,
  LBracket,
  RBracket,
  Equals,
  Keyword,
  LBrace,
  Name,
  NumberLiteral,
  RBrace,
  StringLiteral,
  UnterminatedString,
} from '../../dsl/tokens.ts';
import { isA, type DocumentTokens } from './tokens.ts';

export interface Declared {
  readonly kind: 'setting' | 'secret' | 'table';
  readonly name: string;
  /** The token of the declared name (the target of go-to-definition). */
  readonly nameToken: IToken;
  readonly title?: string;
  readonly description?: string;
}

export interface DeclaredSetting extends Declared {
  readonly kind: 'setting';
  readonly type: string;
  /** The default as written (`"5m"`, `false`, `100`). */
  readonly default?: string;
  readonly required: boolean;
}

export interface DeclaredSecret extends Declared {
  readonly kind: 'secret';
}

export interface DeclaredTable extends Declared {
  readonly kind: 'table';
  readonly entries: readonly (readonly [string, string])[];
  readonly default?: string;
}

export interface Symbols {
  readonly settings: readonly DeclaredSetting[];
  readonly secrets: readonly DeclaredSecret[];
  readonly tables: readonly DeclaredTable[];
  /** The text of the integration's `ecs "VERSION"`, if the document has one. */
  readonly ecsVersion?: string;
}

function text(t: IToken): string {
  return isA(t, StringLiteral) ? decodeString(t.image, t.tokenType !== UnterminatedString).value : t.image;
}

/** Reads `{ title "..." description "..." }` starting at `i` (a `{`); returns the info and the index after `}`. */
function info(tokens: readonly IToken[], i: number): { title?: string; description?: string; next: number } {
  const out: { title?: string; description?: string; next: number } = { next: i };
  if (!isA(tokens[i], LBrace)) return out;
  let j = i + 1;
  while (j + 1 < tokens.length && !isA(tokens[j], RBrace)) {
    const key = tokens[j]!;
    const value = tokens[j + 1]!;
    if (!isA(value, StringLiteral)) break;
    if (key.tokenType === Keyword.title) out.title = text(value);
    else if (key.tokenType === Keyword.description) out.description = text(value);
    j += 2;
  }
  out.next = j + 1;
  return out;
}

function setting(tokens: readonly IToken[], i: number): DeclaredSetting | undefined {
  const nameToken = tokens[i + 1];
  const type = tokens[i + 3];
  if (!isA(nameToken, Name) || !isA(tokens[i + 2], Colon) || !isA(type, Name)) return undefined;
  let j = i + 4;
  let dflt: string | undefined;
  const literal = tokens[j + 1];
  if (isA(tokens[j], Equals) && literal !== undefined) {
    if (isA(literal, StringLiteral) || isA(literal, NumberLiteral) || isA(literal, Name)) dflt = literal.image;
    j += 2;
  }
  const required = tokens[j]?.tokenType === Keyword.required;
  if (required) j += 1;
  const { title, description } = info(tokens, j);
  return {
    kind: 'setting',
    name: nameToken!.image,
    nameToken: nameToken!,
    type: type!.image,
    ...(dflt !== undefined ? { default: dflt } : {}),
    required,
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

function secret(tokens: readonly IToken[], i: number): DeclaredSecret | undefined {
  const nameToken = tokens[i + 1];
  if (!isA(nameToken, Name)) return undefined;
  const { title, description } = info(tokens, i + 2);
  return {
    kind: 'secret',
    name: nameToken!.image,
    nameToken: nameToken!,
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

function table(tokens: readonly IToken[], i: number): DeclaredTable | undefined {
  const nameToken = tokens[i + 1];
  if (!isA(nameToken, Name) || !isA(tokens[i + 2], LBrace)) return undefined;
  const entries: [string, string][] = [];
  let dflt: string | undefined;
  let j = i + 3;
  /** A table value at `k` (a string, or a list table's `["a", "b"]` shown as written) and the index after it. */
  const value = (k: number): [string, number] | undefined => {
    if (isA(tokens[k], StringLiteral)) return [text(tokens[k]!), k + 1];
    if (!isA(tokens[k], LBracket)) return undefined;
    const items: string[] = [];
    let m = k + 1;
    while (m < tokens.length && !isA(tokens[m], RBracket)) {
      if (isA(tokens[m], StringLiteral)) items.push(JSON.stringify(text(tokens[m]!)));
      else if (tokens[m]!.image !== ',') return undefined;
      m++;
    }
    return m < tokens.length ? [`[${items.join(', ')}]`, m + 1] : undefined;
  };
  while (j < tokens.length && !isA(tokens[j], RBrace)) {
    const [a, b] = [tokens[j]!, tokens[j + 1]];
    const to = isA(a, StringLiteral) && isA(b, Arrow) ? value(j + 2) : undefined;
    const fallback = a.tokenType === Keyword.default ? value(j + 1) : undefined;
    if (to) {
      entries.push([text(a), to[0]]);
      j = to[1];
    } else if (fallback) {
      dflt = fallback[0];
      j = fallback[1];
    } else break;
  }
  return { kind: 'table', name: nameToken!.image, nameToken: nameToken!, entries, ...(dflt ? { default: dflt } : {}) };
}

/** Every well-formed setting, secret and table declaration of the document, in order. */
export function declaredSymbols(doc: DocumentTokens): Symbols {
  const settings: DeclaredSetting[] = [];
  const secrets: DeclaredSecret[] = [];
  const tables: DeclaredTable[] = [];
  let ecsVersion: string | undefined;
  doc.tokens.forEach((t, i) => {
    // `ecs "8.11.0"` (the keyword `ecs` as a path segment is followed by a dot, never a string).
    const next = doc.tokens[i + 1];
    if (t.tokenType === Keyword.ecs && ecsVersion === undefined && isA(next, StringLiteral)) ecsVersion = text(next!);
    if (!doc.isDeclarationStart(i)) return;
    if (t.tokenType === Keyword.setting) {
      const s = setting(doc.tokens, i);
      if (s) settings.push(s);
    } else if (t.tokenType === Keyword.secret) {
      const s = secret(doc.tokens, i);
      if (s) secrets.push(s);
    } else if (t.tokenType === Keyword.table) {
      const s = table(doc.tokens, i);
      if (s) tables.push(s);
    }
  });
  return { settings, secrets, tables, ...(ecsVersion !== undefined ? { ecsVersion } : {}) };
}
