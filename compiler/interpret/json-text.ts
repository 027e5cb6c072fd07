/**
 * Parsing JSON text with a position on failure. `JSON.parse` reports an offset for some errors
 * only (V8 says `Unexpected token 'x', "..." is not valid JSON` without one), so on failure a
 * small RFC 8259 scanner finds the offset of the first character that cannot continue the text.
 * Used for fixture files (E0700) and `mapc preview` input records (E0701).
 *
 * @module
 */

/** Where a JSON text stops being valid: 0-based offset, 1-based line and column (UTF-16 units). */
export interface JsonErrorLocation {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export type JsonParseResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string; readonly location: JsonErrorLocation };

/** Parses `text`; on failure returns `JSON.parse`'s message and the error's location. */
export function parseJsonText(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const offset = findJsonErrorOffset(text) ?? text.length;
    return { ok: false, message: (error as Error).message, location: locate(text, offset) };
  }
}

/** Line and column of a 0-based offset. */
export function locate(text: string, offset: number): JsonErrorLocation {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { offset, line, column: offset - before.lastIndexOf('\n') };
}

class Stop {
  constructor(readonly offset: number) {}
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/** The offset of the first invalid character of `text`, or undefined if `text` is valid JSON. */
export function findJsonErrorOffset(text: string): number | undefined {
  let pos = 0;
  const fail = (): never => {
    throw new Stop(pos);
  };
  const ws = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos] as string)) pos++;
  };
  const expect = (ch: string): void => {
    if (text[pos] !== ch) fail();
    pos++;
  };
  const literal = (word: string): void => {
    for (const ch of word) expect(ch);
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      const ch = text[pos];
      if (ch === undefined || ch.charCodeAt(0) < 0x20) fail();
      if (ch === '"') {
        pos++;
        return;
      }
      if (ch === '\\') {
        pos++;
        const esc = text[pos];
        if (esc === 'u') {
          HEX4.lastIndex = pos + 1;
          if (!HEX4.test(text)) fail();
          pos += 5;
          continue;
        }
        if (esc === undefined || !'"\\/bfnrt'.includes(esc)) fail();
      }
      pos++;
    }
  };
  const value = (): void => {
    const ch = text[pos];
    if (ch === '{') {
      pos++;
      ws();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        ws();
        string();
        ws();
        expect(':');
        ws();
        value();
        ws();
        if (text[pos] === ',') pos++;
        else return expect('}');
      }
    }
    if (ch === '[') {
      pos++;
      ws();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (;;) {
        ws();
        value();
        ws();
        if (text[pos] === ',') pos++;
        else return expect(']');
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    NUMBER.lastIndex = pos;
    if (!NUMBER.test(text)) fail();
    pos = NUMBER.lastIndex;
  };
  try {
    ws();
    value();
    ws();
    if (pos < text.length) fail();
    return undefined;
  } catch (stop) {
    if (stop instanceof Stop) return stop.offset;
    throw stop;
  }
}
