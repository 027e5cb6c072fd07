import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenizeDatePattern, tokenText } from '../../dsl/date-pattern.ts';

describe('the date pattern parser', () => {
  it('cuts fields (runs of one letter) and literals (runs of anything else)', () => {
    expect(tokenizeDatePattern("dd'MM'yyyy HH:mm:ss.SSS")).toEqual([
      { kind: 'field', letter: 'd', width: 2 },
      { kind: 'literal', text: "'" },
      { kind: 'field', letter: 'M', width: 2 },
      { kind: 'literal', text: "'" },
      { kind: 'field', letter: 'y', width: 4 },
      { kind: 'literal', text: ' ' },
      { kind: 'field', letter: 'H', width: 2 },
      { kind: 'literal', text: ':' },
      { kind: 'field', letter: 'm', width: 2 },
      { kind: 'literal', text: ':' },
      { kind: 'field', letter: 's', width: 2 },
      { kind: 'literal', text: '.' },
      { kind: 'field', letter: 'S', width: 3 },
    ]);
    expect(tokenizeDatePattern('yyyyMMMdd')).toEqual([
      { kind: 'field', letter: 'y', width: 4 },
      { kind: 'field', letter: 'M', width: 3 },
      { kind: 'field', letter: 'd', width: 2 },
    ]);
    expect(tokenizeDatePattern('')).toEqual([]);
  });

  it('is lossless: the tokens spell the pattern back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (pattern) => {
        expect(tokenizeDatePattern(pattern).map(tokenText).join('')).toBe(pattern);
      }),
      { seed: 11 },
    );
  });
});
