import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMap } from '../../dsl/index.ts';
import { TRANSFORMS, TRANSFORM_NAMES, transformsPhrase } from '../../dsl/transforms.ts';
import { transformsTable } from '../../dsl/transforms-doc.ts';

describe('the transform registry', () => {
  it('is the table of docs/language.md', () => {
    expect(readFileSync('docs/language.md', 'utf8')).toContain(transformsTable());
  });

  it('names every transform the grammar accepts, and each example parses', () => {
    expect(TRANSFORM_NAMES).toEqual(TRANSFORMS.map((t) => t.identifier));
    for (const t of TRANSFORMS) {
      for (const example of t.examples) {
        const map = `stream s { map { ${example} } }`;
        const syntax = parseMap(map, 'example.map').diagnostics;
        expect(syntax, example).toEqual([]);
      }
    }
  });

  it('feeds the parser message for an unknown transform, with a suggestion', () => {
    const { diagnostics } = parseMap('stream s { map { a.b = c | lowrcase } }', 'x.map');
    expect(diagnostics[0]?.message).toBe(`expected ${transformsPhrase()}, found "lowrcase"`);
    expect(diagnostics[0]?.notes).toEqual(['help: did you mean "lowercase"?']);
  });
});
