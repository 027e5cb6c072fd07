/**
 * Syntax errors beyond the golden files: code, message and position of each, and that the
 * parser recovers to report several errors in one run.
 */
import { describe, expect, it, vi } from 'vitest';
import { parseMap } from '../../dsl/index.ts';
import { AstBuilder } from '../../dsl/visitor.ts';

/** `CODE line:column message` of every diagnostic. */
function errors(source: string): string[] {
  const { ast, diagnostics } = parseMap(source, 'e.map');
  expect(ast).toBeUndefined();
  return diagnostics.map((d) => `${d.code} ${d.primary.span.line}:${d.primary.span.column} ${d.message}`);
}

describe('syntax errors', () => {
  it('an unknown auth kind names the kinds', () => {
    expect(errors('stream s {\n  auth apikey secret.k\n}')).toEqual([
      'E0004 2:8 expected an auth kind (header, bearer, basic, token_exchange, oauth2), found "apikey"',
    ]);
  });

  it('an unknown pagination kind names the kinds', () => {
    expect(errors('stream s {\n  paginate pages { }\n}')).toEqual([
      'E0004 2:12 expected a pagination kind (page_token, cursor_has_more, page_number, offset, link_header, time_window), found "pages"',
    ]);
  });

  it('references and transforms are named by what they are, not by their first token', () => {
    expect(errors('stream s {\n  auth header "A" = token\n  map { a = b | }\n}')).toEqual([
      'E0004 2:21 expected secret.NAME or a string around one secret ("SSWS {secret.NAME}"), found "token"',
      'E0004 3:17 expected a transform (keyword, long, double, boolean, ip, date(...), lowercase, uppercase, lookup(...), hash, mask(...), split(...), json, kv(...), extract(...)) after "|", found "}"',
    ]);
    expect(errors('stream s { cursor { start backfill } }')).toEqual([
      'E0004 1:27 expected setting.NAME or a duration (like 30d), found "backfill"',
    ]);
  });

  it('a parser error caused by a character outside the language is not reported twice', () => {
    // `>` is a token since conditions compare numbers: only the `-` is outside the language.
    expect(errors('table t { "a" -> "b" }')).toEqual(['E0001 1:15 unexpected character "-"']);
    expect(errors('table t { "a" ~> "b" }')).toEqual(['E0001 1:15 unexpected character "~"']);
  });

  it('a bad HTTP method', () => {
    expect(errors('stream s { request PUT "u" }')).toEqual([
      'E0004 1:20 expected an HTTP method (GET or POST), found "PUT"',
    ]);
  });

  it('a repeated item in a sub-block points at both places', () => {
    const { diagnostics } = parseMap('stream s {\n  retry {\n    attempts 1\n    attempts 2\n  }\n}', 'e.map');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'E0007',
      message: '"attempts" is given twice in the retry block',
      primary: { span: { line: 4, column: 5, length: 8 }, message: 'given again here' },
      secondary: [{ span: { line: 3, column: 5, length: 8 }, message: 'first given here' }],
    });
  });

  it('a repeated body, map option, table default and setting info item', () => {
    expect(
      errors(
        [
          'setting a: string { title "x" title "y" }',
          'table t { "a" => "b" default "c" default "d" }',
          'stream s {',
          '  request POST "u" { body {} body {} }',
          '  map { unmapped keep unmapped drop id a id b }',
          '}',
        ].join('\n'),
      ),
    ).toEqual([
      'E0007 1:31 "title" is given twice in the info block',
      'E0007 2:34 "default" is given twice in table t',
      'E0007 4:30 "body" is given twice in the request block',
      'E0007 5:23 "unmapped" is given twice in the map block',
      'E0007 5:42 "id" is given twice in the map block',
    ]);
  });

  it('a repeated stream item is named by its keyword', () => {
    expect(
      errors(
        'stream s {\n auth bearer secret.a\n rate_limit { }\n auth bearer secret.b\n rate_limit { retry_after }\n max_pages 1 max_pages 2\n}',
      ),
    ).toEqual([
      'E0007 4:2 "auth" is given twice in stream s',
      'E0007 5:2 "rate_limit" is given twice in stream s',
      'E0007 6:14 "max_pages" is given twice in stream s',
    ]);
  });

  it('headers, query parameters, table entries, rules and remove may repeat', () => {
    const { diagnostics } = parseMap(
      'table t { "a" => "b" "a" => "c" }\nstream s { request GET "u" { header "a" = "b" header "a" = "c" query "q" = "1" query "q" = "2" } map { remove a remove b x = 1 x = 2 } }',
      'e.map',
    );
    expect(diagnostics).toEqual([]);
  });

  it('a missing required item of each sub-block kind', () => {
    expect(
      errors(
        [
          'stream a { auth basic { username = setting.u } }',
          'stream b { auth oauth2 { client_id = secret.i client_secret = secret.s } }',
          'stream c { paginate cursor_has_more { cursor x send query "c" } }',
          'stream d { paginate page_number { send query "p" } }',
          'stream e { paginate offset { offset query "o" } }',
          'stream f { paginate time_window { step 1d } }',
        ].join('\n'),
      ),
    ).toEqual([
      'E0011 1:17 the basic block has no "password" item',
      'E0011 2:17 the oauth2 block has no "token_url" item',
      'E0011 3:21 the cursor_has_more block has no "has_more" item',
      'E0011 4:21 the page_number block has no "size" item',
      'E0011 5:21 the offset block has no "limit" item',
      'E0011 6:21 the time_window block has no "format" item',
    ]);
  });

  it('a required item that is present but broken is not also reported missing', () => {
    expect(errors('stream s { paginate time_window { step 1w format iso8601 } }')).toEqual([
      'E0008 1:40 invalid duration "1w": expected an integer followed by ms, s, m, h or d',
    ]);
  });

  it('bad transform arguments', () => {
    expect(
      errors(
        'stream s { map {\n a = b | date()\n c = d | lookup("t")\n e = f | mask(x)\n g = h | long(1)\n i = j | date(iso)\n} }',
      ),
    ).toEqual([
      'E0010 2:10 date needs at least one format: date(iso8601), date(unix_ms), date(unix) or date("dd/MM/yyyy")',
      'E0010 3:10 lookup takes one table name: lookup(TABLE)',
      'E0010 4:10 mask takes the number of characters to keep: mask(4)',
      'E0010 5:10 "long" takes no arguments',
      'E0010 6:15 expected a date format (iso8601, unix_ms, unix or a pattern string like "dd/MM/yyyy"), found "iso"',
    ]);
  });

  it('a missing "}" at the end of the file is E0005 at the brace left open, naming its construct', () => {
    expect(errors('integration x {\n  title "t"')).toEqual([
      'E0005 1:15 the `integration x {` opened at 1:15 is not closed',
    ]);
  });

  it('junk between declarations is reported once and parsing resumes at the next declaration', () => {
    expect(errors('secret a\nfoo bar baz\nsecret b\nsecret c {\n  titel "x"\n}\n')).toEqual([
      'E0004 2:1 expected a declaration (integration, setting, secret, table, stream), found "foo"',
      'E0004 5:3 expected title or description or "}", found "titel"',
    ]);
  });

  it('lexer, string and parser errors are reported together, sorted by position', () => {
    expect(errors('setting a: strng\nsecret b { title "x\\q" }\nsecret c ~\nstream s { interval 3x }\n')).toEqual([
      'E0004 1:12 expected a setting type (string, url, duration, timestamp, int, bool), found "strng"',
      'E0003 2:20 invalid escape "\\q" in string',
      'E0001 3:10 unexpected character "~"',
      'E0008 4:21 invalid duration "3x": expected an integer followed by ms, s, m, h or d',
    ]);
  });

  it('an unterminated string does not hide the errors after it', () => {
    expect(errors('secret a { title "x }\nsecret b { titel "y" }')).toEqual([
      'E0002 1:18 unterminated string: no closing quote on this line',
      'E0004 2:12 expected title or description or "}", found "titel"',
    ]);
  });
});

describe('internal failures', () => {
  it('become an E0012 diagnostic instead of an exception', () => {
    const spy = vi.spyOn(AstBuilder.prototype, 'file').mockImplementation(() => {
      throw new Error('boom');
    });
    try {
      const { ast, diagnostics } = parseMap('secret a', 'e.map');
      expect(ast).toBeUndefined();
      expect(diagnostics.map((d) => [d.code, d.message, d.primary.span.line, d.primary.span.column])).toEqual([
        ['E0012', 'internal error in the parser: boom', 1, 1],
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});
