/**
 * Parsing never throws: random edits of the bundled maps and random text always give a result
 * whose diagnostics point inside the source with consistent line/column, and render cleanly.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../dsl/diagnostics.ts';
import { parseMap, renderDiagnostics, type ParseResult } from '../../dsl/index.ts';

const maps = ['maps/endor_labs.map', 'maps/entro.map'].map((f) => readFileSync(f, 'utf8'));

/** 1-based line/column of an offset, counted independently of the implementation. */
function lineColumn(source: string, offset: number): [number, number] {
  const before = source.slice(0, offset).split(/\r\n|\r|\n/);
  return [before.length, (before[before.length - 1] ?? '').length + 1];
}

function checkResult(source: string, result: ParseResult): void {
  expect(result.ast === undefined).toBe(hasErrors(result.diagnostics));
  for (const d of result.diagnostics) {
    for (const { span } of [d.primary, ...d.secondary]) {
      expect(span.file).toBe('f.map');
      expect(span.offset).toBeGreaterThanOrEqual(0);
      expect(span.offset + span.length).toBeLessThanOrEqual(source.length);
      expect([span.line, span.column]).toEqual(lineColumn(source, span.offset));
    }
    expect(d.message.length).toBeGreaterThan(0);
  }
  const text = renderDiagnostics(result.diagnostics, new Map([['f.map', source]]));
  for (const line of text.split('\n')) expect(line).toBe(line.trimEnd());
}

const edit = fc.record({
  map: fc.constantFrom(...maps.keys()),
  at: fc.nat(),
  remove: fc.nat({ max: 40 }),
  insert: fc.string({
    unit: fc.constantFrom(
      '{',
      '}',
      '"',
      '\\',
      '=',
      '.',
      ',',
      '|',
      '(',
      ')',
      '[',
      ']',
      ' ',
      '\n',
      'x',
      '1',
      'm',
      '@',
      '$',
      '#',
      ';',
      'when',
      'setting',
      'map',
    ),
  }),
});

describe('robustness', () => {
  it('random edits of the bundled maps never throw and give well-placed diagnostics', () => {
    fc.assert(
      fc.property(edit, ({ map, at, remove, insert }) => {
        const original = maps[map] ?? '';
        const pos = at % (original.length + 1);
        const source = original.slice(0, pos) + insert + original.slice(pos + remove);
        checkResult(source, parseMap(source, 'f.map'));
      }),
      { numRuns: 300, seed: 20261123 },
    );
  });

  it('random text never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (source) => {
        checkResult(source, parseMap(source, 'f.map'));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('is deterministic: the same input gives the same diagnostics', () => {
    const source = 'setting a: strng\nstream s { map { x = y | nope } }\n';
    expect(parseMap(source, 'f.map')).toEqual(parseMap(source, 'f.map'));
  });
});
