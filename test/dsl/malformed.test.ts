/**
 * Golden diagnostics: every `test/dsl/malformed/NAME.map` is parsed as `malformed/NAME.map` and
 * its rendered diagnostics must equal `NAME.expected.txt` (written by hand from the spec).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../dsl/codes.ts';
import { parseMap, renderDiagnostics } from '../../dsl/index.ts';

const dir = fileURLToPath(new URL('./malformed/', import.meta.url));
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.map'))
  .map((f) => f.slice(0, -'.map'.length))
  .sort();

describe('malformed maps', () => {
  it('has at least 10 golden cases, each with its expected output', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const name of cases) expect(readdirSync(dir)).toContain(`${name}.expected.txt`);
  });

  it('together cover every syntax code but the internal-error one', () => {
    const seen = new Set(
      cases.flatMap((name) =>
        parseMap(readFileSync(join(dir, `${name}.map`), 'utf8'), name).diagnostics.map((d) => d.code),
      ),
    );
    const syntax = Object.keys(CODES).filter((c) => Number(c.slice(1)) < 100 && c !== 'E0012');
    expect(syntax.filter((c) => !seen.has(c as keyof typeof CODES))).toEqual([]);
  });

  for (const name of cases) {
    it(`${name}.map renders its expected diagnostics`, () => {
      const source = readFileSync(join(dir, `${name}.map`), 'utf8');
      const file = `malformed/${name}.map`;
      const { ast, diagnostics } = parseMap(source, file);
      expect(ast).toBeUndefined();
      expect(diagnostics.length).toBeGreaterThan(0);
      const expected = readFileSync(join(dir, `${name}.expected.txt`), 'utf8');
      expect(renderDiagnostics(diagnostics, new Map([[file, source]]))).toBe(expected);
    });
  }
});
