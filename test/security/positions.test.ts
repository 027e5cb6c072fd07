import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/compile.ts';
import { CORE_HOSTILE, HOSTILE_STRINGS } from './corpus.ts';
import { mapStringBody, POSITIONS, placeAt } from './positions.ts';

describe('the injection suites’ map of string positions', () => {
  it('compiles cleanly with benign text in every position', () => {
    const result = compileSource(placeAt('integration.title', 'Hostile Vendor').map, 'hostile.map');
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ir?.streams.map((s) => s.name)).toEqual(['audit', 'logins', 'windows']);
  });

  it('places plain text in every unconstrained position without an error', () => {
    for (const p of POSITIONS.filter((x) => x.kind !== 'constrained' && x.kind !== 'pattern')) {
      const placed = placeAt(p.name, 'plain text 42');
      const errors = compileSource(placed.map, 'hostile.map').diagnostics.filter((d) => d.severity === 'error');
      expect(errors, p.name).toEqual([]);
      const line = placed.map.split('\n')[placed.line - 1] ?? '';
      expect(line[placed.column - 1], p.name).toBe('"');
      expect(line).toContain('plain text 42');
    }
  });

  it('spells every hostile string so that the map decodes it back exactly', () => {
    for (const text of CORE_HOSTILE) {
      const ir = compileSource(placeAt('rule.constant', text).map, 'hostile.map').ir;
      const rule = ir?.streams[0]?.mapping.rules.find((r) => r.target.join('.') === 'labels.origin');
      expect(rule?.value, JSON.stringify(text)).toEqual({ kind: 'const', value: text });
    }
    expect(mapStringBody('a"b\\c\n{d}\u0000')).toBe('a\\"b\\\\c\\n\\u{7B}d\\u{7D}\\u{0}');
    expect(HOSTILE_STRINGS.length).toBeGreaterThan(1200);
  });
});
