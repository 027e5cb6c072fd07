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

/**
 * The offset of the first invalid character of `text`, or undefined if `text` is valid JSON.
 * Iterative (an explicit stack of open containers), so that any nesting depth is scanned without
 * exhausting the call stack.
 */
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
  const key = (): void => {
    ws();
    string();
    ws();
    expect(':');
    ws();
  };
  /** The open objects and arrays, innermost last. */
  const open: ('{' | '[')[] = [];
  /** Reads a scalar or an empty container, or opens a container (true: its first member is next). */
  const valueStart = (): boolean => {
    const ch = text[pos];
    if (ch === '{' || ch === '[') {
      pos++;
      ws();
      const close = ch === '{' ? '}' : ']';
      if (text[pos] === close) {
        pos++;
        return false;
      }
      open.push(ch);
      if (ch === '{') key();
      return true;
    }
    if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else {
      NUMBER.lastIndex = pos;
      if (!NUMBER.test(text)) fail();
      pos = NUMBER.lastIndex;
    }
    return false;
  };
  try {
    ws();
    let opened = valueStart();
    for (;;) {
      if (opened) {
        opened = valueStart();
        continue;
      }
      const top = open[open.length - 1];
      if (top === undefined) break;
      ws();
      if (text[pos] === ',') {
        pos++;
        if (top === '{') key();
        else ws();
        opened = valueStart();
        continue;
      }
      expect(top === '{' ? '}' : ']');
      open.pop();
    }
    ws();
    if (pos < text.length) fail();
    return undefined;
  } catch (stop) {
    if (stop instanceof Stop) return stop.offset;
    throw stop;
  }
}
