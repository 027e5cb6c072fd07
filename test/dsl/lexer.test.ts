import { describe, expect, it } from 'vitest';
import { KEYWORD_WORDS, Keyword, mapLexer, Name, StringLiteral } from '../../dsl/tokens.ts';
import { tokenMatcher } from 'chevrotain';

/** `[tokenTypeName, image, line, column]` of every token of `text`. */
function lex(text: string): [string, string, number, number][] {
  const r = mapLexer.tokenize(text);
  expect(r.errors).toEqual([]);
  return r.tokens.map((t) => [t.tokenType.name, t.image, t.startLine ?? 0, t.startColumn ?? 0]);
}

describe('lexer', () => {
  it('skips whitespace and # comments', () => {
    expect(lex('  # a comment { "x"\n\t records # trailing\r\n$')).toEqual([
      ['Kw_records', 'records', 2, 3],
      ['Dollar', '$', 3, 1],
    ]);
  });

  it('reads strings with escapes as one token, and an unterminated string up to the end of its line', () => {
    expect(lex('"a\\"b\\\\c\\n\\u{1F600}" "open\n x')).toEqual([
      ['StringLiteral', '"a\\"b\\\\c\\n\\u{1F600}"', 1, 1],
      ['UnterminatedString', '"open', 1, 22],
      ['Identifier', 'x', 2, 2],
    ]);
    const [unterminated] = mapLexer.tokenize('"open').tokens;
    // The parser accepts an unterminated string wherever a string goes.
    expect(unterminated !== undefined && tokenMatcher(unterminated, StringLiteral)).toBe(true);
  });

  it('reads durations before numbers, including malformed units for a later diagnostic', () => {
    expect(lex('500ms 30s 5m 4h 1d 5min 42 -7 3.5')).toEqual([
      ['Duration', '500ms', 1, 1],
      ['Duration', '30s', 1, 7],
      ['Duration', '5m', 1, 11],
      ['Duration', '4h', 1, 14],
      ['Duration', '1d', 1, 17],
      ['Duration', '5min', 1, 20],
      ['NumberLiteral', '42', 1, 25],
      ['NumberLiteral', '-7', 1, 28],
      ['NumberLiteral', '3.5', 1, 31],
    ]);
  });

  it('reads every punctuation token, longest operator first', () => {
    expect(lex('=> == != += = { } [ ] ( ) : , . | $ @timestamp').map(([n]) => n)).toEqual([
      'Arrow',
      'EqEq',
      'NotEq',
      'PlusEq',
      'Equals',
      'LBrace',
      'RBrace',
      'LBracket',
      'RBracket',
      'LParen',
      'RParen',
      'Colon',
      'Comma',
      'Dot',
      'Pipe',
      'Dollar',
      'AtName',
    ]);
  });

  it('reads every keyword as its own token, in the Name category', () => {
    for (const word of KEYWORD_WORDS) {
      const [token, ...rest] = mapLexer.tokenize(word).tokens;
      expect(rest).toEqual([]);
      expect(token?.tokenType, word).toBe(Keyword[word]);
      expect(token !== undefined && tokenMatcher(token, Name)).toBe(true);
    }
  });

  it('keeps the longest word: keyword prefixes and suffixes stay identifiers', () => {
    expect(
      lex('token token_exchange token_url tokens int interval internal unix unix_ms max max_pages maximum _x a1'),
    ).toEqual([
      ['Kw_token', 'token', 1, 1],
      ['Kw_token_exchange', 'token_exchange', 1, 7],
      ['Kw_token_url', 'token_url', 1, 22],
      ['Identifier', 'tokens', 1, 32],
      ['Kw_int', 'int', 1, 39],
      ['Kw_interval', 'interval', 1, 43],
      ['Identifier', 'internal', 1, 52],
      ['Kw_unix', 'unix', 1, 61],
      ['Kw_unix_ms', 'unix_ms', 1, 66],
      ['Kw_max', 'max', 1, 74],
      ['Kw_max_pages', 'max_pages', 1, 78],
      ['Identifier', 'maximum', 1, 88],
      ['Identifier', '_x', 1, 96],
      ['Identifier', 'a1', 1, 99],
    ]);
  });

  it('keywords are case-sensitive: Title is an identifier, GET and POST are keywords', () => {
    expect(lex('Title GET get POST').map(([n]) => n)).toEqual(['Identifier', 'Kw_GET', 'Identifier', 'Kw_POST']);
  });

  it('reports a character outside the language with its position', () => {
    const r = mapLexer.tokenize('title ; "x"');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ offset: 6, length: 1, line: 1, column: 7 });
    expect(r.tokens.map((t) => t.image)).toEqual(['title', '"x"']);
  });
});
