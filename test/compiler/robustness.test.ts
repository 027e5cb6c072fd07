/**
 * The pipeline never throws on a damaged map: every bundled map with any one line deleted, or
 * duplicated, compiles to an IR or to diagnostics with spans inside the file.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSource } from '../../compiler/compile.ts';

function variants(source: string): { what: string; text: string }[] {
  const lines = source.split('\n');
  const out: { what: string; text: string }[] = [];
  lines.forEach((_, i) => {
    out.push({ what: `without line ${i + 1}`, text: [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n') });
    out.push({ what: `with line ${i + 1} twice`, text: [...lines.slice(0, i + 1), ...lines.slice(i)].join('\n') });
  });
  return out;
}

describe('damaged maps', () => {
  for (const name of readdirSync('maps').filter((f) => f.endsWith('.map'))) {
    it(`${name}: every one-line deletion or duplication compiles without throwing`, () => {
      const source = readFileSync(join('maps', name), 'utf8');
      let withIr = 0;
      for (const { what, text } of variants(source)) {
        const result = compileSource(text, name);
        const lineCount = text.split('\n').length;
        for (const d of result.diagnostics) {
          expect(d.primary.span.line, `${what}: ${d.code} ${d.message}`).toBeGreaterThanOrEqual(1);
          expect(d.primary.span.line, `${what}: ${d.code} ${d.message}`).toBeLessThanOrEqual(lineCount);
        }
        if (result.ir) withIr++;
        else
          expect(
            result.diagnostics.some((d) => d.severity === 'error'),
            what,
          ).toBe(true);
      }
      // Comment and blank lines can go without harm, so some variants still compile.
      expect(withIr).toBeGreaterThan(0);
    });
  }
});
