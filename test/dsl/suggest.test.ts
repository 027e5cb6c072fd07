/**
 * "Did you mean": misspelt keywords (from the lexer's keyword list, narrowed to what the parser
 * expected) and transforms (from the transform registry), each at the misspelt word's line and
 * column; and the one helper behind them, `dsl/suggest.ts`.
 */
import { describe, expect, it } from 'vitest';
import { parseMap } from '../../dsl/index.ts';
import { closest, didYouMean } from '../../dsl/suggest.ts';
import { TRANSFORM_NAMES } from '../../dsl/transforms.ts';

/** `file:line:col CODE notes` of every diagnostic of `source`. */
function suggestions(source: string): string[] {
  const { diagnostics } = parseMap(source, 's.map');
  return diagnostics.map(
    (d) => `${d.primary.span.file}:${d.primary.span.line}:${d.primary.span.column} ${d.code} ${d.notes.join(' | ')}`,
  );
}

describe('did you mean', () => {
  it('a misspelt item keyword', () => {
    expect(suggestions('stream s {\n  interval 5m\n  paginte link_header\n}\n')).toEqual([
      's.map:3:3 E0004 help: did you mean "paginate"?',
    ]);
  });

  it('a misspelt declaration keyword', () => {
    expect(suggestions('secret a\nsecrt b\n')).toEqual(['s.map:2:1 E0004 help: did you mean "secret"?']);
  });

  it('a misspelt kind, among the kinds the parser expected there', () => {
    expect(suggestions('stream s {\n  paginate page_tokn { token next }\n}\n')).toEqual([
      's.map:2:12 E0004 help: did you mean "page_token"?',
    ]);
    expect(suggestions('stream s {\n  auth baerer secret.k\n}\n')).toEqual([
      's.map:2:8 E0004 help: did you mean "bearer"?',
    ]);
    expect(suggestions('setting a: strng\n')).toEqual(['s.map:1:12 E0004 help: did you mean "string"?']);
  });

  it('a misspelt block item keyword', () => {
    expect(suggestions('stream s {\n  retry {\n    attempts 3\n    backof 1s to 30s\n  }\n}\n')).toEqual([
      's.map:4:5 E0004 help: did you mean "backoff"?',
    ]);
  });

  it('a misspelt unmapped mode', () => {
    expect(suggestions('stream s {\n  map {\n    unmapped kep\n  }\n}\n')).toEqual([
      's.map:3:14 E0004 help: did you mean "keep"?',
    ]);
  });

  it('a misspelt transform, from the transform registry', () => {
    expect(TRANSFORM_NAMES).toContain('lowercase');
    expect(suggestions('stream s {\n  map {\n    user.name = name | lowercas\n  }\n}\n')).toEqual([
      's.map:3:24 E0010 help: did you mean "lowercase"?',
    ]);
  });

  it('no suggestion for a word far from every keyword', () => {
    expect(suggestions('stream s {\n  quux 1\n}\n')).toEqual(['s.map:2:3 E0004 ']);
  });

  it('a string where a name was expected gets no keyword suggestion', () => {
    const [line] = suggestions('stream s {\n  title strin\n}\n');
    expect(line).not.toContain('did you mean');
  });
});

describe('dsl/suggest.ts', () => {
  it('closest ranks by distance, then name, within a third of the word', () => {
    expect(closest('paginte', ['paginate', 'page_token', 'pages'])).toEqual(['paginate']);
    expect(closest('ab', ['abc', 'abd'], 2)).toEqual(['abc', 'abd']);
    expect(closest('stream', ['dream', 'xyzxyz'])).toEqual(['dream']);
    expect(closest('stream', ['xyzxyz'])).toEqual([]);
  });

  it('didYouMean words the note once for every caller', () => {
    expect(didYouMean('kep', ['keep', 'drop'])).toEqual(['help: did you mean "keep"?']);
    expect(didYouMean('zzz', ['keep', 'drop'])).toEqual([]);
  });
});
