/**
 * Golden diagnostics (VRL `tests/diagnostics` style): each `diagnostics/<name>.map` is compiled
 * and its rendered diagnostics must equal `<name>.expected`, written by hand from the renderer's
 * layout (dsl/render.ts).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDiagnostics } from '../../dsl/render.ts';
import { compileSource } from '../../compiler/compile.ts';

const DIR = join('test', 'compiler', 'diagnostics');

describe('golden diagnostics', () => {
  for (const name of readdirSync(DIR).filter((f) => f.endsWith('.map'))) {
    it(name, () => {
      const file = join(DIR, name);
      const source = readFileSync(file, 'utf8');
      const result = compileSource(source, file);
      expect(result.ir).toBeUndefined();
      const expected = readFileSync(file.replace(/\.map$/, '.expected'), 'utf8');
      expect(renderDiagnostics(result.diagnostics, new Map([[file, source]]))).toBe(expected);
    });
  }
});
