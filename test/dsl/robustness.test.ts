/**
 * Parsing never throws: random edits of the bundled maps and random text always give a result
 * whose diagnostics point inside the source with consistent line/column, and render cleanly.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../dsl/diagnostics.ts';
import { parseMap, renderDiagnostics, type ParseResult } from '../../dsl/index.ts';
import { MAX_NESTING } from '../../dsl/limits.ts';

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

describe('nesting depth (E0013)', () => {
  const body = (value: string): string =>
    `stream s {\n  request POST "{base_url}/x" {\n    body { "q": ${value} }\n  }\n}\n`;

  it('refuses 100,000 open brackets of each kind at the first one past the bound, without an internal error', () => {
    for (const open of ['{', '[', '(']) {
      const source = `stream s { ${open.repeat(100_000)}`;
      const { ast, diagnostics } = parseMap(source, 'f.map');
      expect(ast).toBeUndefined();
      expect(diagnostics.map((d) => d.code)).toEqual(['E0013']);
      // `stream s {` opens level 1: the 64th bracket after it opens level 65.
      expect(diagnostics[0]?.primary.span.offset).toBe('stream s { '.length + MAX_NESTING - 1);
      checkResult(source, { ast, diagnostics });
    }
  });

  it(`parses ${MAX_NESTING} levels (the JSON depth is the checks' business, E0128)`, () => {
    // stream, request and body open 3 levels; the value adds the rest.
    const levels = MAX_NESTING - 3;
    const ok = parseMap(body(`${'['.repeat(levels)}1${']'.repeat(levels)}`), 'f.map');
    expect(ok.diagnostics).toEqual([]);
    const deeper = parseMap(body(`${'['.repeat(levels + 1)}1${']'.repeat(levels + 1)}`), 'f.map');
    expect(deeper.diagnostics.map((d) => d.code)).toEqual(['E0013']);
  });

  it('closing brackets bring the depth back: many shallow blocks in a row are fine', () => {
    const source = body(
      Array.from({ length: 2_000 }, () => '[[1]]')
        .join(', ')
        .replace(/^/, '[')
        .concat(']'),
    );
    expect(parseMap(source, 'f.map').diagnostics).toEqual([]);
  });
});
