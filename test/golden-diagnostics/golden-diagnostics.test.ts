/**
 * Golden diagnostics (VRL `lib/tests/tests/diagnostics` style), one directory and one runner for
 * every phase: each `NAME.map` here, read as `test/golden-diagnostics/NAME.map`, must render
 * exactly `NAME.expected` (dsl/render.ts), written by hand from the renderer's layout:
 * - a map with syntax errors: the parser's diagnostics;
 * - a map the checks refuse: the compiler's diagnostics (no IR);
 * - a map whose first line is `# target: <elastic|vector|logstash>`: it compiles, and the
 *   diagnostics of that backend's `emit` (its refusals at the IR node's span, and its warnings).
 *
 * `MAPC_UPDATE_GOLDEN=1` rewrites the `.expected` files (read every changed line before committing).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import { CODES } from '../../dsl/codes.ts';
import type { Diagnostic } from '../../dsl/diagnostics.ts';
import { parseMap, renderDiagnostics } from '../../dsl/index.ts';
import type { TargetBackend, TargetName } from '../../targets/contract.ts';
import { elasticBackend } from '../../targets/elastic/index.ts';
import { logstashBackend } from '../../targets/logstash/index.ts';
import { vectorBackend } from '../../targets/vector/index.ts';

const DIR = join('test', 'golden-diagnostics');
const UPDATE = process.env['MAPC_UPDATE_GOLDEN'] === '1';
const BACKENDS: Readonly<Record<TargetName, TargetBackend>> = {
  elastic: elasticBackend,
  vector: vectorBackend,
  logstash: logstashBackend,
};

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.map'))
  .map((f) => f.slice(0, -'.map'.length))
  .sort();

/** The phase a case exercises and its diagnostics. */
function diagnosticsOf(name: string): { phase: 'syntax' | 'checks' | TargetName; diagnostics: Diagnostic[] } {
  const file = join(DIR, `${name}.map`);
  const source = readFileSync(file, 'utf8');
  const parsed = parseMap(source, file);
  if (!parsed.ast) return { phase: 'syntax', diagnostics: [...parsed.diagnostics] };
  const target = /^# target: (elastic|vector|logstash)\n/.exec(source)?.[1] as TargetName | undefined;
  const compiled = compileSource(source, file);
  if (target === undefined) {
    expect(compiled.ir, `${name}.map compiles: name a target on its first line`).toBeUndefined();
    return { phase: 'checks', diagnostics: [...compiled.diagnostics] };
  }
  expect(compiled.ir, compiled.diagnostics.map((d) => d.message).join('\n')).toBeDefined();
  return { phase: target, diagnostics: [...BACKENDS[target].emit(compiled.ir!, {}).diagnostics] };
}

describe('golden diagnostics', () => {
  it('has syntax cases covering every syntax code but the internal-error one, and Elastic and Logstash refusals', () => {
    const phases = cases.map((name) => ({ name, ...diagnosticsOf(name) }));
    const syntax = phases.filter((p) => p.phase === 'syntax');
    expect(syntax.length).toBeGreaterThanOrEqual(10);
    const seen = new Set(syntax.flatMap((p) => p.diagnostics.map((d) => d.code)));
    const codes = Object.keys(CODES).filter((c) => Number(c.slice(1)) < 100 && c !== 'E0012');
    expect(codes.filter((c) => !seen.has(c as keyof typeof CODES))).toEqual([]);
    // No map that passes the checks reaches a Vector refusal today (its `_id` and environment
    // name refusals are behind E0103 and E0117): Vector has no case here.
    for (const target of ['elastic', 'logstash']) {
      expect(
        phases.filter((p) => p.phase === target && p.diagnostics.some((d) => d.severity === 'error')),
        target,
      ).not.toEqual([]);
    }
  });

  for (const name of cases) {
    it(`${name}.map renders ${name}.expected`, () => {
      const file = join(DIR, `${name}.map`);
      const { diagnostics } = diagnosticsOf(name);
      expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
      const rendered = renderDiagnostics(diagnostics, new Map([[file, readFileSync(file, 'utf8')]]));
      const expectedFile = join(DIR, `${name}.expected`);
      if (UPDATE) writeFileSync(expectedFile, rendered);
      expect(rendered).toBe(readFileSync(expectedFile, 'utf8'));
    });
  }
});
